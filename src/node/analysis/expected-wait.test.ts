/**
 * The expected wait to an accepted offer against cases worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  type AcceptModel,
  bestTimeout,
  bestTimeoutWithin,
  expectedWait,
  expiredShare,
  normalCdf,
  optimumCondition,
} from './expected-wait.js';

// agents accept after a log-normal delay of median 4 s (sigma 0.8); 5% never answer, none reject
const MODEL: AcceptModel = { mu: Math.log(4), sigma: 0.8, noAnswer: 0.05, rejected: 0 };

describe('expected time to an accepted offer', () => {
  it('is the normal CDF it is built on', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });

  it('with no agent who never answers, tends to the mean accept delay, and re-offering gains little', () => {
    const none = { ...MODEL, noAnswer: 0 };
    // W(T) = E[min(D, T)] / F(T): long enough, the mean accept delay e^(mu + sigma^2 / 2) = 4 e^0.32 = 5.51 s
    expect(expectedWait(none, 1000)).toBeCloseTo(4 * Math.exp(0.32), 2);
    // short timeouts cut off most accepts: far worse
    expect(expectedWait(none, 1)).toBeGreaterThan(2 * expectedWait(none, 1000));
    // a log-normal's accept rate falls past its mode, so a fresh agent after a long wait helps a little: the best
    // timeout is at most the mean and within a few percent of it
    const best = bestTimeout(none, 1, 120);
    expect(best.expected_wait_s).toBeLessThanOrEqual(expectedWait(none, 1000) + 0.005);
    expect(best.expected_wait_s).toBeGreaterThan(expectedWait(none, 1000) * 0.95);
  });

  it('has its minimum where the wait equals the chance of no accept by then over the rate of accepts', () => {
    // by hand: W = N / A with N' = q + (1 - q)(1 - F) and A' = (1 - q) f, so W' = 0 where
    // W(T*) = (q + (1 - q)(1 - F(T*))) / ((1 - q) f(T*))
    const best = bestTimeout(MODEL);
    expect(best.timeout_s).toBeGreaterThan(5);
    expect(best.timeout_s).toBeLessThan(60);
    const w = expectedWait(MODEL, best.timeout_s);
    expect(optimumCondition(MODEL, best.timeout_s) / w).toBeCloseTo(1, 1);
    // a minimum: a second either side costs wait, and the curve is flatter above than below
    expect(best.one_less_costs_s!).toBeGreaterThan(0);
    expect(best.one_more_costs_s!).toBeGreaterThan(0);
    // the expiries at the best timeout: the 5% who never answer and the slow tail cut off
    expect(best.expired_share).toBeCloseTo(expiredShare(MODEL, best.timeout_s), 2);
    expect(best.expired_share).toBeGreaterThan(0.05);
  });

  it('moves to a longer timeout for a stated cap on expiries, at some cost in wait', () => {
    const best = bestTimeout(MODEL);
    const capped = bestTimeoutWithin(MODEL, 0.06)!;
    expect(capped.timeout_s).toBeGreaterThan(best.timeout_s);
    expect(capped.expired_share).toBeLessThanOrEqual(0.06);
    expect(capped.expected_wait_s).toBeGreaterThanOrEqual(best.expected_wait_s);
    // no timeout brings expiries under the 5% who never answer
    expect(bestTimeoutWithin(MODEL, 0.04)).toBeNull();
  });

  it('prefers a shorter timeout the more agents never answer', () => {
    expect(bestTimeout({ ...MODEL, noAnswer: 0.15 }).timeout_s).toBeLessThan(bestTimeout(MODEL).timeout_s);
  });
});
