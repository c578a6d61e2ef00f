/**
 * The offer timeout to use: from a timeout sweep's fates, the smallest tested timeout whose expiry share
 * stays within the target, and an estimate between the tested values from the accept-time distribution
 * (log-normal through the largest timeout's median and p95, above the floor of offers never answered).
 */

import type { TimeoutRow } from '../results/model.js';

export type { TimeoutRow } from '../results/model.js';

export interface Recommendation {
  readonly target_expiry_share: number;
  readonly by_timeout: { timeout_s: number; expired_share: number | null; answered: number; meets_target: boolean }[];
  /** the smallest tested timeout meeting the target, or null */
  readonly recommended_s: number | null;
  /** estimated timeout between tested values, seconds, or null when the data cannot say */
  readonly estimated_s: number | null;
  /** offers never answered whatever the timeout: the expiry share no timeout can remove */
  readonly no_answer_floor: number | null;
  readonly note: string;
}

/** Inverse standard normal CDF (Acklam's rational approximation). */
function probit(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - lo) return -probit(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

export function recommendTimeout(byTimeout: Readonly<Record<string, TimeoutRow>>, target: number): Recommendation {
  const rows = Object.entries(byTimeout)
    .map(([t, r]) => ({
      timeout_s: Number(t),
      r,
      answered: (r.fates.accepted ?? 0) + (r.fates.rejected ?? 0) + (r.fates.expired ?? 0),
    }))
    .sort((a, b) => a.timeout_s - b.timeout_s);
  const table = rows.map(({ timeout_s, r, answered }) => ({
    timeout_s,
    expired_share: r.expired_share,
    answered,
    meets_target: r.expired_share !== null && r.expired_share <= target,
  }));
  const recommended = table.find((r) => r.meets_target && r.answered >= 10)?.timeout_s ?? null;
  const largest = rows.at(-1);
  const floor = largest?.r.expired_share ?? null;
  const tta = largest?.r.time_to_accept_ms;
  let estimated: number | null = null;
  if (tta && tta.p50 > 0 && tta.p95 > tta.p50 && floor !== null && target > floor) {
    // accept delays above the no-answer floor: P(delay > T) must stay under (target - floor) / (1 - floor)
    const sigma = Math.log(tta.p95 / tta.p50) / 1.6449;
    const tail = (target - floor) / (1 - floor);
    estimated = Math.round((tta.p50 / 1000) * Math.exp(sigma * probit(1 - tail)) * 10) / 10;
  }
  const note =
    recommended === null
      ? `none of the tested timeouts kept expiries at or under ${target * 100}%: test longer ones${floor !== null && floor >= target ? `, though ${(floor * 100).toFixed(1)}% of offers were never answered at the longest, which no timeout fixes` : ''}`
      : `${recommended} s is the shortest tested timeout with expiries at or under ${target * 100}%`;
  return {
    target_expiry_share: target,
    by_timeout: table,
    recommended_s: recommended,
    estimated_s: estimated,
    no_answer_floor: floor,
    note,
  };
}
