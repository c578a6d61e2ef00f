/** Reads offerload's runs back from InfluxDB 1.x through the `influx` package (v1 HTTP API, InfluxQL). */
import { InfluxDB, escape } from 'influx';

export interface InfluxTarget {
  /** base URL, e.g. http://127.0.0.1:8086 */
  readonly url: string;
  readonly database: string;
}

export const DEFAULT_DATABASE = 'offerload';

export function client(t: InfluxTarget): InfluxDB {
  const u = new URL(t.url);
  return new InfluxDB({ host: u.hostname, port: Number(u.port || 8086), protocol: u.protocol === 'https:' ? 'https' : 'http', database: t.database });
}

/** Creates the database when missing (k6 would too, but queries before a run need it). */
export async function ensureDatabase(t: InfluxTarget): Promise<void> {
  const db = client(t);
  const names = await db.getDatabaseNames();
  if (!names.includes(t.database)) await db.createDatabase(t.database);
}

/** What InfluxDB already holds of a testid: its requests and when they started, or undefined when none. */
export async function existingRun(t: InfluxTarget, testid: string): Promise<{ requests: number; startedAt: Date } | undefined> {
  const where = `FROM "http_reqs" WHERE "testid" = ${escape.stringLit(testid)}`;
  const counted = (await client(t).query(`SELECT count("value") AS "n" ${where}`)) as unknown as { n: number }[];
  if (!counted[0]?.n) return undefined;
  // a selector alone, so its row carries the first point's time
  const first = (await client(t).query(`SELECT first("value") ${where}`)) as unknown as { time: Date }[];
  return { requests: counted[0].n, startedAt: first[0]!.time };
}

/** Deletes every point of a testid, in every measurement and retention policy (InfluxDB 1.x DELETE). */
export async function deleteRun(t: InfluxTarget, testid: string): Promise<void> {
  await client(t).query(`DELETE FROM /.*/ WHERE "testid" = ${escape.stringLit(testid)}`);
}

/** Requests InfluxDB holds for a run, in total and by the request `name` tag. */
/**
 * `storedRequests` once the count has stopped growing for `quietMs`: a guard for the end of a run, when k6 may
 * exit while InfluxDB is still ingesting its last batch (at top rate one batch took over a second to write).
 */
export async function settledStoredRequests(t: InfluxTarget, testid: string, quietMs = 1_000, maxMs = 15_000): Promise<{ total: number; byName: Record<string, number> }> {
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

export async function storedRequests(t: InfluxTarget, testid: string): Promise<{ total: number; byName: Record<string, number> }> {
  const rows = await client(t).query<{ name: string; count: number }>(
    `SELECT count("value") AS "count" FROM "http_reqs" WHERE "testid" = ${escape.stringLit(testid)} GROUP BY "name"`,
  );
  const byName: Record<string, number> = {};
  let total = 0;
  for (const row of rows as unknown as { name: string; count: number }[]) {
    byName[row.name] = (byName[row.name] ?? 0) + row.count;
    total += row.count;
  }
  return { total, byName };
}
