/**
 * Run step 4, collect: from k6's end-of-test data (or, for a soak, InfluxDB and k6's CSV stream) the
 * per-operation figures, the accounting against what the target received and InfluxDB stored, the SLO
 * verdicts and the scenario's sections: the run's summary.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { SCENARIOS } from '../../shared/scenarios.js';
import { EnvironmentError } from '../errors.js';
import { writeAlignedSeries, writeAnnotation } from '../influx/schema.js';
import { backfillRollups } from '../influx/rollups.js';
import { settledStoredRequests, type InfluxTarget } from '../influx/store.js';
import { latencyOf, outcomesOf, requestsOf, runSpan, worstWindowsOf } from '../influx/windows.js';
import type { Io } from '../io.js';
import { countRequestsInCsv } from '../results/csv-count.js';
import type { OperationSummary, RunSummary } from '../results/model.js';
import { accounting, byOperation, operationFrom, summariseOperation, type K6SummaryData } from '../results/summary.js';
import type { Simulator } from '../sim/http/server.js';
import { runLabels, type K6Outcome } from './k6-step.js';
import type { RunOptions } from './plan.js';
import { SECTIONS } from './sections.js';
import { judge, type WorstWindows } from './slo.js';

interface Measured {
  readonly data: K6SummaryData | undefined;
  readonly operations: Record<string, OperationSummary>;
  readonly sent: number;
  readonly sentByOp: Record<string, number> | undefined;
  readonly seconds: number;
  readonly dropped: number;
  /** k6 was killed before its summary: `sent` is what InfluxDB stored, not k6's own count */
  readonly sentUnknown?: boolean;
}

async function operationsFromInflux(
  influx: InfluxTarget,
  testid: string,
  ops: readonly string[],
  seconds: number,
): Promise<Record<string, OperationSummary>> {
  const out: Record<string, OperationSummary> = {};
  for (const op of ops) {
    out[op] = operationFrom(
      await requestsOf(influx, testid, op),
      seconds,
      await latencyOf(influx, testid, op),
      await outcomesOf(influx, testid, op),
    );
  }
  return out;
}

const lastLines = (output: string): string => output.trim().split('\n').slice(-3).join(' | ');

/**
 * k6 killed from outside (SIGKILL, the OOM killer) writes no summary: what it streamed to InfluxDB until then is
 * the run's partial record, and k6's own count of what it sent is lost with it (the accounting says so).
 */
async function fromInfluxAfterKill(opts: RunOptions, k6: K6Outcome, influx: InfluxTarget): Promise<Measured> {
  const info = SCENARIOS[opts.scenario]!;
  const span = await runSpan(influx, opts.testid);
  const seconds = span ? (span.endMs - span.startMs) / 1000 : (k6.endedAt.getTime() - k6.startedAt.getTime()) / 1000;
  const operations = await operationsFromInflux(influx, opts.testid, info.ops, seconds);
  const stored = await settledStoredRequests(influx, opts.testid);
  return {
    data: undefined,
    operations,
    sent: stored.total,
    sentByOp: stored.byName,
    seconds,
    dropped: 0,
    sentUnknown: true,
  };
}

