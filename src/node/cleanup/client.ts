/**
 * Cleanup's requests to the target: one at a time, at most `ratePerSec` a second (the target's max_rate
 * guardrail), each named as cleanup's own so the simulator counts it under the run's testid. A target that
 * cannot be reached, or refuses the credentials, is an environment problem (exit 3).
 */
import { ownTestid, WIRE_HEADERS } from '../../shared/wire.js';
import { targetAuth } from '../credentials.js';
import { EnvironmentError } from '../errors.js';
import { jsonOf } from '../io.js';

export interface Answer {
  readonly status: number;
  readonly json: any;
}

export interface TargetClient {
  request(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<Answer>;
  /** Every Table API row matching `query`, page by page, plain strings (reference links excluded). */
  rows(table: string, query: string, fields: string): Promise<Record<string, string>[]>;
  /** requests sent so far */
  readonly sent: number;
}

const PAGE = 1000;

export function targetClient(
  base: string,
  creds: Readonly<Record<string, string>>,
  testid: string,
  ratePerSec: number,
): TargetClient {
  // its own testid, so a run's accounting never counts cleanup's requests
  const own = ownTestid(testid, 'cleanup');
  const headers = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
    [WIRE_HEADERS.testid]: own,
    [WIRE_HEADERS.op]: 'cleanup',
  };
  const auth = targetAuth(creds, base, own);
  const gapMs = 1000 / ratePerSec;
  let next = 0;
  let sent = 0;
  const request = async (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<Answer> => {
    const wait = next - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    next = Math.max(Date.now(), next) + gapMs;
    sent++;
    const res = await fetch(base + path, {
      method,
      headers: { ...headers, ...(await auth.headers()) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    }).catch((e: Error) => {
      throw new EnvironmentError(`target ${base} is not reachable: ${e.message}`);
    });
    if (res.status === 401) throw new EnvironmentError(`target ${base} refused the credentials (401): ${auth.hint}`);
    const json = (await jsonOf(res)) as Answer['json'];
    return { status: res.status, json };
  };
  const rows = async (table: string, query: string, fields: string): Promise<Record<string, string>[]> => {
    const out: Record<string, string>[] = [];
    for (;;) {
      const params = new URLSearchParams({
        sysparm_query: query,
        sysparm_fields: fields,
        sysparm_exclude_reference_link: 'true',
        sysparm_limit: String(PAGE),
        sysparm_offset: String(out.length),
      });
      const a = await request('GET', `/api/now/table/${table}?${params.toString()}`);
      if (a.status !== 200 || !Array.isArray(a.json?.result))
        throw new EnvironmentError(
          `Table API ${table} answered ${a.status} at ${base}: the caller needs read access to ${table}`,
        );
      const page = a.json.result as Record<string, unknown>[];
      out.push(
        ...page.map((r) =>
          Object.fromEntries(
            Object.entries(r).map(([k, v]) => [
              k,
              typeof v === 'object' && v !== null ? String((v as { value?: unknown }).value ?? '') : String(v ?? ''),
            ]),
          ),
        ),
      );
      if (page.length < PAGE) return out;
    }
  };
  return {
    request,
    rows,
    get sent() {
      return sent;
    },
  };
}
