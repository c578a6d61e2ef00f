/**
 * One-minute rollups of latency and outcomes for soak dashboards. On 1.x they are continuous queries (and a
 * backfill over the run's span, since a CQ only covers minutes after it starts); 2.x and 3.x have no
 * continuous queries and no SELECT INTO, so there the same SELECT runs when the run ends and its rows are
 * written back as points. One table defines both.
 */
import { MEASUREMENTS } from '../../shared/measurements.js';
import { query, stringLit, type Point } from './client.js';
import { writePoints } from './writer.js';
import type { InfluxTarget } from './connection.js';
import { serverInfo } from './detect.js';

/** The run's span comes from http_reqs; offerload's own samples come a moment after it, so ranges reach this far past. */
export const TAIL_MS = 5000;
/** Raw points (k6 and the simulator) are kept this long on 1.x; the default policy k6 writes to. */
export const RAW_POLICY = { name: 'raw', duration: '30d' };
/** Downsampled series, annotations, aligned copies: kept for good (1.x). */
export const LONG_POLICY = { name: 'long', duration: 'INF' };

interface Rollup {
  readonly into: string;
  readonly from: string;
  /** aggregate expressions AS field names */
  readonly select: string;
  /** the tags each rollup point keeps */
  readonly tags: readonly string[];
}

export const ROLLUPS: readonly Rollup[] = [
  {
    into: MEASUREMENTS.latency1m,
    from: MEASUREMENTS.latency,
    select:
      'count("value") AS "count", mean("value") AS "mean", percentile("value", 50) AS "p50", percentile("value", 95) AS "p95", percentile("value", 99) AS "p99", max("value") AS "max"',
    tags: ['testid', 'op', 'outcome_class'],
  },
  {
    into: MEASUREMENTS.outcomes1m,
    from: MEASUREMENTS.outcomes,
    select: 'sum("value") AS "count"',
    tags: ['testid', 'op', 'outcome'],
  },
];

const groupBy = (r: Rollup): string => `GROUP BY time(1m), ${r.tags.map((t) => `"${t}"`).join(', ')}`;

/** The 1.x continuous queries: raw policy into long. */
export function continuousQueries(db: string): { name: string; query: string }[] {
  return ROLLUPS.map((r) => ({
    name: r.into,
    query: `SELECT ${r.select} INTO "${db}"."${LONG_POLICY.name}"."${r.into}" FROM "${db}"."${RAW_POLICY.name}"."${r.from}" ${groupBy(r)}`,
  }));
}

/** Computes one run's rollups over its span now: SELECT INTO on 1.x, a query and a write elsewhere. */
export async function backfillRollups(t: InfluxTarget, testid: string, startMs: number, endMs: number): Promise<void> {
  const { flavour } = await serverInfo(t);
  const from = Math.floor(startMs / 60_000) * 60_000;
  const to = Math.ceil((endMs + TAIL_MS) / 60_000) * 60_000;
  const where = `WHERE "testid" = ${stringLit(testid)} AND time >= ${from}ms AND time < ${to}ms`;
  if (flavour.ddl) {
    for (const cq of continuousQueries(t.database)) {
      const [head, group] = cq.query.split(' GROUP BY ');
      await query(t, `${head} ${where} GROUP BY ${group}`);
    }
    return;
  }
  for (const r of ROLLUPS) {
    const rows = await query(t, `SELECT ${r.select} FROM "${r.from}" ${where} ${groupBy(r)} fill(none)`);
    const points: Point[] = rows.map((row) => ({
      measurement: r.into,
      tags: Object.fromEntries(r.tags.map((k) => [k, String(row[k] ?? '')])),
      fields: Object.fromEntries(
        Object.entries(row).filter(([k, v]) => k !== 'time' && !r.tags.includes(k) && typeof v === 'number'),
      ) as Record<string, number>,
      timestamp: row.time,
    }));
    await writePoints(t, points, flavour.longPolicy);
  }
}
