/**
 * What offerload keeps in InfluxDB besides k6's own measurements: on 1.x its database, retention policies
 * and continuous queries (rollups.ts); on 2.x and 3.x no DDL at all, only a check that the database is there.
 * Run annotations, and each run's key series re-timed to start at the epoch so the Compare dashboard can
 * overlay two runs aligned on their start.
 */
import { MEASUREMENTS } from '../../shared/measurements.js';
import { NON_FAILURE_CLASSES } from '../../shared/outcome.js';
import { EnvironmentError } from '../errors.js';
import { query, stringLit, type Point } from './client.js';
import { writePoints } from './writer.js';
import type { InfluxTarget } from './connection.js';
import { serverInfo } from './detect.js';
import { continuousQueries, LONG_POLICY, RAW_POLICY, TAIL_MS } from './rollups.js';
import { databaseExists } from './store.js';

export { TAIL_MS, RAW_POLICY, LONG_POLICY, continuousQueries, backfillRollups } from './rollups.js';
export const RUNS_MEASUREMENT = MEASUREMENTS.runs;
export const ALIGNED_MEASUREMENT = MEASUREMENTS.runAligned;

const names = (rows: Record<string, unknown>[]): string[] => rows.map((r) => String(r.name));

/** 1.x: creates the database, its retention policies (raw is the default) and the continuous queries; idempotent. */
async function setup1x(t: InfluxTarget): Promise<string[]> {
  const created: string[] = [];
  if (!names(await query(t, 'SHOW DATABASES')).includes(t.database)) {
    await query(t, `CREATE DATABASE "${t.database}"`);
    created.push(`database ${t.database}`);
  }
  const policies = names(await query(t, `SHOW RETENTION POLICIES ON "${t.database}"`));
  for (const [policy, isDefault] of [
    [RAW_POLICY, true],
    [LONG_POLICY, false],
  ] as const) {
    if (policies.includes(policy.name)) continue;
    await query(
      t,
      `CREATE RETENTION POLICY "${policy.name}" ON "${t.database}" DURATION ${policy.duration} REPLICATION 1${isDefault ? ' DEFAULT' : ''}`,
    );
    created.push(`retention policy ${policy.name} (${policy.duration})`);
  }
  // SHOW CONTINUOUS QUERIES lists every database's, as series named by database
  const cqRows = await query(t, 'SHOW CONTINUOUS QUERIES');
  const cqs = names(cqRows);
  for (const cq of continuousQueries(t.database)) {
    if (cqs.includes(cq.name)) continue;
    await query(t, `CREATE CONTINUOUS QUERY "${cq.name}" ON "${t.database}" BEGIN ${cq.query} END`);
    created.push(`continuous query ${cq.name}`);
  }
  return created;
}

/** Prepares the target for runs: the 1.x schema, or on 2.x/3.x a check that the database is there (3.x makes it on write). */
export async function setupSchema(t: InfluxTarget): Promise<{ created: string[]; server: string }> {
  const info = await serverInfo(t);
  const server = `${info.flavour.label}${info.version ? ` ${info.version}` : ''}${info.forced ? ' (flavour forced)' : ''}`;
  if (info.flavour.ddl) return { created: await setup1x(t), server };
  if (!info.flavour.createsOnWrite && !(await databaseExists(t)))
    throw new EnvironmentError(`InfluxDB at ${t.url} (${server}) has ${info.flavour.missingDatabase(t.database)}`);
  return { created: [], server };
}

export interface RunLabels {
  readonly testid: string;
  readonly scenario: string;
  readonly profile: string;
  readonly target: string;
  readonly version: string;
}

/** Writes a run's start or end annotation (shown on every dashboard's time axis). */
export async function writeAnnotation(
  t: InfluxTarget,
  labels: RunLabels,
  event: 'start' | 'end',
  at: Date,
  text: string,
): Promise<void> {
  const { flavour } = await serverInfo(t);
  await writePoints(
    t,
    [
      {
        measurement: RUNS_MEASUREMENT,
        tags: { ...labels, event },
        fields: { title: `${labels.scenario} ${event}`, text },
        timestamp: at,
      },
    ],
    flavour.longPolicy,
  );
}

/**
 * Copies a run's key series, in buckets of `bucketSec`, to timestamps counted from the epoch (elapsed
 * time), into the long policy: two runs then overlay on the same axis whatever their start times.
 */
export async function writeAlignedSeries(
  t: InfluxTarget,
  testid: string,
  startMs: number,
  endMs: number,
  bucketSec = 5,
): Promise<number> {
  const { flavour } = await serverInfo(t);
  const id = stringLit(testid);
  const range = `time >= ${startMs}ms AND time <= ${endMs + TAIL_MS}ms`;
  const latency = (await query(
    t,
    `SELECT count("value") AS "requests", percentile("value", 50) AS "p50", percentile("value", 95) AS "p95", percentile("value", 99) AS "p99" FROM "${MEASUREMENTS.latency}" WHERE "testid" = ${id} AND ${range} GROUP BY time(${bucketSec}s), "op" fill(none)`,
  )) as unknown as { time: Date; op: string; requests: number; p50: number; p95: number; p99: number }[];
  const failures = (await query(
    t,
    `SELECT sum("value") AS "n" FROM "${MEASUREMENTS.outcomes}" WHERE "testid" = ${id} AND ${NON_FAILURE_CLASSES.map((c) => `"outcome_class" != '${c}'`).join(' AND ')} AND ${range} GROUP BY time(${bucketSec}s), "op" fill(none)`,
  )) as unknown as { time: Date; op: string; n: number }[];
  const failed = new Map(failures.map((f) => [`${f.op}@${f.time.getTime()}`, f.n]));
  const points: Point[] = latency.map((r) => ({
    measurement: ALIGNED_MEASUREMENT,
    tags: { testid, op: r.op },
    fields: {
      requests: r.requests,
      rps: r.requests / bucketSec,
      p50: r.p50,
      p95: r.p95,
      p99: r.p99,
      error_rate: (failed.get(`${r.op}@${r.time.getTime()}`) ?? 0) / r.requests,
    },
    timestamp: new Date(Math.max(0, r.time.getTime() - Math.floor(startMs / (bucketSec * 1000)) * bucketSec * 1000)),
  }));
  await writePoints(t, points, flavour.longPolicy);
  return points.length;
}
