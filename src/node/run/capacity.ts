/**
 * The capacity section: per plateau the offered and achieved rate, latency, the outcome mix and what refused
 * or failed; then the knee, the saturation throughput and what limited the run. Honest about early stops: the
 * plateau the watchdog stopped is a miss, "the ceiling was reached" only when every plateau ran and met the
 * SLOs, and a plateau whose request mix drifted from the first is flagged (its figures measure another load).
 */
import { capacityPlateaus, getProfile, vusFor } from '../../shared/profiles.js';
import { isFailure, isStorm, outcomeClass, type Outcome } from '../../shared/outcome.js';
import { SCENARIOS, type Slo } from '../../shared/scenarios.js';
import { generatorOf, latencyOf, meanLatencyOf, outcomesOf, requestsOf, runSpan } from '../influx/windows.js';
import type { InfluxTarget } from '../influx/connection.js';
import { fitUsl, type UslFit } from '../analysis/usl.js';
import { maxGeneratorCpuShare } from './generator-health.js';
import type { CapacitySection, LatencyMs, Plateau, RunSummary } from '../results/model.js';
import type { SectionContext } from './section-context.js';
import { checkSlo, runSlo, sloFigures } from './slo.js';

/** k6's share of its machine's cores (the CLI's /proc samples) from which a plateau measured the generator, not the target. */
export const GENERATOR_CPU_LIMIT = 0.85;

/** How far a plateau's request mix may move from the first plateau's before it is flagged, percentage points. */
export const MIX_TOLERANCE_POINTS = 5;

