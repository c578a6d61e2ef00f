/**
 * The arrival generator as statistics: seeded runs, tolerances from the sampling error of each figure.
 */
import { describe, expect, it } from 'vitest';
import {
  arrivalPlan,
  dispersionIndex,
  gammaMeanOne,
  localDispersion,
  peakPerSecond,
  profileCurve,
  steppedStages,
  windowMeans,
} from './arrivals.js';
import { getProfile } from './profiles.js';
import { seededRandom } from './random.js';

/** Counts of arrivals per bin of `binMs`. */
const binned = (offsetsMs: readonly number[], binMs: number, totalMs: number): number[] => {
  const bins = new Array<number>(Math.floor(totalMs / binMs)).fill(0);
  for (const t of offsetsMs) if (t < bins.length * binMs) bins[Math.floor(t / binMs)]!++;
  return bins;
};

describe('arrival plans', () => {
  const average = getProfile('average');

  it('follows the profile: the windows hold its integral, ramps included', () => {
    expect(windowMeans(profileCurve(average, { rate: 20, durationSec: 30 }))).toEqual(new Array(30).fill(20));
    const curve = profileCurve(getProfile('burst'), { rate: 10, durationSec: 100 });
    const burst = windowMeans(curve);
    expect(burst).toHaveLength(100);
    expect(Math.max(...burst)).toBeCloseTo(40, 0);
    // per 100 ms: ten times the windows, the same integral
    const fine = windowMeans(curve, 100);
    expect(fine).toHaveLength(1000);
    expect(fine.reduce((a, b) => a + b, 0)).toBeCloseTo(
      burst.reduce((a, b) => a + b, 0),
      6,
    );
    // a ramp from 0 to 10/s over 10 s holds 50 arrivals, 0.5 in its first second and 9.5 in its last
    const ramp = windowMeans({ startRate: 0, segments: [{ rate: 10, seconds: 10 }] });
    expect(ramp[0]).toBeCloseTo(0.5, 9);
    expect(ramp[9]).toBeCloseTo(9.5, 9);
  });

  it('is Poisson at dispersion 1: the index of dispersion is near 1 per 100 ms and per second, and the mean rate holds', () => {
    // 20/s for 600 s: 12,000 arrivals. The index's standard error is about sqrt(2/(bins-1)): 0.018 per 100 ms
    // (6,000 bins) and 0.058 per second (600 bins); the tolerances are four of them
    const plan = arrivalPlan(profileCurve(average, { rate: 20, durationSec: 600 }), { seed: 11, dispersion: 1 });
    expect(plan.offsetsMs.length / 600).toBeGreaterThan(20 * 0.97); // sd of the total: sqrt(12000)/12000 = 0.9%
    expect(plan.offsetsMs.length / 600).toBeLessThan(20 * 1.03);
    expect(Math.abs(dispersionIndex(binned(plan.offsetsMs, 100, 600_000))! - 1)).toBeLessThan(0.08);
    expect(Math.abs(dispersionIndex(binned(plan.offsetsMs, 1000, 600_000))! - 1)).toBeLessThan(0.24);
    expect(plan.counts.reduce((a, b) => a + b, 0)).toBe(plan.offsetsMs.length);
    for (let i = 1; i < plan.offsetsMs.length; i++)
      expect(plan.offsetsMs[i]!).toBeGreaterThanOrEqual(plan.offsetsMs[i - 1]!);
  });

  it('gives counts per interval the requested variance-to-mean ratio', () => {
    // 300 intervals of 60 s at 5/s (300 expected each), dispersion 4: the ratio's standard error over 300
    // intervals is about 4 * sqrt(2/299) = 0.33 (plus the gamma's own excess kurtosis): tolerance 1.2
    const plan = arrivalPlan(profileCurve(average, { rate: 5, durationSec: 18_000 }), { seed: 5, dispersion: 4 });
    const perInterval = binned(plan.offsetsMs, 60_000, 18_000_000);
    expect(Math.abs(dispersionIndex(perInterval)! - 4)).toBeLessThan(1.2);
    // and still Poisson within an interval: per 100 ms the extra variance is tiny (0.5 expected per bin)
    expect(Math.abs(dispersionIndex(binned(plan.offsetsMs, 100, 18_000_000))! - 1)).toBeLessThan(0.1);
  });

  it('is the same for the same seed and differs for another', () => {
    const a = arrivalPlan(profileCurve(average, { rate: 10, durationSec: 20 }), { seed: 3, dispersion: 1 });
    expect(arrivalPlan(profileCurve(average, { rate: 10, durationSec: 20 }), { seed: 3, dispersion: 1 })).toEqual(a);
    expect(
      arrivalPlan(profileCurve(average, { rate: 10, durationSec: 20 }), { seed: 4, dispersion: 1 }).offsetsMs,
    ).not.toEqual(a.offsetsMs);
  });

  it('draws gamma factors of mean 1 and variance 1/k, for shapes below and above 1', () => {
    for (const k of [0.5, 3, 50]) {
      const random = seededRandom(k * 100);
      const xs = Array.from({ length: 40_000 }, () => gammaMeanOne(k, random));
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
      // the mean's standard error is sqrt(1/k / 40000); k times the variance has a relative standard error of
      // sqrt((2 + 6/k) / 40000), at most 0.019 (k = 0.5): the tolerance 0.1 is five of them
      expect(Math.abs(mean - 1)).toBeLessThan(5 * Math.sqrt(1 / k / 40_000));
      expect(Math.abs(variance * k - 1)).toBeLessThan(0.1);
    }
  });

  it('steps k6 through each window count: a 0 s jump and a hold, equal windows merged', () => {
    // per 100 ms windows: 3 in a window is 30/s for 100 ms
    expect(steppedStages([3, 3, 5, 0, 0, 2], 100)).toEqual({
      startRate: 30,
      stages: [
        { target: 30, duration: '200ms' },
        { target: 50, duration: '0s' },
        { target: 50, duration: '100ms' },
        { target: 0, duration: '0s' },
        { target: 0, duration: '200ms' },
        { target: 20, duration: '0s' },
        { target: 20, duration: '100ms' },
        { target: 1, duration: '0s' },
        { target: 1, duration: '1s' },
      ],
    });
    // the VUs are sized for the busiest second, not the busiest window times ten
    expect(peakPerSecond([3, 3, 5, 0, 0, 2, 0, 0, 0, 0, 0, 4, 4], 100)).toBe(13);
  });

  it('measures dispersion locally, so a profile that steps its rate is not taken for a bursty one', () => {
    // capacity's plateaus: 20, 40, 60/s for 20 s each
    const plan = arrivalPlan(profileCurve(getProfile('capacity'), { rate: 20, durationSec: 60, ceiling: 60 }), {
      seed: 9,
      dispersion: 1,
    });
    const perSecond = binned(plan.offsetsMs, 1000, 60_000);
    expect(dispersionIndex(perSecond)!).toBeGreaterThan(5);
    // three chunks of 20 one-second bins: each chunk's index has a standard error of sqrt(2/19) = 0.32
    expect(Math.abs(localDispersion(perSecond, 20)! - 1)).toBeLessThan(0.6);
  });

  it('measures evenly spaced arrivals as under-dispersed', () => {
    const even = Array.from({ length: 6000 }, (_, i) => Math.floor(i * 50));
    expect(dispersionIndex(binned(even, 100, 300_000))!).toBeLessThan(0.1);
  });
});
