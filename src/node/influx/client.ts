/**
 * The Node side's InfluxQL client: the v1 HTTP API (/ping, /health, /query) over node:http(s), which InfluxDB
 * 1.x, 2.x and 3.x all serve. Writes go through the official client instead (writer.ts). It keeps the base URL's
 * path prefix, sends the target's credentials in an Authorization header (never in the URL), verifies TLS
 * against the system's CAs plus the target's CA file unless told not to, POSTs statements that change data or
 * are long, and names the statement a server refused. Every request has a timeout: nothing here waits forever.
 *
 * Why InfluxQL is not through a package: the official client (@influxdata/influxdb-client) queries only in Flux
 * (/api/v2/query), which 3.x does not serve and which offerload's queries, dashboards and analysis are not
 * written in; the `influx` package (5.12.0) is built around 1.x administration (getDatabaseNames is SHOW
 * DATABASES, which 3.x lacks; its ping ignores the path prefix) and throws on the first refused statement
 * without naming it. The v1 query API is one route.
 */
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { EnvironmentError } from '../errors.js';
import { INFLUX_ENV, type InfluxTarget } from './connection.js';
export type { Point } from './line-protocol.js';
export { stringLit, ident } from './line-protocol.js';

/** A refused or failed InfluxDB request; `statement` is the InfluxQL the server refused, when it was one. */
export class InfluxError extends EnvironmentError {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly statement?: string,
  ) {
    super(message);
  }
}

export interface InfluxResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** Above this many characters of query string, statements go in a POST body (proxies cap URLs near 8 KiB). */
const LONG_QUERY = 2_000;

const agents = new Map<string, https.Agent>();
function httpsAgent(t: InfluxTarget): https.Agent {
  const key = `${t.caFile ?? ''}|${t.insecureSkipTlsVerify ? 'insecure' : 'verify'}`;
  let agent = agents.get(key);
  if (!agent) {
    // a CA file adds to the system's roots; node's `ca` option would otherwise replace them
    const ca = t.caFile ? [...rootCertificates, readFileSync(t.caFile, 'utf8')] : undefined;
    agent = new https.Agent({ keepAlive: true, ca, rejectUnauthorized: !t.insecureSkipTlsVerify });
    agents.set(key, agent);
  }
  return agent;
}
const httpAgent = new http.Agent({ keepAlive: true });

function authHeader(t: InfluxTarget): Record<string, string> {
  const a = t.auth?.reveal();
  if (!a) return {};
  return a.kind === 'token'
    ? { Authorization: `Token ${a.token}` }
    : { Authorization: `Basic ${Buffer.from(`${a.username}:${a.password}`).toString('base64')}` };
}

/** One request to `<base URL><path>`; resolves with any status, rejects only when there is no answer. */
export function influxRequest(
  t: InfluxTarget,
  method: 'GET' | 'POST',
  path: string,
  params: Readonly<Record<string, string>>,
  body?: { type: string; text: string },
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<InfluxResponse> {
  const base = new URL(t.url);
  const search = new URLSearchParams(params).toString();
  const secure = base.protocol === 'https:';
  const headers: Record<string, string> = { ...authHeader(t), Accept: 'application/json' };
  if (body)
    Object.assign(headers, { 'Content-Type': body.type, 'Content-Length': String(Buffer.byteLength(body.text)) });
  const options: https.RequestOptions = {
    method,
    hostname: base.hostname.replace(/^\[|\]$/g, ''),
    port: base.port || (secure ? 443 : 80),
    path: `${base.pathname.replace(/\/+$/, '')}${path}${search ? `?${search}` : ''}`,
    headers,
    agent: secure ? httpsAgent(t) : httpAgent,
  };
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', (e) => reject(new InfluxError(`InfluxDB at ${t.url}: ${e.message}`, undefined)));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', (e: NodeJS.ErrnoException) => reject(unreachable(t, e)));
    req.end(body?.text);
  });
}

/** No answer from the server (`purpose`, e.g. " to write 3 point(s) to m"), with what to do about an untrusted certificate. */
export function unreachable(t: InfluxTarget, e: NodeJS.ErrnoException, purpose = ''): InfluxError {
  const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(e.code ?? '')
    ? `; point influx.ca_file or ${INFLUX_ENV.caFile} at the CA that signed its certificate (or pass --insecure-skip-tls-verify)`
    : '';
  return new InfluxError(`InfluxDB at ${t.url} could not be reached${purpose}: ${e.message}${tls}`, undefined);
}

/** The server's own error text from a JSON body ({"error": "..."}), else the body itself, short. */
function errorText(r: Pick<InfluxResponse, 'status' | 'body'>): string {
  try {
    const parsed = JSON.parse(r.body) as { error?: string; message?: string };
    if (parsed.error ?? parsed.message) return (parsed.error ?? parsed.message)!;
  } catch {
    // not JSON
  }
  return r.body.trim().slice(0, 200) || `HTTP ${r.status}`;
}

