/**
 * How contacts arrive. k6's arrival-rate executors start iterations evenly spaced; contacts arrive as an
 * inhomogeneous Poisson process whose rate is itself random from one interval to the next (gamma-Poisson:
 * Brown et al., JASA 2005; Jongbloed & Koole 2001). offerload makes the arrival times in Node before k6 starts,
 * seeded, from the profile's rate curve:
 *
 * - per interval (DISPERSION_INTERVAL_SEC), the rate is multiplied by a gamma factor of mean 1 chosen so that
 *   the counts per interval have the requested variance-to-mean ratio (1: none, plain Poisson);
 * - per window of WINDOW_MS, arrival times are a Poisson process at the window's mean rate (exponential gaps,
 *   restarted at each window: exact for a rate constant within the window);
 * - k6 then starts exactly each window's count during that window (a stepped ramping-arrival-rate), ARRIVAL_LEAD_MS
 *   ahead of time, and each iteration sleeps until its own arrival time: the open model stays open (a slow
 *   target never delays an arrival) and an iteration that starts after its arrival time (no free VU) is late,
 *   and counted so. The windows are short so that the sleep is short: a sleeping VU is a VU (and in session
 *   reuse mode a session) that a connector's client would not hold.
 */
import { type Profile, type ProfileParams, type RateCurve, vusFor } from './profiles.js';
import { seededRandom } from './random.js';

export const ARRIVAL_MODES = ['poisson', 'even'] as const;
export type ArrivalMode = (typeof ARRIVAL_MODES)[number];
/** Poisson: how contacts arrive. `even` is k6's own spacing, for comparing with runs taken before. */
export const DEFAULT_ARRIVALS: ArrivalMode = 'poisson';

/** Variance-to-mean ratio of counts per interval: 1 is Poisson; contact centres see more. */
export const DEFAULT_DISPERSION = 1;
/** The interval over which the rate is one gamma draw when no forecast sets it, seconds. */
export const DISPERSION_INTERVAL_SEC = 60;
/** The window whose arrival count k6 starts as one step, ms. */
export const WINDOW_MS = 100;
/**
 * k6 starts a window's iterations this long before the window (two windows), ms. k6 spreads a window's starts
 * evenly over it, so one window of lead could leave none to spare when a window's arrivals all fall at its
 * start; two leave at least a window.
 */
export const ARRIVAL_LEAD_MS = 2 * WINDOW_MS;
/** An iteration starting this much after its arrival time is late (a VU was not free), ms. */
export const LATE_AFTER_MS = 5;

/** What k6 reads: the arrival time of each iteration and the count per one-second window. */
export interface ArrivalPlan {
  readonly version: 2;
  /** poisson, or even: evenly spaced along the curve (a forecast replayed with --arrivals even) */
  readonly mode: ArrivalMode;
  readonly seed: number;
  readonly dispersion: number;
  readonly intervalSec: number;
  readonly windowMs: number;
  readonly leadMs: number;
  /** arrivals per window of windowMs, from the start */
  readonly counts: readonly number[];
  /** each arrival's time from the start, ms, ascending; iteration k waits for offsetsMs[k] + leadMs */
  readonly offsetsMs: readonly number[];
}

/** A profile run's rate curve. */
export const profileCurve = (profile: Profile, p: ProfileParams): RateCurve => ({
  startRate: profile.startRate(p),
  segments: profile.segments(p),
});

/** The expected arrivals in each window of `windowMs`: the integral of the (piecewise linear) rate over it. */
export function windowMeans(curve: RateCurve, windowMs = 1000): number[] {
  const means: number[] = [];
  const w = windowMs / 1000;
  let from = curve.startRate;
  let t0 = 0;
  // the integral of the rate from 0 to t, segment by segment
  const ends: { t0: number; t1: number; a: number; b: number; before: number }[] = [];
  let before = 0;
  for (const s of curve.segments) {
    ends.push({ t0, t1: t0 + s.seconds, a: from, b: s.rate, before });
    before += ((from + s.rate) / 2) * s.seconds;
    t0 += s.seconds;
    from = s.rate;
  }
  const integral = (t: number): number => {
    for (const e of ends) {
      if (t > e.t1) continue;
      const x = t - e.t0;
      const slope = e.t1 > e.t0 ? (e.b - e.a) / (e.t1 - e.t0) : 0;
      return e.before + e.a * x + (slope * x * x) / 2;
    }
    return before;
  };
  const windows = Math.round(t0 / w);
  let last = 0;
  for (let i = 1; i <= windows; i++) {
    const next = integral(i * w);
    means.push(next - last);
    last = next;
  }
  return means;
}

