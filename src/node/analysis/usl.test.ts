import { describe, expect, it } from 'vitest';
import { fitUsl } from './usl.js';
import { peakText, uslThroughput } from '../results/usl-curve.js';

const curve = { lambda: 25, sigma: 0.05, kappa: 0.002 };
const ns = [1, 2, 4, 8, 12, 16, 24, 32];

describe('fitUsl', () => {
  it('recovers the parameters and the peak of an exact USL curve', () => {
    const fit = fitUsl(ns.map((n) => ({ n, x: uslThroughput(curve, n) })))!;
    expect(fit.lambda).toBeCloseTo(25, 1);
    expect(fit.sigma).toBeCloseTo(0.05, 3);
    expect(fit.kappa).toBeCloseTo(0.002, 5);
    // N* = sqrt((1 - σ) / κ) = 21.8, X(N*) = 197.5
    expect(fit.peak_in_flight).toBeCloseTo(21.8, 0);
    expect(fit.peak_rps!).toBeCloseTo(uslThroughput(curve, Math.sqrt(0.95 / 0.002)), 0);
    expect(fit.r2).toBeGreaterThan(0.999);
  });

  it('gives a peak interval that holds the true peak for noisy plateaus, and is wider with more noise', () => {
    const truth = uslThroughput(curve, Math.sqrt(0.95 / 0.002));
    const noisy = (amp: number) =>
      fitUsl(ns.map((n, i) => ({ n, x: uslThroughput(curve, n) * (1 + amp * (i % 2 ? 1 : -1)) })))!;
    const small = noisy(0.02);
    const large = noisy(0.06);
    expect(small.peak_interval_rps![0]).toBeLessThan(truth);
    expect(small.peak_interval_rps![1]).toBeGreaterThan(truth);
    const width = (f: typeof small) => f.peak_interval_rps![1]! - f.peak_interval_rps![0];
    expect(width(large)).toBeGreaterThan(width(small));
  });

  it('reports the asymptote λ/σ for a target that flattens without coming down (a queue in front of fixed slots)', () => {
    const flat = { lambda: 24, sigma: 0.25, kappa: 0 };
    const fit = fitUsl([1, 2, 3, 4, 8, 20, 40].map((n) => ({ n, x: uslThroughput(flat, n) })))!;
    expect(fit.kappa).toBeLessThan(1e-4);
    expect(fit.peak_rps!).toBeGreaterThan(90);
    expect(fit.peak_rps!).toBeLessThan(100);
  });

  it('leaves the interval open above when the plateaus cannot bound the peak, and says so', () => {
    // only the rising part of a curve: resamples without its busiest points see no levelling off
    const rising = fitUsl([1, 2, 3, 4, 5, 6].map((n) => ({ n, x: 10 * n * (1 - 0.01 * n) })))!;
    expect(rising.peak_interval_rps?.[1] ?? null).toBeNull();
    expect(peakText(rising)).toMatch(/unbounded|no peak/);
  });

  it('refuses fewer than three plateaus with traffic', () => {
    expect(
      fitUsl([
        { n: 1, x: 10 },
        { n: 2, x: 19 },
        { n: 0, x: 0 },
      ]),
    ).toBeUndefined();
  });
});