/** The server refused `what`: its own reason, and which credentials to check on a 401 or 403. */
export function refused(
  t: InfluxTarget,
  r: Pick<InfluxResponse, 'status' | 'body'>,
  what: string,
  statement?: string,
): InfluxError {
  const auth =
    r.status === 401 || r.status === 403
      ? ` (check the InfluxDB credentials: influx.username_env/password_env or token_env in the config, or ${INFLUX_ENV.username}/${INFLUX_ENV.password} or ${INFLUX_ENV.token})`
      : '';
  return new InfluxError(`InfluxDB at ${t.url} refused ${what}: ${errorText(r)}${auth}`, r.status, statement);
}

/** The version a JSON body names ({"version": "v2.7.11"}), or undefined. */
function bodyVersion(body: string): string | undefined {
  try {
    const v = (JSON.parse(body) as { version?: unknown }).version;
    return typeof v === 'string' && v !== '' ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * GET /ping: its status and the server's version, from the X-Influxdb-Version header (1.x, 2.x, 3.x) or, where a
 * proxy strips headers, the JSON body 3.x sends; `versionFrom` says which answered.
 */
export async function ping(
  t: InfluxTarget,
  timeoutMs = 3_000,
): Promise<{
  ok: boolean;
  status: number;
  version: string | undefined;
  build: string | undefined;
  versionFrom: 'header' | 'body' | undefined;
}> {
  const r = await influxRequest(t, 'GET', '/ping', {}, undefined, timeoutMs);
  const header = (name: string): string | undefined => {
    const v = r.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const fromHeader = header('x-influxdb-version');
  const fromBody = fromHeader ? undefined : bodyVersion(r.body);
  return {
    ok: r.status === 204 || r.status === 200,
    status: r.status,
    version: fromHeader ?? fromBody,
    build: header('x-influxdb-build'),
    versionFrom: fromHeader ? 'header' : fromBody ? 'body' : undefined,
  };
}

/** GET /health's version (1.8: "1.8.10", 2.x: "v2.7.11"), or undefined when it names none or does not answer 200. */
export async function healthVersion(t: InfluxTarget, timeoutMs = 3_000): Promise<string | undefined> {
  const r = await influxRequest(t, 'GET', '/health', {}, undefined, timeoutMs).catch(() => undefined);
  return r?.status === 200 ? bodyVersion(r.body) : undefined;
}

export type Row = Record<string, unknown> & { time?: Date };

interface RawSeries {
  name?: string;
  tags?: Record<string, string>;
  columns: string[];
  values?: unknown[][];
}

/** Series flattened to rows: one object per value row, tags merged in, `time` as a Date. */
function flatten(series: readonly RawSeries[] | undefined): Row[] {
  const out: Row[] = [];
  for (const s of series ?? []) {
    for (const values of s.values ?? []) {
      const row: Row = { ...(s.tags ?? {}) };
      for (const [i, c] of s.columns.entries())
        row[c] = c === 'time' && typeof values[i] === 'number' ? new Date(values[i] as number) : values[i];
      out.push(row);
    }
  }
  return out;
}

const READ_ONLY = /^\s*(SELECT|SHOW)\b/i;

/**
 * Runs InfluxQL statements (one request) in the target's database; returns each statement's rows. A statement
 * the server refuses throws an InfluxError naming it. Reads go as GET unless long; anything else as POST.
 */
export async function queryAll(
  t: InfluxTarget,
  statements: readonly string[],
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<Row[][]> {
  // one statement per line, so a parse error's line number names its statement
  const q = statements.map((x) => x.replace(/\s*\n\s*/g, ' ')).join(';\n');
  const params = { db: t.database, epoch: 'ms' };
  const post = !statements.every((s) => READ_ONLY.test(s) && !/\bINTO\b/i.test(s)) || q.length > LONG_QUERY;
  const r = post
    ? await influxRequest(
        t,
        'POST',
        '/query',
        params,
        { type: 'application/x-www-form-urlencoded', text: new URLSearchParams({ q }).toString() },
        timeoutMs,
      )
    : await influxRequest(t, 'GET', '/query', { ...params, q }, undefined, timeoutMs);
  let parsed:
    | { results?: { statement_id?: number; series?: RawSeries[]; error?: string }[]; error?: string }
    | undefined;
  try {
    parsed = JSON.parse(r.body);
  } catch {
    parsed = undefined;
  }
  if (r.status !== 200 || !parsed?.results) {
    // a parse error refuses the whole request and names a line: one statement per line, so it names the statement
    const line = Number(/at line (\d+)/.exec(errorText(r))?.[1] ?? 1);
    const statement = statements.length === 1 || line > statements.length ? statements[0]! : statements[line - 1]!;
    throw refused(t, r, `"${statement}"`, statement);
  }
  return statements.map((statement, i) => {
    const result = parsed!.results!.find((x) => (x.statement_id ?? 0) === i);
    if (result?.error)
      throw new InfluxError(`InfluxDB at ${t.url} refused "${statement}": ${result.error}`, r.status, statement);
    return flatten(result?.series);
  });
}

/** One statement's rows. */
export async function query(t: InfluxTarget, statement: string, timeoutMs?: number): Promise<Row[]> {
  return (await queryAll(t, [statement], timeoutMs))[0]!;
}
