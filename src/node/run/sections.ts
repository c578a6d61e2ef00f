/**
 * Report sections that only some scenarios have, one row each: contention's races and the target's
 * invariants, the timeout sweep's fates per timeout, capacity's plateaus and knee.
 */
import { capacityPlateaus, vusFor, type ProfileParams } from '../../shared/profiles.js';
import { MEASUREMENTS } from '../../shared/measurements.js';
import { isFailure, outcomeClass, type Outcome } from '../../shared/outcome.js';
import { runSlo } from './slo.js';
import { SCENARIOS, type Slo } from '../../shared/scenarios.js';
import { FATES, type Sweep } from '../../shared/sweep.js';
import type { InfluxTarget } from '../influx/store.js';
import { generatorOf, latencyOf, outcomesOf, requestsOf, runSpan } from '../influx/windows.js';
import type { K6SummaryData } from '../results/summary.js';
import type { OperationSummary, Plateau, RunSummary, TimeoutRow } from '../results/model.js';
import type { SessionMode } from '../../shared/sessions.js';
import { rateLimitSection, sessionsSection } from './instance-cost.js';

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
}

const count = (data: K6SummaryData | undefined, metric: string): number => data?.metrics[metric]?.values.count ?? 0;


/** Per-plateau figures of a capacity run and the knee: the highest rate met before the first miss. */
export async function capacitySection(c: SectionContext): Promise<Pick<RunSummary, 'capacity'> | undefined> {
  if (c.profile !== 'capacity' || !c.influx) return undefined;
  const span = await runSpan(c.influx, c.testid);
  if (!span) return undefined;
  const slo = runSlo(c, 'offer');
  const plateaus: Plateau[] = [];
  for (const p of capacityPlateaus(c.params)) {
    // skip each plateau's first two seconds: the step itself
    const from = span.startMs + (p.startSec + Math.min(2, p.seconds / 2)) * 1000;
    const to = span.startMs + (p.startSec + p.seconds) * 1000;
    if (from >= span.endMs) break;
    const end = Math.min(to, span.endMs + 1);
    const seconds = (end - from) / 1000;
    const outcomes = await outcomesOf(c.influx, c.testid, 'offer', from, end);
    const answers = Object.values(outcomes).reduce((a, b) => a + b, 0);
    const byClass = (cls: string): number => Object.entries(outcomes).filter(([o]) => outcomeClass(o as Outcome) === cls).reduce((a, [, n]) => a + n, 0);
    const errors = Object.entries(outcomes).filter(([o]) => isFailure(o as Outcome)).reduce((a, [, n]) => a + n, 0);
    const latency = await latencyOf(c.influx, c.testid, 'offer', from, end);
    const generator = await generatorOf(c.influx, c.testid, from, end);
    const achieved = (await requestsOf(c.influx, c.testid, 'offer', from, end)) / seconds;
    const meets = answers > 0 && (slo.error_rate === undefined || errors / answers <= slo.error_rate) && (slo.p95_ms === undefined || (latency?.p95 ?? 0) <= slo.p95_ms);
    plateaus.push({
      offered_rps: p.rate,
      achieved_rps: Math.round(achieved * 10) / 10,
      latency_ms: latency,
      outcomes,
      rate_limited: byClass('rate_limited'),
      server_errors: byClass('server_error'),
      dropped_iterations: generator.dropped,
      max_vus: generator.maxVus,
      meets_slo: meets,
      generator_limited: generator.dropped > p.rate * seconds * 0.01 || generator.maxVus >= vusFor(p.rate, SCENARIOS[c.scenario]!.iterationSec).maxVUs,
    });
  }
  const firstMiss = plateaus.findIndex((p) => !p.meets_slo || p.generator_limited);
  const knee = firstMiss === 0 ? null : (plateaus[(firstMiss < 0 ? plateaus.length : firstMiss) - 1]?.offered_rps ?? null);
  const miss = firstMiss >= 0 ? plateaus[firstMiss]! : undefined;
  const limitedBy = !miss ? 'none: the ceiling was reached within the SLOs' : miss.generator_limited && miss.rate_limited === 0 ? 'generator' : 'target';
  return { capacity: { knee_rps: knee, limited_by: limitedBy, slo, plateaus } };
}

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
];
