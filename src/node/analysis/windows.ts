/**
 * A run as a series of equal time windows per operation (requests, latency percentiles, error and conflict
 * rates): the samples every verdict is made of. Written to <results>/<testid>/windows.json at the end of a
 * run, and read back from there or, for a testid alone, recomputed from InfluxDB.
 */
import { existsSync, readFileSync } from 'node:fs';
import { MEASUREMENTS } from '../../shared/measurements.js';
import path from 'node:path';
import { isFailure, outcomeClass, type Outcome } from '../../shared/outcome.js';
import { UsageError } from '../errors.js';
import { query, stringLit } from '../influx/client.js';
import type { InfluxTarget } from '../influx/connection.js';
import { TAIL_MS } from '../influx/rollups.js';
import { runSpan } from '../influx/windows.js';
import type { RunSummary, RunWindows } from '../results/model.js';
import { SUMMARY_FILE } from '../results/layout.js';

export type { RunWindows, Window } from '../results/model.js';

/** About forty windows a run, whole seconds, at least one. */
export function bucketFor(durationSec: number): number {
  return Math.max(1, Math.round(durationSec / 40));
}

/** Computes a run's windows from InfluxDB. */
export async function windowsFromInflux(
  t: InfluxTarget,
  testid: string,
  bucketSec?: number,
): Promise<RunWindows | undefined> {
  const span = await runSpan(t, testid);
  if (!span) return undefined;
  const bucket = bucketSec ?? bucketFor((span.endMs - span.startMs) / 1000);
  const id = stringLit(testid);
  const range = `time >= ${span.startMs}ms AND time <= ${span.endMs + TAIL_MS}ms`;
  const lat = (await query(
    t,
    `SELECT count("value") AS "n", percentile("value", 50) AS "p50", percentile("value", 95) AS "p95", percentile("value", 99) AS "p99" FROM "${MEASUREMENTS.latency}" WHERE "testid" = ${id} AND ${range} GROUP BY time(${bucket}s), "op" fill(none)`,
  )) as unknown as { time: Date; op: string; n: number; p50: number; p95: number; p99: number }[];
  const outs = (await query(
    t,
    `SELECT sum("value") AS "n" FROM "${MEASUREMENTS.outcomes}" WHERE "testid" = ${id} AND ${range} GROUP BY time(${bucket}s), "op", "outcome" fill(none)`,
  )) as unknown as {
    time: Date;
    op: string;
    outcome: string;
    n: number;
  }[];
  const classes = new Map<string, { errors: number; conflicts: number; total: number }>();
  for (const o of outs) {
    const key = `${o.op}@${o.time.getTime()}`;
    const c = classes.get(key) ?? { errors: 0, conflicts: 0, total: 0 };
    c.total += o.n;
    if (outcomeClass(o.outcome as Outcome) === 'conflict') c.conflicts += o.n;
    else if (isFailure(o.outcome as Outcome)) c.errors += o.n;
    classes.set(key, c);
  }
  // windows start at the run's first bucket boundary, so two runs line up window by window
  const first = Math.floor(span.startMs / (bucket * 1000)) * bucket * 1000;
  const windows = lat.map((r) => {
    const c = classes.get(`${r.op}@${r.time.getTime()}`) ?? { errors: 0, conflicts: 0, total: r.n };
    return {
      t: Math.round((r.time.getTime() - first) / 1000),
      op: r.op,
      requests: r.n,
      p50: r.p50,
      p95: r.p95,
      p99: r.p99,
      error_rate: c.total ? c.errors / c.total : 0,
      conflict_rate: c.total ? c.conflicts / c.total : 0,
    };
  });
  return { testid, bucketSec: bucket, windows };
}

export interface LoadedRun {
  readonly summary: RunSummary | undefined;
  readonly windows: RunWindows | undefined;
  readonly source: string;
}

/** A run named by results folder, by testid under the results folder, or by testid in InfluxDB. */
export async function loadRun(ref: string, resultsDir: string, influx: InfluxTarget | undefined): Promise<LoadedRun> {
  const folder = existsSync(path.join(ref, SUMMARY_FILE)) ? ref : path.join(resultsDir, ref);
  if (existsSync(path.join(folder, SUMMARY_FILE))) {
    const summary = JSON.parse(readFileSync(path.join(folder, SUMMARY_FILE), 'utf8')) as RunSummary;
    const file = path.join(folder, 'windows.json');
    const windows = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as RunWindows)
      : influx
        ? await windowsFromInflux(influx, summary.testid, bucketFor(summary.load.duration_s)).catch(() => undefined)
        : undefined;
    return { summary, windows, source: folder };
  }
  if (!influx)
    throw new UsageError(
      `invalid run "${ref}": expected a results folder or the testid of a run in ${resultsDir} or InfluxDB`,
    );
  const windows = await windowsFromInflux(influx, ref).catch(() => undefined);
  if (!windows)
    throw new UsageError(`invalid run "${ref}": no results folder and no such testid in InfluxDB at ${influx.url}`);
  return { summary: undefined, windows, source: `${influx.url} (InfluxDB)` };
}