/** A gamma variate of shape k and mean 1 (Marsaglia and Tsang; shape below 1 boosted by U^(1/k)). */
export function gammaMeanOne(k: number, random: () => number): number {
  const normal = (): number => {
    // Box-Muller; 1 - U keeps log away from 0
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const shape = k < 1 ? k + 1 : k;
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
      const g = d * v;
      return (k < 1 ? g * (1 - random()) ** (1 / k) : g) / k;
    }
  }
}

/**
 * Arrival times for a rate curve (ms from the start, ascending) and the count in each window of WINDOW_MS.
 * `dispersion` is the variance-to-mean ratio of counts per `intervalSec` interval (at least 1).
 */
export function arrivalPlan(
  curve: RateCurve,
  opts: { seed: number; dispersion: number; intervalSec?: number },
): ArrivalPlan {
  const intervalSec = opts.intervalSec ?? DISPERSION_INTERVAL_SEC;
  const perInterval = Math.max(1, Math.round((intervalSec * 1000) / WINDOW_MS));
  const random = seededRandom((opts.seed ^ 0xa441) >>> 0);
  const means = windowMeans(curve, WINDOW_MS);
  const counts: number[] = [];
  const offsetsMs: number[] = [];
  let factor = 1;
  for (let w = 0; w < means.length; w++) {
    if (w % perInterval === 0 && opts.dispersion > 1) {
      // counts over the interval: variance m + m^2/k; VMR = 1 + m/k = D  =>  k = m / (D - 1)
      const m = means.slice(w, w + perInterval).reduce((a, b) => a + b, 0);
      factor = m > 0 ? gammaMeanOne(m / (opts.dispersion - 1), random) : 1;
    }
    // expected arrivals in this window; gaps in units of the window
    const mean = means[w]! * factor;
    let n = 0;
    if (mean > 0) {
      for (let t = -Math.log(1 - random()) / mean; t < 1; t += -Math.log(1 - random()) / mean) {
        offsetsMs.push(Math.floor((w + t) * WINDOW_MS));
        n++;
      }
    }
    counts.push(n);
  }
  return {
    version: 2,
    mode: 'poisson',
    seed: opts.seed,
    dispersion: opts.dispersion,
    intervalSec,
    windowMs: WINDOW_MS,
    leadMs: ARRIVAL_LEAD_MS,
    counts,
    offsetsMs,
  };
}

/**
 * Evenly spaced arrivals along a rate curve, as k6 spaces them: arrival k where the rate's integral reaches
 * k + 1/2. For a forecast replayed with --arrivals even (k6's own executor cannot follow a forecast's steps).
 */
export function evenArrivalPlan(curve: RateCurve, seed: number): ArrivalPlan {
  const means = windowMeans(curve, WINDOW_MS);
  const counts: number[] = [];
  const offsetsMs: number[] = [];
  let before = 0;
  for (let w = 0; w < means.length; w++) {
    const after = before + means[w]!;
    let n = 0;
    for (let k = Math.ceil(before - 0.5); k + 0.5 < after; k++) {
      if (k + 0.5 < before) continue;
      offsetsMs.push(Math.floor((w + (k + 0.5 - before) / means[w]!) * WINDOW_MS));
      n++;
    }
    counts.push(n);
    before = after;
  }
  return {
    version: 2,
    mode: 'even',
    seed,
    dispersion: 1,
    intervalSec: DISPERSION_INTERVAL_SEC,
    windowMs: WINDOW_MS,
    leadMs: ARRIVAL_LEAD_MS,
    counts,
    offsetsMs,
  };
}

/** The expected arrivals in the busiest hour of a rate curve (all of them for a curve of an hour or less). */
export function busiestHour(curve: RateCurve): number {
  const perSecond = windowMeans(curve, 1000);
  let sum = 0;
  let best = 0;
  for (let i = 0; i < perSecond.length; i++) {
    sum += perSecond[i]! - (i >= 3600 ? perSecond[i - 3600]! : 0);
    best = Math.max(best, sum);
  }
  return best;
}

