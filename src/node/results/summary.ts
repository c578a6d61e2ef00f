/**
 * summary.json: per operation request counts, latency percentiles, outcome counts and conflict rates,
 * from k6's end-of-test data; plus the run's accounting (sent, received by the target, stored in InfluxDB).
 */
import { isFailure, outcomeClass, OUTCOMES, type Outcome } from '../../shared/outcome.js';
import { MEASUREMENTS } from '../../shared/measurements.js';
import type { Accounting, LatencyMs, OperationSummary } from './model.js';

/** The parts of k6's handleSummary data that we read. */
export interface K6SummaryData {
  readonly state?: { readonly testRunDurationMs?: number };
  readonly metrics: Record<string, { readonly values: Record<string, number> } | undefined>;
}

const value = (data: K6SummaryData, metric: string, stat: string): number => data.metrics[metric]?.values[stat] ?? 0;

function latency(data: K6SummaryData, op: string): LatencyMs | null {
  const m = data.metrics[`${MEASUREMENTS.latency}{op:${op}}`]?.values;
  if (!m?.count) return null;
  const r = (n: number | undefined): number => Math.round((n ?? 0) * 1000) / 1000;
  return { p50: r(m.med), p90: r(m['p(90)']), p95: r(m['p(95)']), p99: r(m['p(99)']), max: r(m.max) };
}

/** Summarises one operation from k6's data; `seconds` is the run's duration. */
export function summariseOperation(data: K6SummaryData, op: string, seconds: number): OperationSummary {
  const outcomes: Record<string, number> = {};
  for (const outcome of OUTCOMES) {
    const n = value(data, `${MEASUREMENTS.outcomes}{op:${op},outcome:${outcome}}`, 'count');
    if (n > 0) outcomes[outcome] = n;
  }
  const answered = Object.values(outcomes).reduce((a, b) => a + b, 0);
  const share = (n: number): number => (answered === 0 ? 0 : Math.round((n / answered) * 1e6) / 1e6);
  const byReason: Record<string, number> = {};
  let conflicts = 0;
  let errors = 0;
  for (const [outcome, n] of Object.entries(outcomes)) {
    if (outcomeClass(outcome as Outcome) === 'conflict') {
      conflicts += n;
      byReason[outcome] = share(n);
    } else if (isFailure(outcome as Outcome)) errors += n;
  }
  const requests = value(data, `http_reqs{op:${op}}`, 'count');
  return {
    requests,
    throughput_rps: seconds > 0 ? Math.round((requests / seconds) * 100) / 100 : 0,
    latency_ms: latency(data, op),
    outcomes,
    conflict_rate: share(conflicts),
    conflict_rate_by_reason: byReason,
    error_rate: share(errors),
  };
}

/** The accounting block; balanced when every count we could take equals what k6 sent. */
/** Per-operation accounting, and gaps for every operation whose counts disagree. */
export function byOperation(
  sent: Readonly<Record<string, number>>,
  received: Readonly<Record<string, number>> | null,
  stored: Readonly<Record<string, number>> | null,
): { table: NonNullable<Accounting['by_operation']>; gaps: string[] } {
  const table: NonNullable<Accounting['by_operation']> = {};
  const gaps: string[] = [];
  for (const op of Object.keys(sent).sort()) {
    const r = received ? (received[op] ?? 0) : null;
    const st = stored ? (stored[op] ?? 0) : null;
    const balanced = (r === null || r === sent[op]) && (st === null || st === sent[op]);
    table[op] = { sent: sent[op]!, received_by_target: r, stored_in_influx: st, balanced };
    if (!balanced) gaps.push(`${op}: sent ${sent[op]}, received ${r ?? 'n/a'}, stored ${st ?? 'n/a'}`);
  }
  return { table, gaps };
}

export function accounting(
  sent: number,
  received: number | null,
  stored: number | null,
  stoppedEarly = false,
): Accounting {
  const known = [received, stored].filter((n): n is number => n !== null);
  const gaps: string[] = [];
  if (stoppedEarly && received !== null && received > sent) {
    gaps.push(
      `${received - sent} requests were in flight when the run was stopped: the target received them, k6 interrupted them before recording`,
    );
  }
  if (stored !== null && stored !== sent) gaps.push(`InfluxDB holds ${stored} of the ${sent} requests k6 sent`);
  return {
    sent,
    received_by_target: received,
    stored_in_influx: stored,
    balanced: known.every((n) => n === sent),
    gaps,
  };
}

/** Summarises one operation from its counts and latency (the InfluxDB path, for runs without k6 summary data). */
export function operationFrom(
  requests: number,
  seconds: number,
  latencyMs: LatencyMs | null,
  outcomes: Record<string, number>,
): OperationSummary {
  const data: K6SummaryData = {
    metrics: Object.fromEntries([
      ...Object.entries(outcomes).map(
        ([o, c]) => [`${MEASUREMENTS.outcomes}{op:x,outcome:${o}}`, { values: { count: c } }] as const,
      ),
      ['http_reqs{op:x}', { values: { count: requests } }] as const,
    ]),
  };
  return { ...summariseOperation(data, 'x', seconds), latency_ms: latencyMs };
}
