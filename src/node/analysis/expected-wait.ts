/**
 * The offer timeout in the contact's terms: the expected time from a contact's first offer to an accepted one,
 * counting the re-offers after a rejection or an expiry, each re-offer a fresh draw of an agent.
 *
 * An offer is rejected with probability r (quickly: its time is left out), never answered with probability q,
 * and otherwise accepted after a delay D, log-normal (median e^mu, shape sigma). With timeout T an offer is
 * accepted with probability A(T) = (1 - r - q) F(T) and costs, on average,
 *   N(T) = (1 - r - q) E[D; D <= T] + (q + (1 - r - q)(1 - F(T))) T,
 * so the expected time to an accepted offer over a geometric number of attempts is W(T) = N(T) / A(T). With
 * q > 0, W grows without bound both as T shrinks (no agent has time to accept) and as it grows (every agent
 * who will never answer holds the contact T seconds); its minimum satisfies N'(T) A(T) = N(T) A'(T), that is
 *   W(T*) = (q + (1 - r - q)(1 - F(T*))) / ((1 - r - q) f(T*)):
 * at the best timeout the expected wait equals the chance of not being accepted by T* over the rate of accepts
 * there. With q = 0, W(T) = E[min(D, T)] / F(T) tends to the mean delay; a log-normal's accept rate falls past
 * its mode, so a fresh agent after a long wait still helps a little, and the minimum lies near the mean.
 */

import type { TimeoutChoice, WaitPoint } from '../results/model.js';
import { normalUpper } from './stats.js';

/** Standard normal CDF, from the upper tail stats.ts computes. */
export const normalCdf = (x: number): number => 1 - normalUpper(x);

export interface AcceptModel {
  /** log of the accept delay's median, seconds */
  readonly mu: number;
  readonly sigma: number;
  /** share of offers never answered */
  readonly noAnswer: number;
  /** share rejected */
  readonly rejected: number;
}

const cdf = (m: AcceptModel, t: number): number => (t <= 0 ? 0 : normalCdf((Math.log(t) - m.mu) / m.sigma));
const pdf = (m: AcceptModel, t: number): number =>
  t <= 0
    ? 0
    : Math.exp(-((Math.log(t) - m.mu) ** 2) / (2 * m.sigma * m.sigma)) / (t * m.sigma * Math.sqrt(2 * Math.PI));
/** E[D; D <= t] of a log-normal. */
const partialMean = (m: AcceptModel, t: number): number =>
  t <= 0 ? 0 : Math.exp(m.mu + (m.sigma * m.sigma) / 2) * normalCdf((Math.log(t) - m.mu - m.sigma * m.sigma) / m.sigma);

/** The share of offers that expire at timeout `t`. */
export const expiredShare = (m: AcceptModel, t: number): number =>
  m.noAnswer + (1 - m.rejected - m.noAnswer) * (1 - cdf(m, t));

/** W(t): the expected seconds from a contact's first offer to an accepted one, with timeout `t`. */
export function expectedWait(m: AcceptModel, t: number): number {
  const answering = 1 - m.rejected - m.noAnswer;
  const accepted = answering * cdf(m, t);
  if (accepted <= 0) return Number.POSITIVE_INFINITY;
  return (answering * partialMean(m, t) + expiredShare(m, t) * t) / accepted;
}

/** The right side of the optimum's condition, (q + (1 - r - q)(1 - F(t))) / ((1 - r - q) f(t)). */
export function optimumCondition(m: AcceptModel, t: number): number {
  return expiredShare(m, t) / ((1 - m.rejected - m.noAnswer) * pdf(m, t));
}

export type { TimeoutChoice, WaitPoint } from '../results/model.js';

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** W over candidate timeouts from `from` to `to` seconds in steps of `step`. */
export function waitCurve(m: AcceptModel, from = 1, to = 120, step = 0.5): WaitPoint[] {
  const points: WaitPoint[] = [];
  for (let i = 0; from + i * step <= to + 1e-9; i++) {
    const t = from + i * step;
    points.push({ timeout_s: round(t, 2), expected_wait_s: expectedWait(m, t), expired_share: expiredShare(m, t) });
  }
  return points;
}

/** The timeout that minimises the expected wait over [from, to] (golden-section on a grid's best bracket). */
export function bestTimeout(m: AcceptModel, from = 1, to = 120): TimeoutChoice {
  const grid = waitCurve(m, from, to, 0.5);
  let k = 0;
  for (let i = 1; i < grid.length; i++) if (grid[i]!.expected_wait_s < grid[k]!.expected_wait_s) k = i;
  let lo = grid[Math.max(0, k - 1)]!.timeout_s;
  let hi = grid[Math.min(grid.length - 1, k + 1)]!.timeout_s;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60; i++) {
    const a = hi - g * (hi - lo);
    const b = lo + g * (hi - lo);
    if (expectedWait(m, a) <= expectedWait(m, b)) hi = b;
    else lo = a;
  }
  const t = (lo + hi) / 2;
  const w = expectedWait(m, t);
  return {
    timeout_s: round(t, 1),
    expected_wait_s: round(w, 2),
    expired_share: round(expiredShare(m, t), 4),
    one_less_costs_s: t - 1 >= from ? round(expectedWait(m, t - 1) - w, 2) : null,
    one_more_costs_s: t + 1 <= to ? round(expectedWait(m, t + 1) - w, 2) : null,
  };
}

/** The least expected wait among timeouts whose expired share is at most `cap` (null when none is). */
export function bestTimeoutWithin(m: AcceptModel, cap: number, from = 1, to = 120): TimeoutChoice | null {
  const best = bestTimeout(m, from, to);
  if (best.expired_share <= cap) return best;
  // the expired share falls as the timeout grows, so the shortest timeout within the cap is the best of them
  const within = waitCurve(m, from, to, 0.1).find((p) => p.expired_share <= cap);
  if (!within) return null;
  const t = within.timeout_s;
  const w = expectedWait(m, t);
  return {
    timeout_s: t,
    expected_wait_s: round(w, 2),
    expired_share: round(within.expired_share, 4),
    one_less_costs_s: null,
    one_more_costs_s: round(expectedWait(m, t + 1) - w, 2),
  };
}
