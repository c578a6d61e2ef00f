/**
 * What every scenario does in its init context: read the run configuration, build its k6 options (in the
 * __VU 0 init only: options.ts), load the shared pool.
 */
import encoding from 'k6/encoding';
import type { PoolEntry } from '../shared/pool.js';
import { readConfig, type RunConfig } from './config.js';
import { iterationIndex, loadPool } from './data.js';
import { baseHeaders } from './request.js';
import { summaryFiles } from './summary.js';
import { behindDrain } from './control.js';
import { arrived, loadArrivals } from './arrivals.js';

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
  const cfg = readConfig((s) => encoding.b64encode(s));
  // k6 reads options from the init run with __VU 0 only (where a scenario's profile is checked too); each VU
  // (1..N) neither builds them nor evaluates the modules that do: esbuild turns this require into a lazy init
  const options: Record<string, unknown> =
    __VU === 0
      ? (require('./options.js') as typeof import('./options.js')).optionsFor(scenario, cfg.sessions === 'reuse')
      : {};
  const pool = loadPool(cfg.poolPath);
  const arrive = cfg.arrivalsPath ? loadArrivals(cfg.arrivalsPath) : undefined;
  return {
    cfg,
    headers: baseHeaders(cfg),
    options,
    entry: () => pool.at(iterationIndex()),
    entryAt: (offset) => pool.at(iterationIndex() + offset),
    handleSummary: (data) => (cfg.summaryPath ? summaryFiles(data, cfg.summaryPath) : {}),
    iterate: (work) => {
      const started = cfg.control ? behindDrain(work) : work;
      // k6's own evenly spaced starts arrive when they start
      if (!arrive)
        return () => {
          arrived();
          return started();
        };
      // the arrival first, then the drain's word: an iteration asked to start nothing after its wait does nothing
      return () => (arrive() ? started() : undefined);
    },
    addThresholds: (make) => {
      if (options.thresholds) Object.assign(options.thresholds as Record<string, string[]>, make());
    },
  };
}
