/** SLO verdicts of a run: each operation's figures against its objectives (scenario defaults, then --slo). */
import { SCENARIOS, sloFor, type Slo } from '../../shared/scenarios.js';
import type { OperationSummary } from '../results/model.js';

export interface SloVerdict {
  readonly op: string;
  readonly objective: keyof Slo;
  readonly threshold: number;
  readonly actual: number;
  readonly pass: boolean;
}

/** How each objective reads its figure from an operation summary. */
const FIGURES: Record<keyof Slo, (o: OperationSummary) => number | undefined> = {
  p95_ms: (o) => o.latency_ms?.p95,
  p99_ms: (o) => o.latency_ms?.p99,
  error_rate: (o) => o.error_rate,
  conflict_rate: (o) => o.conflict_rate,
};

/** Verdicts for every operation that saw requests. */
export function judge(scenario: string, operations: Readonly<Record<string, OperationSummary>>, overrides: Slo, configSlos: Readonly<Record<string, Slo>> = {}): SloVerdict[] {
  const info = SCENARIOS[scenario]!;
  const verdicts: SloVerdict[] = [];
  for (const [op, summary] of Object.entries(operations)) {
    if (summary.requests === 0) continue;
    // scenario defaults, then the config file (per operation, or * for all), then --slo
    const slo: Slo = { ...sloFor(info, op), ...(configSlos[op] ?? configSlos['*']), ...overrides };
    for (const [objective, threshold] of Object.entries(slo) as [keyof Slo, number][]) {
      const actual = FIGURES[objective](summary);
      if (actual === undefined) continue;
      verdicts.push({ op, objective, threshold, actual, pass: actual <= threshold });
    }
  }
  return verdicts;
}
