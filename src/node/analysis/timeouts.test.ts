/**
 * The timeout recommendation says what its data can support: a row of a few answered offers is reported with its
 * interval and the offers a +/-2 point reading needs, never turned into advice to test longer timeouts.
 */
import { describe, expect, it } from 'vitest';
import type { TimeoutRow } from '../results/model.js';
import { expectedWaitAdvice, offersNeeded, recommendTimeout, wilson } from './timeouts.js';

const row = (accepted: number, rejected: number, expired: number): TimeoutRow => {
  const answered = accepted + rejected + expired;
  return {
    fates: { accepted, rejected, expired, refused: 0, skew_refused: 0, unresolved: 0 },
    expired_share: answered === 0 ? null : expired / answered,
    time_to_accept_ms: null,
  };
};

describe('timeout recommendation', () => {
  it('says a sweep with a few answers per timeout cannot tell, and how many it needs', () => {
    // the smoke sweep of the issue: 2 to 4 answered offers per row, the 30 s row 0.0% expired
    const rec = recommendTimeout(
      { '5': row(1, 0, 2), '10': row(2, 0, 1), '20': row(2, 1, 1), '30': row(3, 0, 0) },
      0.05,
    );
    expect(rec.recommended_s).toBeNull();
    // 5% read to +/-2 points at 95%: 1.96^2 * 0.05 * 0.95 / 0.02^2 = 456.2
    expect(rec.offers_needed).toBe(457);
    // 5 s and 10 s are ruled out (their intervals start above 5%); 20 s is the shortest the data cannot decide
    expect(rec.note).toBe(
      'only 4 answered offers at 20 s (expired 25.0%, 95% interval 4.6% to 69.9%); about 457 are needed for +/-2 points: the data cannot say which timeout keeps expiries at or under 5%; run the sweep longer',
    );
    expect(rec.note).not.toMatch(/test longer ones/);
  });

  it('tells the reader to test longer timeouts only when the data rules the tested ones out', () => {
    const rec = recommendTimeout({ '5': row(300, 20, 180), '10': row(400, 20, 80) }, 0.05);
    expect(rec.recommended_s).toBeNull();
    expect(rec.note).toMatch(/^none of the tested timeouts kept expiries at or under 5%: test longer ones/);
  });

  it('recommends from enough answers, and says how precise a thinner row is', () => {
    const rec = recommendTimeout({ '10': row(400, 20, 80), '20': row(470, 20, 10) }, 0.05);
    expect(rec.recommended_s).toBe(20);
    expect(rec.note).toBe('20 s is the shortest tested timeout with expiries at or under 5%');
    const thin = recommendTimeout({ '10': row(40, 2, 8), '20': row(47, 2, 1) }, 0.05);
    expect(thin.recommended_s).toBe(20);
    expect(thin.note).toMatch(
      /^20 s is the shortest .* \(only 50 answered offers at 20 s \(expired 2\.0%, 95% interval 0\.4% to 10\.5%\); about 457 are needed/,
    );
  });

  it("computes Wilson's interval and the sample size as published", () => {
    // Wilson 95% for 0 of 3: [0, 0.5615]; for 10 of 100: [0.0552, 0.1744], worked by hand from the score formula
    expect(wilson(0, 3)[1]).toBeCloseTo(0.5615, 4);
    expect(wilson(10, 100)[0]).toBeCloseTo(0.0552, 4);
    expect(wilson(10, 100)[1]).toBeCloseTo(0.1744, 4);
    expect(offersNeeded(0.5)).toBe(2401);
  });
});

describe("the timeout in the contact's terms, fitted from a sweep", () => {
  it("recovers the simulator's agents from the counts and accept times they would give, and their best timeout", () => {
    // the simulator's default agents: accept after log-normal 4 s (sigma 0.6), 5% never answer, 5% reject.
    // At the longest timeout, 24 s, F(24) = Phi(ln 6 / 0.6) = 0.9986: of 1,000 offers 50 rejected, 898.7
    // accepted, 51.3 expired; accepted offers' median 4 s and p95 4 e^(1.645 * 0.6) = 10.74 s
    const rows: Record<string, TimeoutRow> = {
      '12': row(870, 50, 80),
      '24': { ...row(899, 50, 51), time_to_accept_ms: { p50: 4000, p95: 10_741, max: 20_000 } },
    };
    const advice = expectedWaitAdvice(rows, 0.05)!;
    expect(advice.model.accept_median_s).toBe(4);
    expect(advice.model.accept_sigma).toBeCloseTo(0.6, 2);
    expect(advice.model.rejected_share).toBe(0.05);
    expect(advice.model.no_answer_share).toBeCloseTo(0.05, 2);
    expect(advice.model.no_answer_interval[0]).toBeLessThan(0.05);
    expect(advice.model.no_answer_interval[1]).toBeGreaterThan(0.05);
    // the true model's optimum is 9.7 s with 5.48 s of expected wait (expected-wait.ts, golden section)
    expect(advice.best.timeout_s).toBeGreaterThan(9);
    expect(advice.best.timeout_s).toBeLessThan(10.5);
    expect(advice.best.expected_wait_s).toBeCloseTo(5.48, 1);
    expect(advice.best_interval_s[0]).toBeLessThanOrEqual(advice.best.timeout_s);
    expect(advice.best_interval_s[1]).toBeGreaterThanOrEqual(advice.best.timeout_s);
    expect(advice.at['30']!).toBeGreaterThan(advice.at['10']!);
    // the best timeout lets 11% of offers expire; a cap of 8% costs a longer timeout and a little wait
    const capped = expectedWaitAdvice(rows, 0.08)!.within_target!;
    expect(capped.expired_share).toBeLessThanOrEqual(0.08);
    expect(capped.timeout_s).toBeGreaterThan(advice.best.timeout_s);
    expect(capped.expected_wait_s).toBeGreaterThan(advice.best.expected_wait_s);
    // and none keeps them under the 5% who never answer
    expect(expectedWaitAdvice(rows, 0.04)!.within_target).toBeNull();
    expect(advice.curve.length).toBeGreaterThan(50);
  });

  it('fits nothing from too few answered offers at the longest timeout', () => {
    const rows = { '24': { ...row(20, 1, 2), time_to_accept_ms: { p50: 4000, p95: 10_000, max: 15_000 } } };
    expect(expectedWaitAdvice(rows, 0.05)).toBeNull();
  });
});
