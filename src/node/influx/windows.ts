/**
 * InfluxQL questions offerload asks of a run after (and during) it: whole-run summaries per operation,
 * windows for the watchdog, per-plateau figures for capacity runs. Percentiles are computed by InfluxDB
 * over the raw points of each window (PERCENTILE is nearest-rank), never averaged across windows.
 */
import { MEASUREMENTS } from '../../shared/measurements.js';
import type { LatencyMs } from '../results/model.js';
import { query as rows, stringLit as lit, type Row } from './client.js';
import type { InfluxTarget } from './connection.js';
import { isFailure, outcomeClass, type Outcome } from '../../shared/outcome.js';

const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const round = (v: unknown): number => Math.round(n(v) * 1000) / 1000;
const timeRange = (fromMs?: number, toMs?: number): string =>
  (fromMs === undefined ? '' : ` AND time >= ${Math.floor(fromMs)}ms`) +
  (toMs === undefined ? '' : ` AND time < ${Math.floor(toMs)}ms`);

/** First and last request times of a run (epoch ms), or undefined when InfluxDB holds none. */
export async function runSpan(
  t: InfluxTarget,
  testid: string,
): Promise<{ startMs: number; endMs: number } | undefined> {
  const first = await rows(t, `SELECT first("value") FROM "http_reqs" WHERE "testid" = ${lit(testid)}`);
  const last = await rows(t, `SELECT last("value") FROM "http_reqs" WHERE "testid" = ${lit(testid)}`);
  if (!first[0]?.time || !last[0]?.time) return undefined;
  return { startMs: first[0].time.getTime(), endMs: last[0].time.getTime() };
}

/** Latency percentiles of one operation over a window (all outcomes), ms. */
export async function latencyOf(
  t: InfluxTarget,
  testid: string,
  op: string,
  fromMs?: number,
  toMs?: number,
): Promise<LatencyMs | null> {
  const [r] = await rows(
    t,
    `SELECT count("value") AS c, percentile("value", 50) AS p50, percentile("value", 90) AS p90, percentile("value", 95) AS p95, percentile("value", 99) AS p99, max("value") AS mx ` +
      `FROM "${MEASUREMENTS.latency}" WHERE "testid" = ${lit(testid)} AND "op" = ${lit(op)}${timeRange(fromMs, toMs)}`,
  );
  if (!r || !n(r.c)) return null;
  return { p50: round(r.p50), p90: round(r.p90), p95: round(r.p95), p99: round(r.p99), max: round(r.mx) };
}

/** Outcome counts of one operation (or all) over a window. */
export async function outcomesOf(
  t: InfluxTarget,
  testid: string,
  op?: string,
  fromMs?: number,
  toMs?: number,
): Promise<Record<string, number>> {
  const opFilter = op === undefined ? '' : ` AND "op" = ${lit(op)}`;
  const rs = await rows(
    t,
    `SELECT sum("value") AS c FROM "${MEASUREMENTS.outcomes}" WHERE "testid" = ${lit(testid)}${opFilter}${timeRange(fromMs, toMs)} GROUP BY "outcome"`,
  );
  const out: Record<string, number> = {};
  for (const r of rs) if (typeof r.outcome === 'string' && n(r.c) > 0) out[r.outcome] = n(r.c);
  return out;
}

/** Requests of one operation over a window. */
export async function requestsOf(
  t: InfluxTarget,
  testid: string,
  op: string,
  fromMs?: number,
  toMs?: number,
): Promise<number> {
  const [r] = await rows(
    t,
    `SELECT count("value") AS c FROM "http_reqs" WHERE "testid" = ${lit(testid)} AND "op" = ${lit(op)}${timeRange(fromMs, toMs)}`,
  );
  return n(r?.c);
}

/** Sum of a k6 counter (dropped_iterations) and max of a gauge (vus) over a window. */
export async function generatorOf(
  t: InfluxTarget,
  testid: string,
  fromMs?: number,
  toMs?: number,
): Promise<{ dropped: number; maxVus: number }> {
  const [d] = await rows(
    t,
    `SELECT sum("value") AS c FROM "dropped_iterations" WHERE "testid" = ${lit(testid)}${timeRange(fromMs, toMs)}`,
  );
  const [v] = await rows(
    t,
    `SELECT max("value") AS m FROM "vus" WHERE "testid" = ${lit(testid)}${timeRange(fromMs, toMs)}`,
  );
  return { dropped: n(d?.c), maxVus: n(v?.m) };
}

