/**
 * What offerload keeps in InfluxDB besides k6's own measurements: retention policies, continuous queries
 * that downsample long soaks, run annotations, and each run's key series re-timed to start at the epoch
 * so the Compare dashboard can overlay two runs aligned on their start.
 */
import { escape, type IPoint } from 'influx';
import { MEASUREMENTS } from '../../shared/measurements.js';
import { NON_FAILURE_CLASSES } from '../../shared/outcome.js';
import { client, type InfluxTarget } from './store.js';

/**
 * The run's span comes from http_reqs; offerload's own samples of the last response are taken a moment after
 * it, so ranges reach this far past the last request (the testid keeps other runs out).
 */
export const TAIL_MS = 5000;

/** Raw points (k6 and the simulator) are kept this long; the default policy k6 writes to. */
export const RAW_POLICY = { name: 'raw', duration: '30d' };
/** Downsampled series, annotations' aligned copies: kept for good. */
export const LONG_POLICY = { name: 'long', duration: 'INF' };
export const RUNS_MEASUREMENT = MEASUREMENTS.runs;
export const ALIGNED_MEASUREMENT = MEASUREMENTS.runAligned;

/** Continuous queries: one-minute rollups of latency, outcomes and requests for soak dashboards. */
export function continuousQueries(db: string): { name: string; query: string }[] {
  const into = (m: string): string => `"${db}"."${LONG_POLICY.name}"."${m}"`;
  const from = (m: string): string => `"${db}"."${RAW_POLICY.name}"."${m}"`;
  return [
    {
      name: MEASUREMENTS.latency1m,
      query: `SELECT count("value") AS "count", mean("value") AS "mean", percentile("value", 50) AS "p50", percentile("value", 95) AS "p95", percentile("value", 99) AS "p99", max("value") AS "max" INTO ${into(MEASUREMENTS.latency1m)} FROM ${from(MEASUREMENTS.latency)} GROUP BY time(1m), "testid", "op", "outcome_class"`,
    },
    {
      name: MEASUREMENTS.outcomes1m,
      query: `SELECT sum("value") AS "count" INTO ${into(MEASUREMENTS.outcomes1m)} FROM ${from(MEASUREMENTS.outcomes)} GROUP BY time(1m), "testid", "op", "outcome"`,
    },
  ];
}

/** Runs the rollups over one run's span now (continuous queries only cover minutes after they start). */
export async function backfillRollups(t: InfluxTarget, testid: string, startMs: number, endMs: number): Promise<void> {
  const db = client(t);
  const from = Math.floor(startMs / 60_000) * 60_000;
  const to = Math.ceil((endMs + TAIL_MS) / 60_000) * 60_000;
  for (const cq of continuousQueries(t.database)) {
    const [head, group] = cq.query.split(' GROUP BY ');
    await db.query(`${head} WHERE "testid" = ${escape.stringLit(testid)} AND time >= ${from}ms AND time < ${to}ms GROUP BY ${group}`);
  }
}

/** Creates the database, its retention policies (raw is the default) and the continuous queries; idempotent. */
export async function setupSchema(t: InfluxTarget): Promise<{ created: string[] }> {
  const db = client(t);
  const created: string[] = [];
  if (!(await db.getDatabaseNames()).includes(t.database)) {
    await db.createDatabase(t.database);
    created.push(`database ${t.database}`);
  }
  const policies = (await db.showRetentionPolicies(t.database)).map((p) => p.name);
  for (const [policy, isDefault] of [[RAW_POLICY, true], [LONG_POLICY, false]] as const) {
    if (policies.includes(policy.name)) continue;
    await db.createRetentionPolicy(policy.name, { database: t.database, duration: policy.duration, replication: 1, isDefault });
    created.push(`retention policy ${policy.name} (${policy.duration})`);
  }
  const cqs = (await db.showContinousQueries(t.database)).map((c) => c.name);
  for (const cq of continuousQueries(t.database)) {
    if (cqs.includes(cq.name)) continue;
    await db.createContinuousQuery(cq.name, cq.query, t.database);
    created.push(`continuous query ${cq.name}`);
  }
  return { created };
}

export interface RunLabels {
  readonly testid: string;
  readonly scenario: string;
  readonly profile: string;
  readonly target: string;
  readonly version: string;
}

/** Writes a run's start or end annotation (shown on every dashboard's time axis). */
export async function writeAnnotation(t: InfluxTarget, labels: RunLabels, event: 'start' | 'end', at: Date, text: string): Promise<void> {
  await client(t).writePoints(
    [{ measurement: RUNS_MEASUREMENT, tags: { ...labels, event }, fields: { title: `${labels.scenario} ${event}`, text }, timestamp: at }],
    { precision: 'ms', retentionPolicy: LONG_POLICY.name },
  );
}

/**
 * Copies a run's key series, in buckets of `bucketSec`, to timestamps counted from the epoch (elapsed
 * time), into the long policy: two runs then overlay on the same axis whatever their start times.
 */
export async function writeAlignedSeries(t: InfluxTarget, testid: string, startMs: number, endMs: number, bucketSec = 5): Promise<number> {
  const db = client(t);
  const id = escape.stringLit(testid);
  const range = `time >= ${startMs}ms AND time <= ${endMs + TAIL_MS}ms`;
  const latency = (await db.query(
    `SELECT count("value") AS "requests", percentile("value", 50) AS "p50", percentile("value", 95) AS "p95", percentile("value", 99) AS "p99" FROM "${MEASUREMENTS.latency}" WHERE "testid" = ${id} AND ${range} GROUP BY time(${bucketSec}s), "op" fill(none)`,
  )) as unknown as { time: Date; op: string; requests: number; p50: number; p95: number; p99: number }[];
  const failures = (await db.query(
    `SELECT sum("value") AS "n" FROM "${MEASUREMENTS.outcomes}" WHERE "testid" = ${id} AND ${NON_FAILURE_CLASSES.map((c) => `"outcome_class" != '${c}'`).join(' AND ')} AND ${range} GROUP BY time(${bucketSec}s), "op" fill(none)`,
  )) as unknown as { time: Date; op: string; n: number }[];
  const failed = new Map(failures.map((f) => [`${f.op}@${f.time.getTime()}`, f.n]));
  const points: IPoint[] = latency.map((r) => ({
    measurement: ALIGNED_MEASUREMENT,
    tags: { testid, op: r.op },
    fields: { requests: r.requests, rps: r.requests / bucketSec, p50: r.p50, p95: r.p95, p99: r.p99, error_rate: (failed.get(`${r.op}@${r.time.getTime()}`) ?? 0) / r.requests },
    timestamp: new Date(Math.max(0, r.time.getTime() - Math.floor(startMs / (bucketSec * 1000)) * bucketSec * 1000)),
  }));
  if (points.length > 0) await db.writePoints(points, { precision: 'ms', retentionPolicy: LONG_POLICY.name });
  return points.length;
}