/** The most arrivals in any second of the plan (a sliding second of windows), for sizing the VUs. */
export function peakPerSecond(counts: readonly number[], windowMs: number): number {
  const span = Math.max(1, Math.round(1000 / windowMs));
  let sum = 0;
  let peak = 0;
  for (let i = 0; i < counts.length; i++) {
    sum += counts[i]! - (i >= span ? counts[i - span]! : 0);
    peak = Math.max(peak, sum);
  }
  return peak;
}

/**
 * A ramping-arrival-rate executor's start rate (per second) and stages that start exactly each window's count
 * within that window (steps: a 0 s stage jumps, a window-long stage holds), runs of equal counts merged. k6
 * starts an iteration when the rate's integral passes the next whole number, so the last one would fall on the
 * scenario's end and never start: a last second at rate 1 starts it (an iteration past the plan does nothing).
 */
export function steppedStages(
  counts: readonly number[],
  windowMs: number,
): {
  startRate: number;
  stages: { target: number; duration: string }[];
} {
  const perSecond = (n: number): number => (n * 1000) / windowMs;
  const stages: { target: number; duration: string }[] = [];
  let i = 0;
  while (i < counts.length) {
    let j = i;
    while (j + 1 < counts.length && counts[j + 1] === counts[i]) j++;
    if (i > 0) stages.push({ target: perSecond(counts[i]!), duration: '0s' });
    stages.push({ target: perSecond(counts[i]!), duration: `${(j - i + 1) * windowMs}ms` });
    i = j + 1;
  }
  stages.push({ target: 1, duration: '0s' }, { target: 1, duration: '1s' });
  return { startRate: perSecond(counts[0] ?? 0), stages };
}

/**
 * The index of dispersion of counts per bin, local: variance over mean within each run of `chunk` bins (a rate
 * that steps or ramps would otherwise count as dispersion), averaged over the chunks weighted by their counts.
 */
export function localDispersion(counts: readonly number[], chunk: number): number | undefined {
  let weighted = 0;
  let total = 0;
  for (let i = 0; i + chunk <= counts.length; i += chunk) {
    const part = counts.slice(i, i + chunk);
    const index = dispersionIndex(part);
    if (index === undefined) continue;
    const n = part.reduce((a, b) => a + b, 0);
    weighted += index * n;
    total += n;
  }
  return total > 0 ? weighted / total : undefined;
}

/** The index of dispersion (variance / mean) of counts per bin; undefined with fewer than two bins or no counts. */
export function dispersionIndex(counts: readonly number[]): number | undefined {
  if (counts.length < 2) return undefined;
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  if (mean === 0) return undefined;
  const variance = counts.reduce((a, b) => a + (b - mean) ** 2, 0) / (counts.length - 1);
  return variance / mean;
}

/**
 * The executor for a plan's arrivals: exactly each window's arrivals started within that window, the plan's lead
 * ahead (src/k6/arrivals.ts sleeps each to its time); VUs for the busiest second's arrivals through their wait (at
 * most the lead and a window) and their work.
 */
export function planScenario(
  plan: Pick<ArrivalPlan, 'counts' | 'windowMs' | 'leadMs'>,
  iterationSec: number,
  concurrent?: number,
): Record<string, unknown> & { startRate: number; preAllocatedVUs: number; maxVUs: number } {
  const waitSec = (plan.leadMs + plan.windowMs) / 1000;
  // iterations that live for minutes (a contact centre's contacts): the plan knows how many overlap at most
  const vus =
    concurrent === undefined
      ? vusFor(Math.max(1, peakPerSecond(plan.counts, plan.windowMs)), iterationSec + waitSec)
      : { preAllocatedVUs: Math.ceil(concurrent * 1.1) + 5, maxVUs: Math.ceil(concurrent * 1.1) * 2 + 10 };
  return {
    executor: 'ramping-arrival-rate',
    exec: 'default',
    timeUnit: '1s',
    ...steppedStages(plan.counts, plan.windowMs),
    ...vus,
    // iterations that wait (and a timeout sweep following each offer to its fate) must be let finish
    gracefulStop: `${Math.max(10, Math.ceil(iterationSec + waitSec) + 5)}s`,
  };
}
