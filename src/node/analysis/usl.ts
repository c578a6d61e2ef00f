/**
 * The Universal Scalability Law fitted to capacity plateaus: served rate X against requests in flight N
 * (Little's law: N = X × mean latency), X(N) = λN / (1 + σ(N−1) + κN(N−1)). Fitted by least squares on its
 * linear form N/X = a + b(N−1) + cN(N−1) (a = 1/λ, b = σ/λ, c = κ/λ) for a start, then by least squares on X;
 * the predicted peak comes with a 90% interval from a bootstrap over the plateaus (seeded, so a report is reproducible).
 */
import { seededRandom } from '../../shared/random.js';
import type { UslFit } from '../results/model.js';
import { uslThroughput, type UslCoefficients } from '../results/usl-curve.js';

export type { UslFit };

export interface UslPoint {
  /** requests in flight (served rate × mean latency) */
  readonly n: number;
  /** served requests per second */
  readonly x: number;
}

/** Solves the 3×3 normal equations of a least-squares fit y ≈ Σ β_j f_j; undefined when singular. */
function leastSquares3(
  rows: readonly (readonly [number, number, number])[],
  y: readonly number[],
): [number, number, number] | undefined {
  const m = [0, 1, 2].map((i) => [0, 1, 2].map((j) => rows.reduce((s, r) => s + r[i]! * r[j]!, 0)));
  const v = [0, 1, 2].map((i) => rows.reduce((s, r, k) => s + r[i]! * y[k]!, 0));
  // Gaussian elimination with partial pivoting
  for (let c = 0; c < 3; c++) {
    let p = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (Math.abs(m[p]![c]!) < 1e-12) return undefined;
    [m[c], m[p]] = [m[p]!, m[c]!];
    [v[c], v[p]] = [v[p]!, v[c]!];
    for (let r = c + 1; r < 3; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k < 3; k++) m[r]![k]! -= f * m[c]![k]!;
      v[r]! -= f * v[c]!;
    }
  }
  const b = [0, 0, 0];
  for (let r = 2; r >= 0; r--)
    b[r] = (v[r]! - m[r]!.slice(r + 1).reduce((s, x, k) => s + x * b[r + 1 + k]!, 0)) / m[r]![r]!;
  return b as [number, number, number];
}

type Coefficients = UslCoefficients;

/** Nelder-Mead minimisation of f from x0 (a few hundred steps are plenty for three parameters). */
function nelderMead(f: (x: number[]) => number, x0: readonly number[], steps = 600): number[] {
  let simplex = [[...x0], ...x0.map((_, i) => x0.map((v, j) => (j === i ? v * 1.3 + 1e-4 : v)))];
  const n = x0.length;
  for (let k = 0; k < steps; k++) {
    simplex.sort((a, b) => f(a) - f(b));
    const centre = x0.map((_, j) => simplex.slice(0, n).reduce((a, p) => a + p[j]!, 0) / n);
    const worst = simplex[n]!;
    const toward = (t: number): number[] => centre.map((v, j) => v + t * (v - worst[j]!));
    const reflected = toward(1);
    if (f(reflected) < f(simplex[0]!)) {
      const expanded = toward(2);
      simplex[n] = f(expanded) < f(reflected) ? expanded : reflected;
    } else if (f(reflected) < f(simplex[n - 1]!)) {
      simplex[n] = reflected;
    } else {
      const contracted = toward(-0.5);
      if (f(contracted) < f(worst)) simplex[n] = contracted;
      else simplex = simplex.map((p) => p.map((v, j) => simplex[0]![j]! + 0.5 * (v - simplex[0]![j]!)));
    }
  }
  return simplex.sort((a, b) => f(a) - f(b))[0]!;
}

/**
 * The curve's parameters from points: the linear form gives a start, then least squares on X itself (the
 * linear form weighs the busiest plateaus most, where N/X is largest). σ and κ stay at or above 0.
 */
