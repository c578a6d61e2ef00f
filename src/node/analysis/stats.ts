/**
 * The statistics behind offerload's verdicts, kept small and exact: medians and quantiles, the Wilcoxon
 * signed-rank test for paired windows (two runs of one profile, window by window), the Mann-Kendall trend
 * test and the Theil-Sen slope for drift. Normal approximations with tie corrections; no dependencies.
 */

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** Standard normal upper tail P(Z > z) (Abramowitz-Stegun 7.1.26 via erfc). */
export function normalUpper(z: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erfc = poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** Ranks with ties averaged (1-based). */
function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k]![1]] = rank;
    i = j + 1;
  }
  return out;
}

/**
 * Wilcoxon signed-rank test that `after` is greater than `before` pair by pair (one-sided).
 * Returns the p-value and the number of non-zero pairs used.
 */
export function wilcoxonGreater(before: readonly number[], after: readonly number[]): { p: number; n: number } {
  const diffs = before.map((b, i) => after[i]! - b).filter((d) => d !== 0 && Number.isFinite(d));
  const n = diffs.length;
  if (n === 0) return { p: 1, n };
  const r = ranks(diffs.map(Math.abs));
  const wPlus = diffs.reduce((a, d, i) => a + (d > 0 ? r[i]! : 0), 0);
  if (n <= 30 && r.every(Number.isInteger)) return { p: exactUpper(n, wPlus), n };
  const mean = (n * (n + 1)) / 4;
  const tieGroups = new Map<number, number>();
  for (const x of r) tieGroups.set(x, (tieGroups.get(x) ?? 0) + 1);
  const tieCorrection = [...tieGroups.values()].reduce((a, t) => a + (t ** 3 - t), 0) / 48;
  const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieCorrection);
  if (sd === 0) return { p: wPlus > mean ? 0 : 1, n };
  const z = (wPlus - mean - 0.5) / sd; // continuity correction
  return { p: normalUpper(z), n };
}

/** Exact P(W+ >= w) for n untied pairs: subsets of ranks 1..n by their sum, counted by dynamic programming. */
function exactUpper(n: number, w: number): number {
  const max = (n * (n + 1)) / 2;
  let counts = new Array<number>(max + 1).fill(0);
  counts[0] = 1;
  for (let rank = 1; rank <= n; rank++) {
    const next = counts.slice();
    for (let sum = rank; sum <= max; sum++) next[sum]! += counts[sum - rank]!;
    counts = next;
  }
  let tail = 0;
  for (let sum = Math.ceil(w); sum <= max; sum++) tail += counts[sum]!;
  return tail / 2 ** n;
}

/** Mann-Kendall trend test: two-sided p-value and the S statistic's sign (1 rising, -1 falling). */
export function mannKendall(values: readonly number[]): { p: number; direction: number } {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n - 1; i++) for (let j = i + 1; j < n; j++) s += Math.sign(values[j]! - values[i]!);
  const varS = (n * (n - 1) * (2 * n + 5)) / 18;
  if (n < 3 || varS === 0) return { p: 1, direction: 0 };
  const z = s > 0 ? (s - 1) / Math.sqrt(varS) : s < 0 ? (s + 1) / Math.sqrt(varS) : 0;
  return { p: 2 * normalUpper(Math.abs(z)), direction: Math.sign(s) };
}

/** Theil-Sen slope: the median of pairwise slopes (robust to outlier windows). `xs` in any unit. */
export function theilSen(xs: readonly number[], ys: readonly number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < xs.length - 1; i++)
    for (let j = i + 1; j < xs.length; j++) if (xs[j] !== xs[i]) slopes.push((ys[j]! - ys[i]!) / (xs[j]! - xs[i]!));
  return slopes.length === 0 ? 0 : median(slopes);
}
