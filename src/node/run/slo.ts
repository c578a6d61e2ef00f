/**
 * A run's SLOs and their verdicts. `runSlo` is the one place that decides which objectives apply to an
 * operation: the end-of-run verdict, the watchdog and the capacity knee all ask it.
 */
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

/** Verdicts for every operation that saw requests. */
export function judge(s: SloSources, operations: Readonly<Record<string, OperationSummary>>): SloVerdict[] {
  const verdicts: SloVerdict[] = [];
  for (const [op, summary] of Object.entries(operations)) {
    if (summary.requests === 0) continue;
    const slo = runSlo(s, op);
    for (const [objective, threshold] of Object.entries(slo) as [keyof Slo, number][]) {
      const actual = FIGURES[objective](summary);
      if (actual === undefined) continue;
      verdicts.push({ op, objective, threshold, actual, pass: actual <= threshold });
    }
  }
  return verdicts;
}
