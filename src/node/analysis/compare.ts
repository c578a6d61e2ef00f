/**
 * Compare two runs, operation by operation, window by window. A change is a regression only when it is
 * both significant (Wilcoxon signed-rank on paired windows, one-sided, p < alpha) and large enough to
 * matter (at least the minimum effect). Two runs of the same build then pass; a real slowdown fails.
 */
import type { RunWindows, Window } from './windows.js';
import { median, wilcoxonGreater } from './stats.js';
import type { RunSummary } from '../results/model.js';

export interface CompareOptions {
  /** significance level, one-sided */
  readonly alpha: number;
  /** smallest relative change of latency or throughput that counts (0.15 = 15%) */
  readonly minEffect: number;
  /** smallest absolute change of the error rate that counts (0.01 = one point) */
  readonly minRateEffect: number;
}

export const DEFAULT_COMPARE: CompareOptions = { alpha: 0.01, minEffect: 0.15, minRateEffect: 0.01 };

type Direction = 'higher_is_worse' | 'lower_is_worse';
interface MetricRule {
  readonly metric: keyof Window | 'rps';
  readonly direction: Direction;
  /** relative (latency, throughput) or absolute (rates) effect */
  readonly effect: 'relative' | 'absolute';
  /** part of the verdict, or only reported */
  readonly judged: boolean;
}

/** What is compared, in report order. */
export const METRICS: readonly MetricRule[] = [
  { metric: 'rps', direction: 'lower_is_worse', effect: 'relative', judged: true },
  { metric: 'p50', direction: 'higher_is_worse', effect: 'relative', judged: true },
  { metric: 'p95', direction: 'higher_is_worse', effect: 'relative', judged: true },
  { metric: 'p99', direction: 'higher_is_worse', effect: 'relative', judged: false },
  { metric: 'error_rate', direction: 'higher_is_worse', effect: 'absolute', judged: true },
  { metric: 'conflict_rate', direction: 'higher_is_worse', effect: 'absolute', judged: false },
];

export interface MetricComparison {
  readonly op: string;
  readonly metric: string;
  readonly baseline: number;
  readonly candidate: number;
  /** relative change (latency, throughput) or absolute change (rates), signed, candidate minus baseline */
  readonly change: number;
  readonly effect: 'relative' | 'absolute';
  /** one-sided p-value that the candidate is worse */
  readonly p: number;
  readonly windows: number;
  readonly verdict: 'regression' | 'improvement' | 'no change' | 'not judged' | 'insufficient data';
}

export interface Comparison {
  readonly baseline: string;
  readonly candidate: string;
  readonly bucket_s: number;
  readonly options: CompareOptions;
  readonly results: MetricComparison[];
  readonly regression: boolean;
  /** what makes the two runs less comparable than their windows say (their arrival processes differ) */
  readonly notes?: readonly string[];
}

/** How a summary's runs arrived: older summaries had no arrivals section, and offerload then spaced them evenly. */
const arrivalProcess = (s: RunSummary): string => {
  const a = s.arrivals;
  if (!a || a.mode === 'even') return 'even';
  return a.dispersion === 1 ? 'poisson' : `poisson with dispersion ${a.dispersion} per ${a.interval_s} s`;
};

/**
 * A sentence when the two runs' arrival processes differ: latency under evenly spaced arrivals is lower than
 * under Poisson ones at the same mean rate, so such a pair measures the arrivals as much as the build.
 */
export function arrivalsNote(base: RunSummary | undefined, cand: RunSummary | undefined): string | undefined {
  if (!base || !cand) return undefined;
  const [a, b] = [arrivalProcess(base), arrivalProcess(cand)];
  if (a === b) return undefined;
  return `the runs' arrivals differ: the baseline's were ${a}, the candidate's ${b}. A baseline taken with one arrival process is not a baseline for another (bursts raise latency at the same mean rate): run both with the same --arrivals and --dispersion`;
}

const value = (w: Window, metric: MetricRule['metric'], bucket: number): number =>
  metric === 'rps' ? w.requests / bucket : (w[metric] as number);

/** Pairs the two runs' windows of one operation by start time, leaving out the first and last (ramp, partial). */
function pairs(a: readonly Window[], b: readonly Window[]): [Window, Window][] {
  const byT = new Map(b.map((w) => [w.t, w]));
  const paired = a
    .filter((w) => byT.has(w.t))
    .map((w) => [w, byT.get(w.t)!] as [Window, Window])
    .sort((x, y) => x[0].t - y[0].t);
  return paired.length > 4 ? paired.slice(1, -1) : paired;
}

export function compareRuns(base: RunWindows, cand: RunWindows, options: CompareOptions = DEFAULT_COMPARE): Comparison {
  if (base.bucketSec !== cand.bucketSec)
    throw new Error(
      `the runs' windows differ (${base.bucketSec} s and ${cand.bucketSec} s): they were planned for different lengths, and windows pair only between runs planned alike`,
    );
  const ops = [...new Set(base.windows.map((w) => w.op))].filter((op) => cand.windows.some((w) => w.op === op)).sort();
  const results: MetricComparison[] = [];
  for (const op of ops) {
    const paired = pairs(
      base.windows.filter((w) => w.op === op),
      cand.windows.filter((w) => w.op === op),
    );
    for (const rule of METRICS) {
      const before = paired.map(([a]) => value(a, rule.metric, base.bucketSec));
      const after = paired.map(([, b]) => value(b, rule.metric, cand.bucketSec));
      const mb = median(before);
      const mc = median(after);
      const change = rule.effect === 'relative' ? (mb === 0 ? 0 : mc / mb - 1) : mc - mb;
      // test in the direction that would be worse
      const worse =
        rule.direction === 'higher_is_worse' ? wilcoxonGreater(before, after) : wilcoxonGreater(after, before);
      const better =
        rule.direction === 'higher_is_worse' ? wilcoxonGreater(after, before) : wilcoxonGreater(before, after);
      const min = rule.effect === 'relative' ? options.minEffect : options.minRateEffect;
      const worseBy = rule.direction === 'higher_is_worse' ? change : -change;
      const verdict: MetricComparison['verdict'] =
        paired.length < 5
          ? 'insufficient data'
          : !rule.judged
            ? 'not judged'
            : worse.p < options.alpha && worseBy >= min
              ? 'regression'
              : better.p < options.alpha && -worseBy >= min
                ? 'improvement'
                : 'no change';
      results.push({
        op,
        metric: rule.metric,
        baseline: mb,
        candidate: mc,
        change,
        effect: rule.effect,
        p: worse.p,
        windows: paired.length,
        verdict,
      });
    }
  }
  return {
    baseline: base.testid,
    candidate: cand.testid,
    bucket_s: base.bucketSec,
    options,
    results,
    regression: results.some((r) => r.verdict === 'regression'),
  };
}
