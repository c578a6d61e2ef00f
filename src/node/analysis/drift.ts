/**
 * Drift in a long run: for each operation, the windowed p95, error rate and conflict rate are checked for a
 * sustained slope (Mann-Kendall trend test with a Theil-Sen slope large enough over the run) and for a
 * step change (the best split of the run into before and after). Either flags the run even when its
 * whole-run SLOs pass.
 */
import { mannKendall, median, theilSen } from './stats.js';
import type { RunWindows, Window } from './windows.js';

export interface DriftOptions {
  /** relative change of p95 over the run that counts (0.25 = 25%) */
  readonly latencyThreshold: number;
  /** absolute change of a rate over the run that counts (0.02 = two points) */
  readonly rateThreshold: number;
  /** trend significance level */
  readonly alpha: number;
}

export const DEFAULT_DRIFT: DriftOptions = { latencyThreshold: 0.25, rateThreshold: 0.02, alpha: 0.01 };

export interface DriftFinding {
  readonly op: string;
  readonly metric: 'p95' | 'error_rate' | 'conflict_rate';
  readonly start: number;
  readonly end: number;
  /** change over the whole run from the slope: relative for p95, absolute for rates */
  readonly slope_change: number;
  readonly trend_p: number;
  /** the largest step: change between the medians before and after the best split */
  readonly step_change: number;
  readonly step_at_s: number | null;
  readonly verdict: 'sustained slope' | 'step change' | 'steady';
}

const METRICS = [
  { metric: 'p95', relative: true },
  { metric: 'error_rate', relative: false },
  { metric: 'conflict_rate', relative: false },
] as const;

function bestStep(
  ts: readonly number[],
  ys: readonly number[],
  relative: boolean,
): { change: number; at: number | null } {
  let best = { change: 0, at: null as number | null };
  const min = Math.max(5, Math.floor(ys.length * 0.2));
  for (let k = min; k <= ys.length - min; k++) {
    const before = median(ys.slice(0, k));
    const after = median(ys.slice(k));
    const change = relative ? (before === 0 ? 0 : after / before - 1) : after - before;
    // a step counts only when most windows after it sit beyond the midpoint between the two levels
    const mid = (before + after) / 2;
    const beyond = ys.slice(k).filter((y) => (after > before ? y > mid : y < mid)).length / (ys.length - k);
    if (beyond >= 0.8 && Math.abs(change) > Math.abs(best.change)) best = { change, at: ts[k]! };
  }
  return best;
}

export function analyseDrift(
  run: RunWindows,
  options: DriftOptions = DEFAULT_DRIFT,
): { findings: DriftFinding[]; drifting: boolean } {
  const findings: DriftFinding[] = [];
  for (const op of [...new Set(run.windows.map((w) => w.op))].sort()) {
    // leave out the first and last window (ramp-up, partial)
    const ws = run.windows
      .filter((w) => w.op === op)
      .sort((a, b) => a.t - b.t)
      .slice(1, -1);
    if (ws.length < 10) continue;
    const ts = ws.map((w) => w.t);
    for (const { metric, relative } of METRICS) {
      const ys = ws.map((w) => (w as Window)[metric]);
      const quarter = Math.max(3, Math.floor(ys.length / 4));
      const start = median(ys.slice(0, quarter));
      const end = median(ys.slice(-quarter));
      const slope = theilSen(ts, ys) * (ts.at(-1)! - ts[0]!);
      const slopeChange = relative ? (start === 0 ? 0 : slope / start) : slope;
      const trend = mannKendall(ys);
      const step = bestStep(ts, ys, relative);
      const threshold = relative ? options.latencyThreshold : options.rateThreshold;
      const verdict: DriftFinding['verdict'] =
        trend.p < options.alpha && Math.abs(slopeChange) >= threshold && Math.sign(slopeChange) === trend.direction
          ? 'sustained slope'
          : Math.abs(step.change) >= threshold * 2
            ? 'step change'
            : 'steady';
      findings.push({
        op,
        metric,
        start,
        end,
        slope_change: slopeChange,
        trend_p: trend.p,
        step_change: step.change,
        step_at_s: step.at,
        verdict,
      });
    }
  }
  return { findings, drifting: findings.some((f) => f.verdict !== 'steady') };
}
