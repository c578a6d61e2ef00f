/**
 * The capacity section: per plateau the offered and achieved rate, latency, the outcome mix and what refused
 * or failed; then the knee, the saturation throughput and what limited the run. Honest about early stops: the
 * plateau the watchdog stopped is a miss, "the ceiling was reached" only when every plateau ran and met the
 * SLOs, and a plateau whose request mix drifted from the first is flagged (its figures measure another load).
 */
import { capacityPlateaus, vusFor } from '../../shared/profiles.js';
import { isFailure, isStorm, outcomeClass, type Outcome } from '../../shared/outcome.js';
import { SCENARIOS, type Slo } from '../../shared/scenarios.js';
import { generatorOf, latencyOf, outcomesOf, requestsOf, runSpan } from '../influx/windows.js';
import type { CapacitySection, Plateau, RunSummary } from '../results/model.js';
import type { SectionContext } from './sections.js';
import { runSlo } from './slo.js';

/** How far a plateau's request mix may move from the first plateau's before it is flagged, percentage points. */
export const MIX_TOLERANCE_POINTS = 5;

const sum = (outcomes: Record<string, number>, keep: (o: Outcome) => boolean): number =>
  Object.entries(outcomes).filter(([o]) => keep(o as Outcome)).reduce((a, [, n]) => a + n, 0);

/**
 * The request mix of a plateau: each outcome's share of the answers the request itself decided (successes,
 * conflicts, validation), leaving out what load causes (429s, 5xx, timeouts), so a busier target does not
 * look like another mix.
 */
export function requestMix(outcomes: Record<string, number>): Record<string, number> {
  const decided = Object.entries(outcomes).filter(([o]) => !isStorm(o as Outcome));
  const total = decided.reduce((a, [, n]) => a + n, 0);
  return Object.fromEntries(decided.map(([o, n]) => [o, total ? Math.round((n / total) * 1000) / 1000 : 0]));
}

/** The largest move of any outcome's share between two mixes, percentage points. */
export function mixShift(a: Record<string, number>, b: Record<string, number>): number {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  let most = 0;
  for (const k of keys) most = Math.max(most, Math.abs((a[k] ?? 0) - (b[k] ?? 0)));
  return Math.round(most * 1000) / 10;
}

/**
 * Whether a mix really differs from the first: some outcome's share moved more than the tolerance and more
 * than three standard errors of the difference of two shares (a short first plateau holds only a few hundred
 * answers, so a few points can be noise).
 */
export function mixDiffers(a: Record<string, number>, na: number, b: Record<string, number>, nb: number, tolerancePoints = MIX_TOLERANCE_POINTS): boolean {
  if (na === 0 || nb === 0) return false;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const pa = a[k] ?? 0;
    const pb = b[k] ?? 0;
    const pooled = (pa * na + pb * nb) / (na + nb);
    const se = Math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb));
    if (Math.abs(pa - pb) * 100 > tolerancePoints && Math.abs(pa - pb) > 3 * se) return true;
  }
  return false;
}

/** Whether a plateau's figures meet the run's SLO. */
export function meetsSlo(slo: Slo, answers: number, errors: number, p95: number | undefined): boolean {
  return answers > 0 && (slo.error_rate === undefined || errors / answers <= slo.error_rate) && (slo.p95_ms === undefined || (p95 ?? 0) <= slo.p95_ms);
}

/** The knee and what limited the run, from its plateaus (in order) and whether every planned plateau ran. */
export function verdict(plateaus: readonly Plateau[], allRan: boolean, slo: Slo): Pick<CapacitySection, 'knee_rps' | 'limited_by'> {
  const firstMiss = plateaus.findIndex((p) => !p.meets_slo || p.generator_limited);
  const knee = firstMiss === 0 ? null : (plateaus[(firstMiss < 0 ? plateaus.length : firstMiss) - 1]?.offered_rps ?? null);
  if (firstMiss < 0) return { knee_rps: knee, limited_by: allRan ? 'none: the ceiling was reached within the SLOs' : 'unknown: the run ended before its ceiling' };
  const miss = plateaus[firstMiss]!;
  const targetSignals = miss.rate_limited > 0 || miss.server_errors > 0 || (slo.p95_ms !== undefined && (miss.latency_ms?.p95 ?? 0) > slo.p95_ms) || !miss.meets_slo;
  return { knee_rps: knee, limited_by: miss.generator_limited && miss.rate_limited === 0 && miss.server_errors === 0 ? 'generator' : targetSignals ? 'target' : 'unknown' };
}