/** What k6 measured: from its summary, or for a soak from InfluxDB and its CSV stream. */
async function measured(opts: RunOptions, k6: K6Outcome, influx: InfluxTarget | undefined): Promise<Measured> {
  const info = SCENARIOS[opts.scenario]!;
  if (info.summaryFromInflux) {
    if (!existsSync(k6.csvPath))
      throw new EnvironmentError(`k6 exited ${k6.exitCode} without its CSV stream: ${lastLines(k6.output)}`);
    const span = influx ? await runSpan(influx, opts.testid) : undefined;
    const seconds = span ? (span.endMs - span.startMs) / 1000 : (k6.endedAt.getTime() - k6.startedAt.getTime()) / 1000;
    const operations = await operationsFromInflux(influx!, opts.testid, info.ops, seconds);
    const counted = await countRequestsInCsv(k6.csvPath);
    rmSync(k6.csvPath);
    return { data: undefined, operations, sent: counted.total, sentByOp: counted.byName, seconds, dropped: 0 };
  }
  if (!existsSync(k6.summaryPath) && k6.killedBy && influx) return fromInfluxAfterKill(opts, k6, influx);
  if (!existsSync(k6.summaryPath))
    throw new EnvironmentError(
      `k6 exited ${k6.exitCode} without a summary${k6.output ? `: ${lastLines(k6.output)}` : ''}`,
    );
  const data = JSON.parse(readFileSync(k6.summaryPath, 'utf8')) as K6SummaryData;
  const seconds = (data.state?.testRunDurationMs ?? k6.endedAt.getTime() - k6.startedAt.getTime()) / 1000;
  return {
    data,
    operations: Object.fromEntries(info.ops.map((op) => [op, summariseOperation(data, op, seconds)])),
    sent: data.metrics.http_reqs?.values.count ?? 0,
    sentByOp: undefined,
    seconds,
    dropped: data.metrics.dropped_iterations?.values.count ?? 0,
  };
}

/** What InfluxDB holds of the run; it may have gone away during the run, which is a gap, not a failure. */
async function storedOf(
  opts: RunOptions,
  k6: K6Outcome,
  influx: InfluxTarget | undefined,
  seconds: number,
): Promise<{ total: number | null; byOp: Record<string, number> | null; gaps: string[] }> {
  if (!influx) return { total: null, byOp: null, gaps: [] };
  try {
    const s = await settledStoredRequests(influx, opts.testid);
    const span = await runSpan(influx, opts.testid);
    // the derived series are extras: a server that refuses one (a bucket's retention drops points timed at
    // the epoch) costs that series, never the stored count
    const derived: string[] = [];
    const extra = (what: string, work: () => Promise<unknown>): Promise<void> =>
      work().then(
        () => undefined,
        (e: Error) => void derived.push(`${what} not written to InfluxDB (${e.message})`),
      );
    if (span)
      await extra('the aligned series of the compare dashboard', () =>
        writeAlignedSeries(influx, opts.testid, span.startMs, span.endMs),
      );
    if (span && SCENARIOS[opts.scenario]!.summaryFromInflux)
      await extra('the one-minute rollups', () => backfillRollups(influx, opts.testid, span.startMs, span.endMs));
    const why = k6.breach
      ? `stopped early: ${k6.breach.reason}`
      : k6.interrupted
        ? `interrupted (${k6.interrupted})`
        : `ended after ${Math.round(seconds)} s`;
    await writeAnnotation(influx, runLabels(opts), 'end', k6.endedAt, why);
    return { total: s.total, byOp: s.byName, gaps: derived };
  } catch (e) {
    return {
      total: null,
      byOp: null,
      gaps: [
        `InfluxDB at ${influx.url} could not be read after the run (${(e as Error).message}): stored count unknown`,
      ],
    };
  }
}

/** What the target received of this run, when it is a simulator (embedded, or one answering /sim/stats). */
async function receivedByTarget(
  sim: Simulator | undefined,
  targetUrl: string,
  testid: string,
): Promise<{ total: number; byOp: Record<string, number> } | null> {
  if (sim) return { total: sim.stats.snapshot(testid).total, byOp: sim.stats.operations(testid) };
  const res = await fetch(`${targetUrl}/sim/stats?testid=${encodeURIComponent(testid)}`).catch(() => undefined);
  if (!res?.ok) {
    await res?.body?.cancel();
    return null;
  }
  const body = (await res.json()) as { received: { total: number }; operations?: Record<string, number> };
  return { total: body.received.total, byOp: body.operations ?? {} };
}

