import { describe, expect, it } from 'vitest';
import { mannKendall, median, normalUpper, quantile, theilSen, wilcoxonGreater } from './stats.js';

describe('statistics', () => {
  it('computes quantiles by linear interpolation', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20], 0.95)).toBeCloseTo(19.5);
  });

  it('gives the normal upper tail', () => {
    expect(normalUpper(0)).toBeCloseTo(0.5, 6);
    expect(normalUpper(1.6449)).toBeCloseTo(0.05, 3);
    expect(normalUpper(-1.96)).toBeCloseTo(0.975, 3);
  });

  it('finds a consistent paired increase significant and a shuffled one not', () => {
    const before = [10, 12, 11, 13, 12, 10, 11, 12, 13, 11, 12, 10];
    const worse = before.map((b, i) => b * 1.5 + i * 0.01);
    // every pair worse: the exact one-sided p is 1 / 2^12
    expect(wilcoxonGreater(before, worse).p).toBeCloseTo(1 / 4096, 8);
    const same = before.map((b, i) => b + (i % 2 === 0 ? 0.5 : -0.5));
    expect(wilcoxonGreater(before, same).p).toBeGreaterThan(0.2);
    expect(wilcoxonGreater(before, before)).toEqual({ p: 1, n: 0 });
  });

  it('detects a monotone trend and its direction, and no trend in noise', () => {
    const rising = Array.from({ length: 20 }, (_, i) => i + (i % 3));
    expect(mannKendall(rising).p).toBeLessThan(0.001);
    expect(mannKendall(rising).direction).toBe(1);
    const flat = [5, 7, 4, 6, 5, 7, 4, 6, 5, 7, 4, 6];
    expect(mannKendall(flat).p).toBeGreaterThan(0.3);
  });

  it('estimates a slope robust to an outlier', () => {
    const xs = Array.from({ length: 10 }, (_, i) => i);
    const ys = xs.map((x) => 2 * x + 1);
    ys[4] = 100;
    expect(theilSen(xs, ys)).toBeCloseTo(2, 6);
  });
});