/**
 * The worst window of each objective for one operation: p95 and p99 over each window's own raw points, error and
 * conflict rates over its answers; windows with fewer than `minAnswers` answers are not judged.
 */
export async function worstWindowsOf(
  t: InfluxTarget,
  testid: string,
  op: string,
  windowSec: number,
  minAnswers = 20,
): Promise<Partial<Record<'p95_ms' | 'p99_ms' | 'error_rate' | 'conflict_rate', number>>> {
  const span = await runSpan(t, testid);
  if (!span) return {};
  const where = `WHERE "testid" = ${lit(testid)} AND "op" = ${lit(op)}${timeRange(span.startMs, span.endMs + 1000)}`;
  const lat = (await rows(
    t,
    `SELECT count("value") AS n, percentile("value", 95) AS p95, percentile("value", 99) AS p99 FROM "${MEASUREMENTS.latency}" ${where} GROUP BY time(${windowSec}s) fill(none)`,
  )) as Row[];
  const outs = (await rows(
    t,
    `SELECT sum("value") AS n FROM "${MEASUREMENTS.outcomes}" ${where} GROUP BY time(${windowSec}s), "outcome" fill(none)`,
  )) as Row[];
  const byWindow = new Map<number, { answers: number; failures: number; conflicts: number }>();
  for (const r of outs) {
    const w = byWindow.get(r.time!.getTime()) ?? { answers: 0, failures: 0, conflicts: 0 };
    const outcome = r.outcome as Outcome;
    w.answers += n(r.n);
    if (isFailure(outcome)) w.failures += n(r.n);
    else if (outcomeClass(outcome) === 'conflict') w.conflicts += n(r.n);
    byWindow.set(r.time!.getTime(), w);
  }
  const worst: Partial<Record<'p95_ms' | 'p99_ms' | 'error_rate' | 'conflict_rate', number>> = {};
  const keep = (k: keyof typeof worst, v: number): void => {
    worst[k] = Math.max(worst[k] ?? -Infinity, Math.round(v * 1e6) / 1e6);
  };
  for (const r of lat) {
    if (n(r.n) < minAnswers) continue;
    keep('p95_ms', n(r.p95));
    keep('p99_ms', n(r.p99));
  }
  for (const w of byWindow.values()) {
    if (w.answers < minAnswers) continue;
    keep('error_rate', w.failures / w.answers);
    keep('conflict_rate', w.conflicts / w.answers);
  }
  return worst;
}

/** Mean latency of one operation over a window, ms (for requests in flight by Little's law), or undefined without points. */
export async function meanLatencyOf(
  t: InfluxTarget,
  testid: string,
  op: string,
  fromMs?: number,
  toMs?: number,
): Promise<number | undefined> {
  const [r] = await rows(
    t,
    `SELECT mean("value") AS m FROM "${MEASUREMENTS.latency}" WHERE "testid" = ${lit(testid)} AND "op" = ${lit(op)}${timeRange(fromMs, toMs)}`,
  );
  return r && typeof r.m === 'number' ? r.m : undefined;
}

/**
 * Requests of one operation sent per bin of `binMs` over the run (empty bins included), for the arrival process's
 * dispersion. k6 stamps a request's points at its end, so each is moved back by its duration to when it was
 * sent: counted at the answers, a queueing target would smooth the very bursts being measured. Read in slices of
 * ten minutes, so a long run is never one answer.
 */
export async function requestCountsOf(t: InfluxTarget, testid: string, op: string, binMs: number): Promise<number[]> {
  const span = await runSpan(t, testid);
  if (!span) return [];
  const sends: number[] = [];
  const sliceMs = 600_000;
  // the first request's point is at its end: its send lies up to its duration earlier, so the slices start early
  for (let from = span.startMs - 60_000; from <= span.endMs; from += sliceMs) {
    const rs = await rows(
      t,
      `SELECT "value" FROM "${MEASUREMENTS.latency}" WHERE "testid" = ${lit(testid)} AND "op" = ${lit(op)}${timeRange(from, Math.min(from + sliceMs, span.endMs + 1))}`,
    );
    for (const r of rs) if (r.time) sends.push(r.time.getTime() - n(r.value));
  }
  if (sends.length === 0) return [];
  // bins from the first request sent
  let origin = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const sent of sends) {
    origin = Math.min(origin, sent);
    last = Math.max(last, sent);
  }
  const bins = new Array<number>(Math.floor((last - origin) / binMs) + 1).fill(0);
  for (const sent of sends) bins[Math.floor((sent - origin) / binMs)]!++;
  return bins;
}