export async function capacitySection(c: SectionContext): Promise<Pick<RunSummary, 'capacity'> | undefined> {
  if (c.profile !== 'capacity' || !c.influx) return undefined;
  const span = await runSpan(c.influx, c.testid);
  if (!span) return undefined;
  const slo = runSlo(c, 'offer');
  const planned = capacityPlateaus(c.params);
  const plateaus: Plateau[] = [];
  let firstMix: { mix: Record<string, number>; n: number } | undefined;
  for (const p of planned) {
    // skip each plateau's first two seconds: the step itself
    const startMs = span.startMs + p.startSec * 1000;
    const from = startMs + Math.min(2, p.seconds / 2) * 1000;
    const to = startMs + p.seconds * 1000;
    if (from >= span.endMs) break;
    const end = Math.min(to, span.endMs + 1);
    const seconds = (end - from) / 1000;
    const outcomes = await outcomesOf(c.influx, c.testid, 'offer', from, end);
    const answers = sum(outcomes, () => true);
    const errors = sum(outcomes, isFailure);
    const latency = await latencyOf(c.influx, c.testid, 'offer', from, end);
    const generator = await generatorOf(c.influx, c.testid, from, end);
    const achieved = (await requestsOf(c.influx, c.testid, 'offer', from, end)) / seconds;
    const mix = requestMix(outcomes);
    const decided = sum(outcomes, (o) => !isStorm(o));
    firstMix ??= { mix, n: decided };
    const shift = mixShift(firstMix.mix, mix);
    // the watchdog stopped the run during this plateau: whatever its partial figures say, it is a miss
    const stoppedHere = c.stoppedAtMs !== undefined && c.stoppedAtMs >= startMs && c.stoppedAtMs < to + 2000;
    plateaus.push({
      offered_rps: p.rate,
      achieved_rps: Math.round(achieved * 10) / 10,
      served_rps: Math.round((sum(outcomes, (o) => ['success', 'conflict'].includes(outcomeClass(o))) / seconds) * 10) / 10,
      latency_ms: latency,
      outcomes,
      mix,
      mix_shift_points: shift,
      mix_differs: mixDiffers(firstMix.mix, firstMix.n, mix, decided),
      rate_limited: sum(outcomes, (o) => outcomeClass(o) === 'rate_limited'),
      server_errors: sum(outcomes, (o) => outcomeClass(o) === 'server_error'),
      dropped_iterations: generator.dropped,
      max_vus: generator.maxVus,
      stopped_here: stoppedHere,
      meets_slo: !stoppedHere && meetsSlo(slo, answers, errors, latency?.p95),
      generator_limited: generator.dropped > p.rate * seconds * 0.01 || generator.maxVus >= vusFor(p.rate, SCENARIOS[c.scenario]!.iterationSec).maxVUs,
    });
    if (stoppedHere) break;
  }
  const allRan = plateaus.length === planned.length && span.endMs >= span.startMs + (planned.at(-1)!.startSec + planned.at(-1)!.seconds) * 1000 - 2000;
  const saturation = Math.max(0, ...plateaus.map((p) => p.served_rps));
  return {
    capacity: {
      ...verdict(plateaus, allRan, slo),
      saturation_rps: saturation,
      mix_tolerance_points: MIX_TOLERANCE_POINTS,
      mix_drift_plateaus: plateaus.filter((p) => p.mix_differs).map((p) => p.offered_rps),
      slo,
      plateaus,
    },
  };
}
