/**
 * What every scenario does in its init context: read the run configuration, load the shared pool, build
 * its k6 options from the registry (executor from the profile, summary thresholds from the operations).
 */
import encoding from 'k6/encoding';
import { SCENARIOS } from '../shared/scenarios.js';
import { k6ScenarioFor } from '../shared/profiles.js';
import type { PoolEntry } from '../shared/pool.js';
import { readConfig, type RunConfig } from './config.js';
import { iterationIndex, loadPool } from './data.js';
import { summaryThresholds } from './metrics.js';
import { baseHeaders } from './request.js';
import { summaryFiles } from './summary.js';
import { behindDrain } from './control.js';

export interface Run {
  readonly cfg: RunConfig;
  readonly headers: Record<string, string>;
  readonly options: Record<string, unknown>;
  /** this iteration's pool entry */
  entry(): PoolEntry;
  /** the entry `offset` places further on: other documents and agents, for races */
  entryAt(offset: number): PoolEntry;
  handleSummary(data: unknown): Record<string, string>;
  /**
   * The scenario's iteration behind the drain channel: once the CLI asks for a drain, new iterations start no
   * work and the ones running finish. Without the channel (the operator's runners) it is the iteration itself.
   */
  iterate(work: () => void): () => void | Promise<void>;
  /** Adds a scenario's own summary thresholds; `make` runs only where options are built (the __VU 0 init). */
  addThresholds(make: () => Record<string, string[]>): void;
}

/** Sets a scenario up; call once at the top of its file. */
export function initRun(scenario: string): Run {
  const info = SCENARIOS[scenario];
  if (!info) throw new Error(`unknown scenario ${scenario}`);
  const cfg = readConfig((s) => encoding.b64encode(s));
  if (!info.profiles.includes(cfg.profile.name)) {
    throw new Error(`invalid profile for ${scenario}: expected one of ${info.profiles.join(', ')}, got "${cfg.profile.name}"`);
  }
  const pool = loadPool(cfg.poolPath);
  // k6 reads options from the init run with __VU 0 only; each VU (1..N) skips building them: stages and a
  // threshold per operation and outcome would be work and garbage in every VU's init for nothing
  const options: Record<string, unknown> = __VU === 0 ? optionsFor(scenario, cfg) : {};
  return {
    cfg,
    headers: baseHeaders(cfg),
    options,
    entry: () => pool.at(iterationIndex()),
    entryAt: (offset) => pool.at(iterationIndex() + offset),
    handleSummary: (data) => (cfg.summaryPath ? summaryFiles(data, cfg.summaryPath) : {}),
    iterate: (work) => (cfg.control ? behindDrain(work) : work),
    addThresholds: (make) => {
      if (options.thresholds) Object.assign(options.thresholds as Record<string, string[]>, make());
    },
  };
}

function optionsFor(scenario: string, cfg: RunConfig): Record<string, unknown> {
  const info = SCENARIOS[scenario]!;
  const options: Record<string, unknown> = {
    scenarios: { [scenario]: k6ScenarioFor(cfg.profile, cfg.params, info.iterationSec) },
    summaryTrendStats: ['min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max', 'count'],
    // k6 empties each VU's cookie jar after every iteration unless told not to: reuse keeps the session
    noCookiesReset: cfg.sessions === 'reuse',
  };
  // Scenarios summarised from InfluxDB keep no thresholds: k6 then holds no samples for the whole run.
  if (!info.summaryFromInflux) options.thresholds = summaryThresholds(info.ops);
  return options;
}
