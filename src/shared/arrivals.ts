/**
 * How contacts arrive. k6's arrival-rate executors start iterations evenly spaced; contacts arrive as an
 * inhomogeneous Poisson process whose rate is itself random from one interval to the next (gamma-Poisson:
 * Brown et al., JASA 2005; Jongbloed & Koole 2001). offerload makes the arrival times in Node before k6 starts,
 * seeded, from the profile's rate curve:
 *
 * - per interval (DISPERSION_INTERVAL_SEC), the rate is multiplied by a gamma factor of mean 1 chosen so that
 *   the counts per interval have the requested variance-to-mean ratio (1: none, plain Poisson);
 * - per one-second window, arrival times are a Poisson process at the window's mean rate (exponential gaps,
 *   restarted at each window: exact for a rate constant within the window);
 * - k6 then starts exactly each window's count during that window (a stepped ramping-arrival-rate), one window
 *   ahead of time, and each iteration sleeps until its own arrival time: the open model stays open (a slow
 *   target never delays an arrival) and an iteration that starts after its arrival time (no free VU) is late,
 *   and counted so.
 */
import type { Profile, ProfileParams } from './profiles.js';
import { seededRandom } from './random.js';

export const ARRIVAL_MODES = ['poisson', 'even'] as const;
export type ArrivalMode = (typeof ARRIVAL_MODES)[number];
/**
 * Even for now: under Poisson arrivals the capacity expectations derived for even spacing no longer hold (they
 * are to be re-derived from M/D/c/K queueing theory), and sleeping VUs open more sessions in reuse mode than a
 * connector's client would. Until both are settled, Poisson is asked for with --arrivals poisson.
 */
export const DEFAULT_ARRIVALS: ArrivalMode = 'even';

/** Variance-to-mean ratio of counts per interval: 1 is Poisson; contact centres see more. */
export const DEFAULT_DISPERSION = 1;
/** The interval over which the rate is one gamma draw when no forecast sets it, seconds. */
export const DISPERSION_INTERVAL_SEC = 60;
/** k6 starts a window's iterations this long before their arrivals (one window), seconds. */
export const ARRIVAL_LEAD_SEC = 1;
/** An iteration starting this much after its arrival time is late (a VU was not free), ms. */
export const LATE_AFTER_MS = 5;

/** What k6 reads: the arrival time of each iteration and the count per one-second window. */
export interface ArrivalPlan {
  readonly version: 1;
  readonly mode: 'poisson';
  readonly seed: number;
  readonly dispersion: number;
  readonly intervalSec: number;
  readonly leadSec: number;
  /** arrivals per one-second window, from the start */
  readonly counts: readonly number[];
  /** each arrival's time from the start, ms, ascending; iteration k waits for offsetsMs[k] + leadSec */
  readonly offsetsMs: readonly number[];
}

/** The profile's expected arrivals in each one-second window: the integral of its (piecewise linear) rate. */
export function windowMeans(profile: Profile, p: ProfileParams): number[] {
  const means: number[] = [];
  let from = profile.startRate(p);
  for (const s of profile.segments(p)) {
    for (let i = 0; i < s.seconds; i++) {
      const a = from + ((s.rate - from) * i) / s.seconds;
      const b = from + ((s.rate - from) * (i + 1)) / s.seconds;
      means.push((a + b) / 2);
    }
    from = s.rate;
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
 * Arrival times for a profile run (ms from the start, ascending) and the count in each one-second window.
 * `dispersion` is the variance-to-mean ratio of counts per `intervalSec` interval (at least 1).
 */
export function arrivalPlan(
  profile: Profile,
  p: ProfileParams,
  opts: { seed: number; dispersion: number; intervalSec?: number },
): ArrivalPlan {
  const intervalSec = opts.intervalSec ?? DISPERSION_INTERVAL_SEC;
  const random = seededRandom((opts.seed ^ 0xa441) >>> 0);
  const means = windowMeans(profile, p);
  const counts: number[] = [];
  const offsetsMs: number[] = [];
  let factor = 1;
  for (let w = 0; w < means.length; w++) {
    if (w % intervalSec === 0 && opts.dispersion > 1) {
      // counts over the interval: variance m + m^2/k; VMR = 1 + m/k = D  =>  k = m / (D - 1)
      const m = means.slice(w, w + intervalSec).reduce((a, b) => a + b, 0);
      factor = m > 0 ? gammaMeanOne(m / (opts.dispersion - 1), random) : 1;
    }
    const rate = means[w]! * factor;
    let n = 0;
    if (rate > 0) {
      for (let t = -Math.log(1 - random()) / rate; t < 1; t += -Math.log(1 - random()) / rate) {
        offsetsMs.push(Math.floor((w + t) * 1000));
        n++;
      }
    }
    counts.push(n);
  }
  return {
    version: 1,
    mode: 'poisson',
    seed: opts.seed,
    dispersion: opts.dispersion,
    intervalSec,
    leadSec: ARRIVAL_LEAD_SEC,
    counts,
    offsetsMs,
  };
}

/**
 * A ramping-arrival-rate executor's start rate and stages that start exactly each window's count within that
 * window (steps: a 0 s stage jumps, a 1 s stage holds), runs of equal counts merged. k6 starts an iteration when
 * the rate's integral passes the next whole number, so the last one would fall on the scenario's end and never
 * start: a last second at rate 1 starts it (an iteration past the plan does nothing).
 */
export function steppedStages(counts: readonly number[]): {
  startRate: number;
  stages: { target: number; duration: string }[];
} {
  const stages: { target: number; duration: string }[] = [];
  let i = 0;
  while (i < counts.length) {
    let j = i;
    while (j + 1 < counts.length && counts[j + 1] === counts[i]) j++;
    if (i > 0) stages.push({ target: counts[i]!, duration: '0s' });
    stages.push({ target: counts[i]!, duration: `${j - i + 1}s` });
    i = j + 1;
  }
  stages.push({ target: 1, duration: '0s' }, { target: 1, duration: '1s' });
  return { startRate: counts[0] ?? 0, stages };
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
