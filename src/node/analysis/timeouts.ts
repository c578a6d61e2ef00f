/**
 * The offer timeout to use: from a timeout sweep's fates, the smallest tested timeout whose expiry share
 * stays within the target, and an estimate between the tested values from the accept-time distribution
 * (log-normal through the largest timeout's median and p95, above the floor of offers never answered).
 */

import type { ExpectedWaitAdvice, TimeoutRow } from '../results/model.js';
import {
  type AcceptModel,
  bestTimeout,
  bestTimeoutWithin,
  expectedWait,
  normalCdf,
  waitCurve,
} from './expected-wait.js';

export type { TimeoutRow } from '../results/model.js';

/** The expiry share a user accepts unless told (--target-expiry). */
export const DEFAULT_TARGET_EXPIRY = 0.05;

/** The precision the expiry share is read to: +/- this many points at 95%. */
export const SHARE_PRECISION = 0.02;
const Z95 = 1.959964;

/** Answered offers needed to read a share near `p` to +/- `precision` at 95% (normal approximation). */
export const offersNeeded = (p: number, precision = SHARE_PRECISION): number =>
  Math.ceil((Z95 * Z95 * p * (1 - p)) / (precision * precision));

/** Wilson's 95% score interval for `k` of `n`. */
export function wilson(k: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface Recommendation {
  readonly target_expiry_share: number;
  readonly by_timeout: {
    timeout_s: number;
    expired_share: number | null;
    /** Wilson's 95% interval of the expiry share */
    expired_interval: [number, number] | null;
    answered: number;
    meets_target: boolean;
  }[];
  /** answered offers per timeout that reading the expiry share to +/- 2 points near the target needs */
  readonly offers_needed: number;
  /** the smallest tested timeout meeting the target, or null */
  readonly recommended_s: number | null;
  /** estimated timeout between tested values, seconds, or null when the data cannot say */
  readonly estimated_s: number | null;
  /** offers never answered whatever the timeout: the expiry share no timeout can remove */
  readonly no_answer_floor: number | null;
  readonly note: string;
  /** the timeout in the contact's terms (expected-wait.ts), or null when the data cannot fit the model */
  readonly expected_wait: ExpectedWaitAdvice | null;
}

/** Answered offers at the longest timeout below which the accept model is not fitted. */
export const MIN_ANSWERED_FOR_MODEL = 30;

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Fits the accept model at the longest tested timeout: a log-normal accept delay through the accepted offers'
 * median and p95 (read from offers accepted within that timeout: a long timeout keeps the truncation small),
 * the rejected share as measured, and the never-answered share as what the expiries leave once the model's slow
 * accepts past the timeout are counted: q = 1 - r - accepted / F(T).
 */
export function expectedWaitAdvice(
  byTimeout: Readonly<Record<string, TimeoutRow>>,
  target: number,
): ExpectedWaitAdvice | null {
  const longest = Object.entries(byTimeout)
    .map(([t, r]) => ({ t: Number(t), r }))
    .sort((a, b) => b.t - a.t)[0];
  const tta = longest?.r.time_to_accept_ms;
  if (!longest || !tta || tta.p50 <= 0 || tta.p95 <= tta.p50) return null;
  const { accepted = 0, rejected = 0, expired = 0 } = longest.r.fates;
  const n = accepted + rejected + expired;
  if (n < MIN_ANSWERED_FOR_MODEL) return null;
  const sigma = Math.log(tta.p95 / tta.p50) / 1.6449;
  const mu = Math.log(tta.p50 / 1000);
  // F(T): the share of answering agents who accept within the longest timeout
  const reach = normalCdf((Math.log(longest.t) - mu) / sigma);
  const r = rejected / n;
  const noAnswerFor = (acceptedShare: number): number => Math.min(1 - r, Math.max(0, 1 - r - acceptedShare / reach));
  const [aLo, aHi] = wilson(accepted, n);
  const model: AcceptModel = { mu, sigma, rejected: r, noAnswer: noAnswerFor(accepted / n) };
  const to = Math.max(60, 2 * longest.t);
  const best = bestTimeout(model, 1, to);
  const ends = [noAnswerFor(aHi), noAnswerFor(aLo)].map((q) => bestTimeout({ ...model, noAnswer: q }, 1, to).timeout_s);
  return {
    model: {
      from_timeout_s: longest.t,
      answered: n,
      accept_median_s: r3(tta.p50 / 1000),
      accept_sigma: r3(sigma),
      rejected_share: r3(r),
      no_answer_share: r3(model.noAnswer),
      no_answer_interval: [r3(noAnswerFor(aHi)), r3(noAnswerFor(aLo))],
    },
    best,
    best_interval_s: [Math.min(...ends), Math.max(...ends)],
    within_target: bestTimeoutWithin(model, target, 1, to),
    at: Object.fromEntries([10, 30].map((t) => [String(t), Math.round(expectedWait(model, t) * 100) / 100])),
    curve: waitCurve(model, 1, to, 1).map((p) => ({
      timeout_s: p.timeout_s,
      expected_wait_s: Math.round(p.expected_wait_s * 100) / 100,
      expired_share: r3(p.expired_share),
    })),
  };
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
    expired_interval: answered > 0 ? wilson(r.fates.expired ?? 0, answered) : null,
    answered,
    meets_target: r.expired_share !== null && r.expired_share <= target,
  }));
  const needed = offersNeeded(target);
  const recommended = table.find((r) => r.meets_target && r.answered >= 10)?.timeout_s ?? null;
  // rows whose interval cannot rule out meeting the target: too few answers to say
  const undecided = table.filter((r) => r.expired_interval === null || r.expired_interval[0] <= target);
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
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const thin = (r: (typeof table)[number]): string =>
    `only ${r.answered} answered offer${r.answered === 1 ? '' : 's'} at ${r.timeout_s} s${r.expired_interval ? ` (expired ${pct(r.expired_share ?? 0)}, 95% interval ${pct(r.expired_interval[0])} to ${pct(r.expired_interval[1])})` : ''}; about ${needed} are needed for +/-${SHARE_PRECISION * 100} points`;
  const shortest = undecided.find((r) => r.answered < needed);
  const note =
    recommended === null
      ? shortest
        ? `${thin(shortest)}: the data cannot say which timeout keeps expiries at or under ${target * 100}%; run the sweep longer`
        : `none of the tested timeouts kept expiries at or under ${target * 100}%: test longer ones${floor !== null && floor >= target ? `, though ${(floor * 100).toFixed(1)}% of offers were never answered at the longest, which no timeout fixes` : ''}`
      : `${recommended} s is the shortest tested timeout with expiries at or under ${target * 100}%${(() => {
          const row = table.find((r) => r.timeout_s === recommended)!;
          return row.answered < needed ? ` (${thin(row)})` : '';
        })()}`;
  return {
    target_expiry_share: target,
    by_timeout: table,
    offers_needed: needed,
    recommended_s: recommended,
    estimated_s: estimated,
    no_answer_floor: floor,
    note,
    expected_wait: expectedWaitAdvice(byTimeout, target),
  };
}
