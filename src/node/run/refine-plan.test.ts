import { describe, expect, it } from 'vitest';
import { KNEE_TOLERANCE, nextProbe, probeParams, refinementBudgetSec, refinementIterations } from './refine-plan.js';

describe('the refinement plan', () => {
  it('probes the middle of the bracket until it is within 5% of its low end', () => {
    // the coarse steps of 15/s leave 90 to 105 (16.7%): 98, then 94 or 101, then done
    expect(nextProbe({ met: 90, missed: 105 })).toBe(98);
    expect(nextProbe({ met: 98, missed: 105 })).toBe(102);
    expect(nextProbe({ met: 98, missed: 102 })).toBeUndefined();
    expect((102 - 98) / 98).toBeLessThan(KNEE_TOLERANCE);
  });

  it('stops where whole requests per second cannot split the bracket', () => {
    expect(nextProbe({ met: 8, missed: 9 })).toBeUndefined();
    expect(nextProbe({ met: 8, missed: 10 })).toBe(9);
  });

  it('makes a probe one plateau as long as a coarse step, at its own rate', () => {
    expect(probeParams({ rate: 15, ceiling: 150, durationSec: 100 }, 98)).toEqual({
      rate: 98,
      ceiling: 98,
      durationSec: 10,
    });
  });

  it('gives the refinement what the early stop left, and at least 30% of the planned duration', () => {
    expect(refinementBudgetSec({ rate: 15, ceiling: 150, durationSec: 100 }, 40)).toBe(60);
    expect(refinementBudgetSec({ rate: 15, ceiling: 150, durationSec: 100 }, 90)).toBe(30);
  });

  it('sizes the documents for every probe at the ceiling', () => {
    // four probes of one 10 s plateau at 150/s
    expect(refinementIterations({ rate: 15, ceiling: 150, durationSec: 100 })).toBe(4 * 150 * 10);
  });
});
