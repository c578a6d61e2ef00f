/** Reads and deletes offerload's runs in InfluxDB through the one client (client.ts); the database check. */
import { UsageError } from '../errors.js';
import { query, stringLit } from './client.js';
import { serverInfo } from './detect.js';
import type { InfluxTarget } from './connection.js';

export { DEFAULT_DATABASE, type InfluxTarget } from './connection.js';

/**
 * Whether the target's database exists, asked without SHOW DATABASES (3.x has none): SHOW MEASUREMENTS in it
 * fails with "database not found" when it does not.
 */
export async function databaseExists(t: InfluxTarget): Promise<boolean> {
  try {
    await query(t, 'SHOW MEASUREMENTS LIMIT 1');
    return true;
  } catch (e) {
    if (/database not found|not found: database|bucket .*not found|no dbrp/i.test((e as Error).message)) return false;
    throw e;
  }
}

/** Creates the database when missing on 1.x (k6 would too, but queries before a run need it); elsewhere it must exist or is made on write. */
export async function ensureDatabase(t: InfluxTarget): Promise<void> {
  const { flavour } = await serverInfo(t);
  if (await databaseExists(t)) return;
  if (flavour.ddl) await query(t, `CREATE DATABASE "${t.database}"`);
}

/** What InfluxDB already holds of a testid: its requests and when they started, or undefined when none. */
export async function existingRun(
  t: InfluxTarget,
  testid: string,
): Promise<{ requests: number; startedAt: Date } | undefined> {
  const where = `FROM "http_reqs" WHERE "testid" = ${stringLit(testid)}`;
  const counted = await query(t, `SELECT count("value") AS "n" ${where}`);
  if (!counted[0]?.n) return undefined;
  // a selector alone, so its row carries the first point's time
  const first = await query(t, `SELECT first("value") ${where}`);
  return { requests: counted[0].n as number, startedAt: first[0]!.time! };
}

/** Deletes every point of a testid, in every measurement and retention policy (InfluxDB 1.x DELETE only). */
export async function deleteRun(t: InfluxTarget, testid: string): Promise<void> {
  const { flavour } = await serverInfo(t);
  if (!flavour.deletes)
    throw new UsageError(
      `--replace cannot delete run ${testid} on ${flavour.label}: InfluxQL DELETE is 1.x only; choose another --testid`,
    );
  await query(t, `DELETE FROM /.*/ WHERE "testid" = ${stringLit(testid)}`);
}

/**
 * `storedRequests` once the count has stopped growing for `quietMs`: a guard for the end of a run, when k6 may
 * exit while InfluxDB is still ingesting its last batch (at top rate one batch took over a second to write).
 */
export async function settledStoredRequests(
  t: InfluxTarget,
  testid: string,
  quietMs = 1_000,
  maxMs = 15_000,
): Promise<{ total: number; byName: Record<string, number> }> {
  const step = 250;
  let last = await storedRequests(t, testid);
  let quiet = 0;
  for (let waited = 0; waited < maxMs && quiet < quietMs; waited += step) {
    await new Promise((r) => setTimeout(r, step));
    const next = await storedRequests(t, testid);
    quiet = next.total === last.total ? quiet + step : 0;
    last = next;
  }
  return last;
}

/** Requests InfluxDB holds for a run, in total and by the request `name` tag. */
export async function storedRequests(
  t: InfluxTarget,
  testid: string,
): Promise<{ total: number; byName: Record<string, number> }> {
  const rows = await query(
    t,
    `SELECT count("value") AS "count" FROM "http_reqs" WHERE "testid" = ${stringLit(testid)} GROUP BY "name"`,
  );
  const byName: Record<string, number> = {};
  let total = 0;
  for (const row of rows as { name: string; count: number }[]) {
    byName[row.name] = (byName[row.name] ?? 0) + row.count;
    total += row.count;
  }
  return { total, byName };
}