const sum = (outcomes: Record<string, number>, keep: (o: Outcome) => boolean): number =>
  Object.entries(outcomes)
    .filter(([o]) => keep(o as Outcome))
    .reduce((a, [, n]) => a + n, 0);

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
export function mixDiffers(
  a: Record<string, number>,
  na: number,
  b: Record<string, number>,
  nb: number,
  tolerancePoints = MIX_TOLERANCE_POINTS,
): boolean {
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

/**
 * Whether latency climbed through a plateau: the mean of its last third over one and a half times its first
 * third's and 25 ms more. A target past its capacity queues what it cannot serve, so its latency grows for as
 * long as the plateau lasts; below capacity the thirds agree within noise.
 */
export function queueGrowing(earlyMs: number | undefined, lateMs: number | undefined): boolean {
  return earlyMs !== undefined && lateMs !== undefined && lateMs > earlyMs * 1.5 + 25;
}

/** The most of a plateau's answers a target may shed (429s, 5xx, timeouts) and still count as keeping up. */
export const SHED_TOLERANCE = 0.02;

/**
 * Whether the target kept up with a plateau: it shed (refused with 429, failed with 5xx, let time out) at most
 * SHED_TOLERANCE of what it was offered. A target past its capacity holds a full queue and refuses the rest:
 * its latency can stay under the SLO and its refusals under the error budget, but more load only makes more
 * refusals, so that rate is past the knee.
 */
export function keepsUp(outcomes: Record<string, number>): boolean {
  const answers = sum(outcomes, () => true);
  return answers > 0 && sum(outcomes, isStorm) / answers <= SHED_TOLERANCE;
}

/** Whether a plateau's answers and latency meet every objective of the run's SLO (checkSlo); no answers never do. */
export function meetsSlo(
  slo: Slo,
  outcomes: Readonly<Record<string, number>>,
  latency: LatencyMs | null | undefined,
): boolean {
  return sum(outcomes, () => true) > 0 && checkSlo(slo, sloFigures(outcomes, latency)).every((c) => c.pass);
}

/** The knee and what limited the run, from its plateaus (in order) and whether every planned plateau ran. */
export function verdict(
  plateaus: readonly Plateau[],
  allRan: boolean,
): Pick<CapacitySection, 'knee_rps' | 'limited_by'> {
  const firstMiss = plateaus.findIndex((p) => !p.meets_slo || p.generator_limited);
  const knee =
    firstMiss === 0 ? null : (plateaus[(firstMiss < 0 ? plateaus.length : firstMiss) - 1]?.offered_rps ?? null);
  if (firstMiss < 0)
    return {
      knee_rps: knee,
      limited_by: allRan
        ? 'none: the ceiling was reached within the SLOs'
        : 'unknown: the run ended before its ceiling',
    };
  const miss = plateaus[firstMiss]!;
  // meets_slo already holds every objective of the SLO (meetsSlo)
  const targetSignals = miss.rate_limited > 0 || miss.server_errors > 0 || !miss.meets_slo;
  return {
    knee_rps: knee,
    limited_by:
      miss.generator_limited && miss.rate_limited === 0 && miss.server_errors === 0
        ? 'generator'
        : targetSignals
          ? 'target'
          : 'unknown',
  };
}

/** What a plateau's figures are judged against, and where its run's points are. */
export interface PlateauContext {
  readonly influx: InfluxTarget;
  readonly testid: string;
  readonly scenario: string;
  readonly slo: Slo;
  /** when the watchdog stopped the run (epoch ms), or undefined */
  readonly stoppedAtMs: number | undefined;
}

/** The first plateau's mix, which every later plateau is held to. */
export interface BaseMix {
  readonly mix: Record<string, number>;
  readonly n: number;
}

/**
 * One plateau's figures over [startMs + its first two seconds, endMs): rate, latency, mix, requests in flight
 * (Little's law), what refused or failed, and its verdict. `base` is the first plateau's mix (undefined: this is it).
 */
export async function measurePlateau(
  c: PlateauContext,
  rate: number,
  startMs: number,
  endMs: number,
  base: BaseMix | undefined,
  phase: Plateau['phase'],
): Promise<{ plateau: Plateau; base: BaseMix }> {
  // skip each plateau's first two seconds: the step itself
  const from = startMs + Math.min(2000, (endMs - startMs) / 2);
  const seconds = (endMs - from) / 1000;
  const outcomes = await outcomesOf(c.influx, c.testid, 'offer', from, endMs);
  const answers = sum(outcomes, () => true);
  const latency = await latencyOf(c.influx, c.testid, 'offer', from, endMs);
  const meanMs = await meanLatencyOf(c.influx, c.testid, 'offer', from, endMs);
  const generator = await generatorOf(c.influx, c.testid, from, endMs);
  const cpu = await maxGeneratorCpuShare(c.influx, c.testid, from, endMs);
  const achieved = (await requestsOf(c.influx, c.testid, 'offer', from, endMs)) / seconds;
  const mix = requestMix(outcomes);
  const decided = sum(outcomes, (o) => !isStorm(o));
  const first = base ?? { mix, n: decided };
  // a queue that grows through the plateau: the target is not keeping up, even while a short plateau's p95 still looks fine
  const third = (endMs - from) / 3;
  const early = await meanLatencyOf(c.influx, c.testid, 'offer', from, from + third);
  const late = await meanLatencyOf(c.influx, c.testid, 'offer', endMs - third, endMs);
  const climb = early === undefined || late === undefined ? 0 : late - early;
  // the watchdog stopped the run during this plateau: whatever its partial figures say, it is a miss
  const stoppedHere = c.stoppedAtMs !== undefined && c.stoppedAtMs >= startMs && c.stoppedAtMs < endMs + 2000;
  const plateau: Plateau = {
    offered_rps: rate,
    phase,
    ...(phase === 'refine' ? { testid: c.testid } : {}),
    achieved_rps: Math.round(achieved * 10) / 10,
    served_rps: Math.round((sum(outcomes, (o) => !isFailure(o)) / seconds) * 10) / 10,
    in_flight: meanMs === undefined ? null : Math.round(achieved * (meanMs / 1000) * 100) / 100,
    latency_ms: latency,
    outcomes,
    mix,
    mix_shift_points: mixShift(first.mix, mix),
    mix_differs: mixDiffers(first.mix, first.n, mix, decided),
    rate_limited: sum(outcomes, (o) => outcomeClass(o) === 'rate_limited'),
    server_errors: sum(outcomes, (o) => outcomeClass(o) === 'server_error'),
    dropped_iterations: generator.dropped,
    max_vus: generator.maxVus,
    stopped_here: stoppedHere,
    latency_climb_ms: Math.round(climb * 10) / 10,
    shed_share: answers ? Math.round((sum(outcomes, isStorm) / answers) * 10000) / 10000 : 0,
    meets_slo: !stoppedHere && meetsSlo(c.slo, outcomes, latency) && !queueGrowing(early, late) && keepsUp(outcomes),
    generator_cpu_share: cpu,
    generator_limited:
      generator.dropped > rate * seconds * 0.01 ||
      generator.maxVus >= vusFor(rate, SCENARIOS[c.scenario]!.iterationSec).maxVUs ||
      (cpu ?? 0) >= GENERATOR_CPU_LIMIT,
  };
  return { plateau, base: first };
}

/**
 * The bracket of the knee: the highest rate that met the SLOs below the lowest that missed. None before a
 * miss, and none when the generator could not keep the rate first (then the generator is the limit, not the target).
 */
export function kneeBracket(plateaus: readonly Plateau[]): { met: number; missed: number } | undefined {
  const sorted = [...plateaus].sort((a, b) => a.offered_rps - b.offered_rps);
  const missed = sorted.find((p) => !p.meets_slo || p.generator_limited);
  if (!missed || missed.generator_limited) return undefined;
  const met = sorted.filter((p) => p.meets_slo && p.offered_rps < missed.offered_rps).at(-1);
  return met ? { met: met.offered_rps, missed: missed.offered_rps } : undefined;
}

/** The curve through every plateau the generator kept up with, or null when it cannot be fitted. */
export function uslOf(plateaus: readonly Plateau[]): UslFit | null {
  const points = plateaus
    .filter((p) => !p.generator_limited && p.in_flight !== null)
    .map((p) => ({ n: p.in_flight!, x: p.served_rps }));
  return fitUsl(points) ?? null;
}

/** The section's knee fields from its plateaus (coarse and refinement): the knee, its bracket and how tight it is. */
export function kneeFields(
  plateaus: readonly Plateau[],
): Pick<CapacitySection, 'knee_bracket_rps' | 'knee_precision'> & { knee_rps?: number } {
  const b = kneeBracket(plateaus);
  if (!b) return { knee_bracket_rps: null, knee_precision: null };
  return {
    knee_rps: b.met,
    knee_bracket_rps: [b.met, b.missed],
    knee_precision: Math.round(((b.missed - b.met) / b.met) * 1000) / 1000,
  };
}

export async function capacitySection(c: SectionContext): Promise<Pick<RunSummary, 'capacity'> | undefined> {
  if (!getProfile(c.profile).plateaus || !c.influx) return undefined;
  const span = await runSpan(c.influx, c.testid);
  if (!span) return undefined;
  const slo = runSlo(c, 'offer');
  const planned = capacityPlateaus(c.params);
  const plateaus: Plateau[] = [];
  let base: BaseMix | undefined;
  const at = { influx: c.influx, testid: c.testid, scenario: c.scenario, slo, stoppedAtMs: c.stoppedAtMs };
  for (const p of planned) {
    const startMs = span.startMs + p.startSec * 1000;
    if (startMs + Math.min(2, p.seconds / 2) * 1000 >= span.endMs) break;
    const measured = await measurePlateau(
      at,
      p.rate,
      startMs,
      Math.min(startMs + p.seconds * 1000, span.endMs + 1),
      base,
      'coarse',
    );
    base = measured.base;
    plateaus.push(measured.plateau);
    if (measured.plateau.stopped_here) break;
  }
  const allRan =
    plateaus.length === planned.length &&
    span.endMs >= span.startMs + (planned.at(-1)!.startSec + planned.at(-1)!.seconds) * 1000 - 2000;
  return { capacity: capacityFrom(plateaus, allRan, slo, span.endMs - span.startMs) };
}

/** The section from its plateaus: knee, bracket, saturation, drift, the fitted curve. */
export function capacityFrom(
  plateaus: readonly Plateau[],
  allRan: boolean,
  slo: Slo,
  coarseMs: number,
  refinement?: CapacitySection['refinement'],
): CapacitySection {
  const coarse = plateaus.filter((p) => p.phase === 'coarse');
  return {
    ...verdict(coarse, allRan),
    ...kneeFields(plateaus),
    saturation_rps: Math.max(0, ...plateaus.map((p) => p.served_rps)),
    usl: uslOf(plateaus),
    mix_tolerance_points: MIX_TOLERANCE_POINTS,
    mix_drift_plateaus: plateaus.filter((p) => p.mix_differs).map((p) => p.offered_rps),
    slo,
    coarse_ms: coarseMs,
    refinement: refinement ?? { probes: 0, note: 'no refinement ran' },
    plateaus,
  };
}
