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

/** Requests InfluxDB holds for a run, in total and by the request `name` tag. */
/**
 * `storedRequests` once the count stops growing: k6 can exit with its last batches still being written, and at
 * top rate (measured: 10k requests/s) an immediate count came out 17% short although every point landed.
 * Reads every `intervalMs` until two reads agree, for at most `maxMs`.
 */
export async function settledStoredRequests(t: InfluxTarget, testid: string, intervalMs = 500, maxMs = 10_000): Promise<{ total: number; byName: Record<string, number> }> {
  let last = await storedRequests(t, testid);
  for (let waited = 0; waited < maxMs; waited += intervalMs) {
    await new Promise((r) => setTimeout(r, intervalMs));
    const next = await storedRequests(t, testid);
    if (next.total === last.total) return next;
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
