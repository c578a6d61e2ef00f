/**
 * A run's SLOs and their verdicts. `runSlo` is the one place that decides which objectives apply to an
 * operation, and `checkSlo` the one place that sets figures against them: the end-of-run verdict, the
 * watchdog and the capacity knee all ask both, so every objective (p95, p99, error and conflict rate) counts
 * in all three.
 */
import { isFailure, outcomeClass, type Outcome } from '../../shared/outcome.js';
import { SCENARIOS, sloFor, type Slo } from '../../shared/scenarios.js';
import type { OperationSummary, SloVerdict } from '../results/model.js';

export type { SloVerdict } from '../results/model.js';

/** Figures of the worst window per operation and objective, from the run's windows of `windowSec`. */
export interface WorstWindows {
  readonly windowSec: number;
  readonly byOp: Readonly<Record<string, Partial<Record<keyof Slo, number>>>>;
}

/** The figures objectives are judged on, for a whole run, a window or a plateau; an absent figure is not judged. */
export type SloFigures = Partial<Record<keyof Slo, number>>;

/** One objective set against its figure. */
export interface SloCheck {
  readonly objective: keyof Slo;
  readonly threshold: number;
  readonly actual: number;
  readonly pass: boolean;
}

/** Every objective of `slo` that has a figure, set against it: pass when the figure is at or under the threshold. */
export function checkSlo(slo: Slo, figures: SloFigures): SloCheck[] {
  const checks: SloCheck[] = [];
  for (const [objective, threshold] of Object.entries(slo) as [keyof Slo, number | undefined][]) {
    const actual = figures[objective];
    if (threshold === undefined || actual === undefined) continue;
    checks.push({ objective, threshold, actual, pass: actual <= threshold });
  }
  return checks;
}

/** The figures of outcome counts and latency percentiles: error and conflict rates are shares of the answers. */
export function sloFigures(
  outcomes: Readonly<Record<string, number>>,
  latency: { readonly p95: number; readonly p99: number } | null | undefined,
): SloFigures {
  let answers = 0;
  let failures = 0;
  let conflicts = 0;
  for (const [outcome, n] of Object.entries(outcomes)) {
    answers += n;
    if (isFailure(outcome as Outcome)) failures += n;
    else if (outcomeClass(outcome as Outcome) === 'conflict') conflicts += n;
  }
  const rates = answers > 0 ? { error_rate: failures / answers, conflict_rate: conflicts / answers } : {};
  return latency ? { ...rates, p95_ms: latency.p95, p99_ms: latency.p99 } : rates;
}

/** How a failed check reads in a stop reason: "p99 840 ms over the SLO 500 ms", "error rate 3.1% over the SLO 2.0%". */
export function describeBreach(c: SloCheck): string {
  if (c.objective === 'p95_ms' || c.objective === 'p99_ms')
    return `${c.objective.slice(0, 3)} ${c.actual.toFixed(0)} ms over the SLO ${c.threshold} ms`;
  const name = c.objective === 'error_rate' ? 'error rate' : 'conflict rate';
  return `${name} ${(c.actual * 100).toFixed(1)}% over the SLO ${(c.threshold * 100).toFixed(1)}%`;
}

/** How each objective reads its figure from an operation summary. */
const summaryFigures = (o: OperationSummary): SloFigures => ({
  p95_ms: o.latency_ms?.p95,
  p99_ms: o.latency_ms?.p99,
  error_rate: o.error_rate,
  conflict_rate: o.conflict_rate,
});

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
  const info = SCENARIOS[scenario]!;
  // a contact centre's iteration is a contact, which may be offered several times: its creation is the one request each sends
  if (info.plansContacts) return 'interaction_create';
  return info.ops.includes('offer') ? 'offer' : info.ops[0]!;
}

/**
 * Verdicts for every operation that saw requests. An offer the generator never sent is load the target did
 * not get: the main operation's error rate counts dropped iterations as failures. Each verdict carries the
 * worst window's figure beside the whole run's.
 */
export function judge(
  s: SloSources,
  operations: Readonly<Record<string, OperationSummary>>,
  dropped = 0,
  worst?: WorstWindows,
): SloVerdict[] {
  const verdicts: SloVerdict[] = [];
  const main = mainOperation(s.scenario);
  for (const [op, summary] of Object.entries(operations)) {
    if (summary.requests === 0) continue;
    const figures = summaryFigures(summary);
    const withDropped = op === main && dropped > 0 && figures.error_rate !== undefined;
    if (withDropped)
      figures.error_rate = (figures.error_rate! * summary.requests + dropped) / (summary.requests + dropped);
    for (const { objective, threshold, actual, pass } of checkSlo(runSlo(s, op), figures)) {
      verdicts.push({
        op,
        objective,
        threshold,
        actual: Math.round(actual * 1e6) / 1e6,
        pass,
        worst_window: worst?.byOp[op]?.[objective] ?? null,
        window_s: worst?.windowSec ?? 0,
        ...(withDropped && objective === 'error_rate' ? { dropped_iterations: dropped } : {}),
      });
    }
  }
  return verdicts;
}
