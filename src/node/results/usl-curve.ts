/**
 * A fitted Universal Scalability Law curve as the results read it (the fit itself is analysis/usl.ts): the
 * throughput it predicts at a concurrency, and its peak as the summary, the report and `offerload capacity`
 * say it. Kept with the results so that they never import the analysis that produces them.
 */
import type { UslFit } from './model.js';

/** The curve's coefficients: λ (throughput of one), σ (contention), κ (coherency). */
export type UslCoefficients = { readonly lambda: number; readonly sigma: number; readonly kappa: number };

/** Served requests per second the curve predicts at `n` requests in flight. */
export const uslThroughput = (c: UslCoefficients, n: number): number =>
  (c.lambda * n) / (1 + c.sigma * (n - 1) + c.kappa * n * (n - 1));

/** The predicted peak with its interval, as the summary, the report and `offerload capacity` say it. */
export function peakText(usl: UslFit): string {
  if (usl.peak_rps === null) return 'no peak (the curve does not level off within the plateaus)';
  const i = usl.peak_interval_rps;
  return `${usl.peak_rps}/s${i ? ` (90% ${i[0]} to ${i[1] === null ? 'unbounded' : i[1]})` : ''}`;
}
