/**
 * summary.json: per operation request counts, latency percentiles, outcome counts and conflict rates,
 * from k6's end-of-test data; plus the run's accounting (sent, received by the target, stored in InfluxDB).
 */
import { outcomeClass, OUTCOMES, type Outcome } from '../../shared/outcome.js';

export interface LatencyMs {
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface OperationSummary {
  readonly requests: number;
  /** requests per second over the run's duration */
  readonly throughput_rps: number;
  readonly latency_ms: LatencyMs | null;
  /** outcome -> count, outcomes that occurred only */
  readonly outcomes: Record<string, number>;
  /** share of responses that were 409 conflicts */
  readonly conflict_rate: number;
  /** conflict reason -> share of all responses */
  readonly conflict_rate_by_reason: Record<string, number>;
  /** share of responses that were neither success nor conflict */
  readonly error_rate: number;
}

export interface Accounting {
  /** requests k6 sent */
  readonly sent: number;
  /** what the simulator counted for this run; null for a remote target */
  readonly received_by_target: number | null;
  /** requests InfluxDB holds for this testid; null with --no-influx */
  readonly stored_in_influx: number | null;
  /** true when every known count equals `sent` */
  readonly balanced: boolean;
  /** why the counts differ, when they may: the gaps that were measured and named */
  readonly gaps: string[];
  /** the same three counts per operation; null where a count is not known */
  readonly by_operation?: Record<string, { sent: number; received_by_target: number | null; stored_in_influx: number | null; balanced: boolean }>;
}

export interface RunSummary {
  readonly testid: string;
  readonly scenario: string;
  readonly profile: string;
  readonly target: { readonly label: string; readonly url: string; readonly embedded_simulator: boolean };
  readonly load: { readonly rate: number; readonly duration_s: number; readonly expected_iterations: number };
  readonly started_at: string;
  readonly ended_at: string;
  readonly duration_s: number;
  readonly k6_exit_code: number;
  /** interrupted by SIGINT/SIGTERM: what was measured until then */
  readonly partial?: { readonly signal: string } | null;
  /** the watchdog stopped the run (storm, or capacity SLOs broken for a sustained window) */
  readonly stopped_early: { readonly reason: string } | null;
  readonly dropped_iterations: number;
  readonly operations: Record<string, OperationSummary>;
  readonly slos: readonly { readonly op: string; readonly objective: string; readonly threshold: number; readonly actual: number; readonly pass: boolean }[];
  readonly accounting: Accounting;
  readonly influx: { readonly url: string; readonly database: string } | null;
  /** scenario sections: capacity, timeouts, contention */
  readonly [section: string]: unknown;
}

/** The parts of k6's handleSummary data that we read. */
export interface K6SummaryData {
  readonly state?: { readonly testRunDurationMs?: number };
  readonly metrics: Record<string, { readonly values: Record<string, number> } | undefined>;
}

const value = (data: K6SummaryData, metric: string, stat: string): number => data.metrics[metric]?.values[stat] ?? 0;

function latency(data: K6SummaryData, op: string): LatencyMs | null {
  const m = data.metrics[`offerload_latency_ms{op:${op}}`]?.values;
  if (!m || !m.count) return null;
  const r = (n: number | undefined): number => Math.round((n ?? 0) * 1000) / 1000;
  return { p50: r(m.med), p90: r(m['p(90)']), p95: r(m['p(95)']), p99: r(m['p(99)']), max: r(m.max) };
}

/** Summarises one operation from k6's data; `seconds` is the run's duration. */
export function summariseOperation(data: K6SummaryData, op: string, seconds: number): OperationSummary {
  const outcomes: Record<string, number> = {};
  for (const outcome of OUTCOMES) {
    const n = value(data, `offerload_outcomes{op:${op},outcome:${outcome}}`, 'count');
    if (n > 0) outcomes[outcome] = n;
  }
  const answered = Object.values(outcomes).reduce((a, b) => a + b, 0);
  const share = (n: number): number => (answered === 0 ? 0 : Math.round((n / answered) * 1e6) / 1e6);
  const byReason: Record<string, number> = {};
  let conflicts = 0;
  let errors = 0;
  for (const [outcome, n] of Object.entries(outcomes)) {
    const cls = outcomeClass(outcome as Outcome);
    if (cls === 'conflict') {
      conflicts += n;
      byReason[outcome] = share(n);
    } else if (cls !== 'success') errors += n;
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

export function accounting(sent: number, received: number | null, stored: number | null, stoppedEarly = false): Accounting {
  const known = [received, stored].filter((n): n is number => n !== null);
  const gaps: string[] = [];
  if (stoppedEarly && received !== null && received > sent) {
    gaps.push(`${received - sent} requests were in flight when the run was stopped: the target received them, k6 interrupted them before recording`);
  }
  if (stored !== null && stored !== sent) gaps.push(`InfluxDB holds ${stored} of the ${sent} requests k6 sent`);
  return { sent, received_by_target: received, stored_in_influx: stored, balanced: known.every((n) => n === sent), gaps };
}

/** Summarises one operation from its counts and latency (the InfluxDB path, for runs without k6 summary data). */
export function operationFrom(requests: number, seconds: number, latencyMs: LatencyMs | null, outcomes: Record<string, number>): OperationSummary {
  const data: K6SummaryData = {
    metrics: Object.fromEntries([
      ...Object.entries(outcomes).map(([o, c]) => [`offerload_outcomes{op:x,outcome:${o}}`, { values: { count: c } }] as const),
      ['http_reqs{op:x}', { values: { count: requests } }] as const,
    ]),
  };
  return { ...summariseOperation(data, 'x', seconds), latency_ms: latencyMs };
}