/** The worst window of every objective, per operation, from InfluxDB. */
async function worstWindows(
  influx: InfluxTarget,
  opts: RunOptions,
  ops: readonly string[],
): Promise<WorstWindows | undefined> {
  try {
    const byOp: Record<string, Awaited<ReturnType<typeof worstWindowsOf>>> = {};
    for (const op of ops) byOp[op] = await worstWindowsOf(influx, opts.testid, op, opts.sloWindowSec);
    return { windowSec: opts.sloWindowSec, byOp };
  } catch {
    return undefined;
  }
}

export interface CollectStep {
  readonly k6: K6Outcome;
  readonly influx: InfluxTarget | undefined;
  readonly sim: Simulator | undefined;
  readonly targetUrl: string;
  readonly planned: number;
}

export async function collect(opts: RunOptions, c: CollectStep, io: Io): Promise<RunSummary> {
  io.phase('collecting results');
  const m = await measured(opts, c.k6, c.influx);
  const stored = await storedOf(opts, c.k6, c.influx, m.seconds);
  const received = await receivedByTarget(c.sim, c.targetUrl, opts.testid);
  const context = {
    ...opts,
    data: m.data,
    influx: c.influx,
    targetUrl: c.targetUrl,
    operations: m.operations,
    seconds: m.seconds,
    stoppedAtMs: c.k6.breach?.atMs,
  };
  const sections = Object.assign({}, ...(await Promise.all(SECTIONS.map((s) => s(context))))) as Partial<RunSummary>;
  const totals = accounting(
    m.sent,
    received?.total ?? null,
    stored.total,
    c.k6.breach !== undefined || c.k6.interrupted !== undefined,
  );
  const perOp = byOperation(
    m.sentByOp ?? Object.fromEntries(Object.entries(m.operations).map(([op, o]) => [op, o.requests])),
    received?.byOp ?? null,
    stored.byOp,
  );
  return {
    testid: opts.testid,
    scenario: opts.scenario,
    profile: opts.profile,
    target: { label: opts.targetLabel, url: c.targetUrl, embedded_simulator: c.sim !== undefined },
    load: { rate: opts.params.rate, duration_s: opts.params.durationSec, expected_iterations: c.planned },
    started_at: c.k6.startedAt.toISOString(),
    ended_at: c.k6.endedAt.toISOString(),
    duration_s: Math.round(m.seconds * 1000) / 1000,
    k6_exit_code: c.k6.exitCode,
    stopped_early: c.k6.breach ? { reason: c.k6.breach.reason } : null,
    // the flag covers the target and InfluxDB alike (the Node client and k6's output)
    tls_verification: opts.insecureSkipTlsVerify
      ? 'OFF for the target and InfluxDB (--insecure-skip-tls-verify)'
      : 'on',
    tags: opts.extraTags,
    dropped_iterations: m.dropped,
    operations: m.operations,
    slos: judge(
      opts,
      m.operations,
      m.dropped,
      c.influx ? await worstWindows(c.influx, opts, Object.keys(m.operations)) : undefined,
    ),
    // per-operation differences are gaps only when the totals do not already name them
    accounting: m.sentUnknown
      ? {
          ...totals,
          by_operation: perOp.table,
          balanced: false,
          gaps: [
            `k6 was killed by ${c.k6.killedBy} before its summary: its own count of what it sent is lost; "sent" is what InfluxDB stored until then`,
            ...totals.gaps,
            ...stored.gaps,
          ],
        }
      : {
          ...totals,
          by_operation: perOp.table,
          gaps: [...totals.gaps, ...stored.gaps, ...(totals.balanced ? perOp.gaps : [])],
          balanced: totals.balanced && perOp.gaps.length === 0,
        },
    partial: c.k6.interrupted ? { signal: c.k6.interrupted } : c.k6.killedBy ? { signal: c.k6.killedBy } : null,
    // where, never how: the target's credentials and CA file stay out of the results
    influx: c.influx ? { url: c.influx.url, database: c.influx.database } : null,
    ...sections,
  };
}
