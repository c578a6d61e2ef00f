/**
 * How far a run has got, for tests that act mid-run (a kill, a signal, an outage): they wait on the run's own
 * progress, never on a fixed sleep, so a slow machine changes how long they wait, not what they test.
 */
import { call } from './sim-client.js';

/** Polls the async `check` until it holds; throws naming `what` after `ms`. */
export async function waitUntil(what: string, check: () => Promise<boolean>, ms: number, everyMs = 200): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, everyMs))) {
    if (await check().catch(() => false)) return;
  }
  throw new Error(`timed out after ${ms} ms waiting until ${what}`);
}

/** Requests a simulator started on its own has received for the run (its /sim/stats). */
export async function receivedBy(simUrl: string, testid: string): Promise<number> {
  return Number((await call(simUrl, `/sim/stats?testid=${testid}`, { method: 'GET' })).json?.received?.total ?? 0);
}

/** Requests of the run that InfluxDB holds (k6's http_reqs points). */
export async function storedIn(influxUrl: string, testid: string, database = 'offerload'): Promise<number> {
  const q = `SELECT count("value") FROM "http_reqs" WHERE "testid" = '${testid}'`;
  const res = await fetch(`${influxUrl}/query?db=${database}&q=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { results?: { series?: { values: [string, number][] }[] }[] };
  return body.results?.[0]?.series?.[0]?.values[0]?.[1] ?? 0;
}

/** Whether nothing listens at `url` any more. */
export async function refused(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(1000) }).then(
    () => false,
    () => true,
  );
}
