/**
 * Report sections, one row each: capacity's plateaus and knee (capacity.ts), the timeout sweep's fates per
 * timeout, contention's races and the target's invariants, and what every run cost the instance.
 */
import type { ProfileParams } from '../../shared/profiles.js';
import { MEASUREMENTS } from '../../shared/measurements.js';
import type { Slo } from '../../shared/scenarios.js';
import { FATES, type Sweep } from '../../shared/sweep.js';
import type { InfluxTarget } from '../influx/store.js';
import type { K6SummaryData } from '../results/summary.js';
import type { OperationSummary, RunSummary, TimeoutRow } from '../results/model.js';
import type { SessionMode } from '../../shared/sessions.js';
import { capacitySection } from './capacity.js';
import { rateLimitSection, sessionsSection } from './instance-cost.js';
import { generatorSection } from './generator-health.js';

export interface SectionContext {
  readonly scenario: string;
  readonly profile: string;
  readonly params: ProfileParams;
  readonly sweep: Sweep;
  readonly testid: string;
  readonly data: K6SummaryData | undefined;
  readonly influx: InfluxTarget | undefined;
  readonly targetUrl: string;
  readonly sloOverrides: Slo;
  readonly configSlos: Readonly<Record<string, Slo>>;
  readonly sessions: SessionMode;
  readonly operations: Readonly<Record<string, OperationSummary>>;
  readonly seconds: number;
  /** when the watchdog stopped the run (epoch ms), or undefined */
  readonly stoppedAtMs: number | undefined;
}

const count = (data: K6SummaryData | undefined, metric: string): number => data?.metrics[metric]?.values.count ?? 0;


/** Fates per offer timeout, and how long agents took to accept. */
export async function sweepSection(c: SectionContext): Promise<Pick<RunSummary, 'timeouts'> | undefined> {
  if (c.scenario !== 'timeout-sweep' || !c.data) return undefined;
  const byTimeout: Record<string, TimeoutRow> = {};
  for (const t of c.sweep.timeouts) {
    const fates = Object.fromEntries(FATES.map((f) => [f, count(c.data, `${MEASUREMENTS.offerFates}{timeout:${t},fate:${f}}`)])) as TimeoutRow['fates'];
    const answered = fates.accepted! + fates.rejected! + fates.expired!;
    const tta = c.data.metrics[`${MEASUREMENTS.timeToAccept}{timeout:${t}}`]?.values;
    byTimeout[String(t)] = {
      fates,
      expired_share: answered === 0 ? null : Math.round((fates.expired! / answered) * 1000) / 1000,
      time_to_accept_ms: tta?.count ? { p50: Math.round(tta.med ?? 0), p95: Math.round(tta['p(95)'] ?? 0), max: Math.round(tta.max ?? 0) } : null,
    };
  }
  return { timeouts: { sweep: c.sweep, by_timeout: byTimeout } };
}

/** Races and their winners; the target's own invariants when it is the simulator. */
export async function contentionSection(c: SectionContext): Promise<Pick<RunSummary, 'contention'> | undefined> {
  if (c.scenario !== 'contention') return undefined;
  const races = Object.fromEntries(['0', '1', 'many'].map((w) => [w, count(c.data, `${MEASUREMENTS.races}{winners:${w}}`)]));
  const res = await fetch(`${c.targetUrl}/sim/invariants`).catch(() => undefined);
  const invariants = res?.ok ? ((await res.json()) as { ok: boolean; violations: string[] }) : null;
  return { contention: { races_by_winners: races, exactly_one_winner: races.many === 0, invariants } };
}

export const SECTIONS: readonly ((c: SectionContext) => Promise<Partial<RunSummary> | undefined>)[] = [
  capacitySection,
  sweepSection,
  contentionSection,
  sessionsSection,
  rateLimitSection,
  generatorSection,
];
