/**
 * A run's SLOs and their verdicts. `runSlo` is the one place that decides which objectives apply to an
 * operation: the end-of-run verdict, the watchdog and the capacity knee all ask it.
 */
import { SCENARIOS, sloFor, type Slo } from '../../shared/scenarios.js';
import type { OperationSummary } from '../results/model.js';

import type { SloVerdict } from '../results/model.js';

export type { SloVerdict } from '../results/model.js';

/** Figures of the worst window per operation and objective, from the run's windows of `windowSec`. */
export interface WorstWindows {
  readonly windowSec: number;
  readonly byOp: Readonly<Record<string, Partial<Record<keyof Slo, number>>>>;
}

/** How each objective reads its figure from an operation summary. */
const FIGURES: Record<keyof Slo, (o: OperationSummary) => number | undefined> = {
  p95_ms: (o) => o.latency_ms?.p95,
  p99_ms: (o) => o.latency_ms?.p99,
  error_rate: (o) => o.error_rate,
  conflict_rate: (o) => o.conflict_rate,
};

/** Where a run's objectives come from: the scenario, the config file's `slos`, the --slo flags. */
export interface SloSources {
  readonly scenario: string;
  /** --slo, for every operation */
  readonly sloOverrides: Slo;
  /** the config file's slos, per operation or `*` */
  readonly configSlos: Readonly<Record<string, Slo>>;
}

/** The SLO of one operation: scenario defaults, then the config file (per operation, or * for all), then --slo. */
export function runSlo(s: SloSources, op: string): Slo {
  return { ...sloFor(SCENARIOS[s.scenario]!, op), ...(s.configSlos[op] ?? s.configSlos['*']), ...s.sloOverrides };
}

/** The operation a scenario's load is measured by: offers where it sends them. */
export function mainOperation(scenario: string): string {
  const ops = SCENARIOS[scenario]!.ops;
  return ops.includes('offer') ? 'offer' : ops[0]!;
}

/**
 * Verdicts for every operation that saw requests. An offer the generator never sent is load the target did
 * not get: the main operation's error rate counts dropped iterations as failures. Each verdict carries the
 * worst window's figure beside the whole run's.
 */
export function judge(s: SloSources, operations: Readonly<Record<string, OperationSummary>>, dropped = 0, worst?: WorstWindows): SloVerdict[] {
  const verdicts: SloVerdict[] = [];
  const main = mainOperation(s.scenario);
  for (const [op, summary] of Object.entries(operations)) {
    if (summary.requests === 0) continue;
    const slo = runSlo(s, op);
    for (const [objective, threshold] of Object.entries(slo) as [keyof Slo, number][]) {
      const measured = FIGURES[objective](summary);
      if (measured === undefined) continue;
      const withDropped = objective === 'error_rate' && op === main && dropped > 0;
      const actual = withDropped ? (measured * summary.requests + dropped) / (summary.requests + dropped) : measured;
      verdicts.push({
        op,
        objective,
        threshold,
        actual: Math.round(actual * 1e6) / 1e6,
        pass: actual <= threshold,
        worst_window: worst?.byOp[op]?.[objective] ?? null,
        window_s: worst?.windowSec ?? 0,
        ...(withDropped ? { dropped_iterations: dropped } : {}),
      });
    }
  }
  return verdicts;
}