function coefficients(points: readonly UslPoint[]): Coefficients | undefined {
  const rows = points.map((p) => [1, p.n - 1, p.n * (p.n - 1)] as const);
  const beta = leastSquares3(
    rows,
    points.map((p) => p.n / p.x),
  );
  const start =
    beta && beta[0] > 0
      ? [1 / beta[0], Math.max(0, beta[1] / beta[0]), Math.max(0, beta[2] / beta[0])]
      : [Math.max(...points.map((p) => p.x / p.n)), 0.01, 0.0001];
  const cost = ([lambda, sigma, kappa]: number[]): number =>
    lambda! <= 0 || sigma! < 0 || kappa! < 0
      ? Infinity
      : points.reduce(
          (a, p) => a + (p.x - uslThroughput({ lambda: lambda!, sigma: sigma!, kappa: kappa! }, p.n)) ** 2,
          0,
        );
  const [lambda, sigma, kappa] = nelderMead(cost, start);
  return Number.isFinite(cost([lambda!, sigma!, kappa!]))
    ? { lambda: lambda!, sigma: sigma!, kappa: kappa! }
    : undefined;
}

function peakOf(c: Coefficients): { rps: number | null; n: number | null } {
  if (c.kappa > 0) {
    const n = Math.max(1, Math.sqrt((1 - c.sigma) / c.kappa));
    return { rps: uslThroughput(c, n), n };
  }
  return c.sigma > 0 ? { rps: c.lambda / c.sigma, n: null } : { rps: null, n: null };
}

const round = (v: number, places = 1): number => Math.round(v * 10 ** places) / 10 ** places;

/** Fits the curve to at least three plateaus with traffic; undefined when they cannot determine it. */
export function fitUsl(points: readonly UslPoint[], bootstrap = 400, seed = 42): UslFit | undefined {
  const usable = points.filter((p) => p.n > 0 && p.x > 0);
  if (usable.length < 3) return undefined;
  const c = coefficients(usable);
  if (!c) return undefined;
  const peak = peakOf(c);
  const fitted = usable.map((p) => uslThroughput(c, p.n));
  const mean = usable.reduce((s, p) => s + p.x, 0) / usable.length;
  const ssTot = usable.reduce((s, p) => s + (p.x - mean) ** 2, 0);
  const ssRes = usable.reduce((s, p, i) => s + (p.x - fitted[i]!) ** 2, 0);
  let interval: [number, number | null] | null = null;
  if (usable.length >= 4 && peak.rps !== null) {
    // a bootstrap over the plateaus themselves (resampled with replacement): a curve that cannot follow the data
    // (a sharp knee) moves with the points it is given, and the interval says so
    const random = seededRandom(seed);
    const peaks: number[] = [];
    for (let b = 0; b < bootstrap; b++) {
      const sample = usable.map(() => usable[Math.floor(random() * usable.length)]!);
      if (new Set(sample.map((p) => p.n)).size < 3) continue;
      const cb = coefficients(sample);
      const pb = cb ? peakOf(cb).rps : null;
      if (pb !== null && Number.isFinite(pb)) peaks.push(pb);
    }
    peaks.sort((a, b) => a - b);
    // an upper end past three times the most any plateau served: the plateaus cannot bound the peak from above
    const most = Math.max(...usable.map((p) => p.x));
    const upper = peaks[Math.ceil(peaks.length * 0.95) - 1]!;
    if (peaks.length >= bootstrap / 2)
      interval = [round(peaks[Math.floor(peaks.length * 0.05)]!), upper > 3 * most ? null : round(upper)];
  }
  return {
    lambda: round(c.lambda, 3),
    sigma: round(c.sigma, 4),
    kappa: round(c.kappa, 6),
    peak_rps: peak.rps === null ? null : round(peak.rps),
    peak_in_flight: peak.n === null ? null : round(peak.n),
    peak_interval_rps: interval,
    r2: ssTot > 0 ? round(1 - ssRes / ssTot, 3) : 0,
    points: usable.length,
  };
}
