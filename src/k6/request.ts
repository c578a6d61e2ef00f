/**
 * Every request a scenario sends goes through here: named by its operation (never by URL), classified into
 * one outcome, recorded in offerload's metrics. Returns the outcome and the parsed JSON body.
 */
import http from 'k6/http';
import { TOKEN_OP } from '../shared/auth.js';
import { compactOutcome } from '../shared/compact-answers.js';
import { classifyResponse, type Outcome } from '../shared/outcome.js';
import { shapeOf, type ShapeCheck } from '../shared/success-shapes.js';
import { WIRE_HEADERS } from '../shared/wire.js';
import { GENERATOR, GENERATOR_TAG, type RunConfig } from './config.js';
import { rateLimitCounted, rateLimitLimit, record, sessionsCreated } from './metrics.js';

export type Method = 'GET' | 'POST' | 'PUT';

export interface Answer {
  readonly outcome: Outcome;
  readonly status: number;
  /** the parsed JSON body, or undefined (parsed on first read when the body was recognised without parsing) */
  readonly json: any;
  /** the work item a documented Offer Work success names */
  readonly workItem: string | undefined;
  readonly durationMs: number;
}

/** Request headers shared by every request of a run. */
export function baseHeaders(cfg: RunConfig): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
    // Lets the simulator count what it received per run; harmless to a real instance.
    [WIRE_HEADERS.testid]: cfg.testid,
  };
  const authorization = cfg.auth.header();
  if (authorization) headers.Authorization = authorization;
  // which load generator sent it, when a run is split across several (execution segments)
  if (GENERATOR) headers[WIRE_HEADERS.generator] = GENERATOR;
  return headers;
}

/**
 * OAuth client credentials: each VU fetches its own access token and renews it before it expires, by the
 * shared rule (src/shared/auth.ts), so a soak of hours never sends an expired token.
 */
function ensureToken(cfg: RunConfig, headers: Record<string, string>): void {
  const now = Date.now();
  if (!cfg.auth.tokenDue(now)) return;
  const req = cfg.auth.tokenRequest(now, { [WIRE_HEADERS.testid]: cfg.testid })!;
  const res = http.post(req.url, req.body, {
    headers: { ...req.headers },
    timeout: cfg.requestTimeout,
    tags: { name: TOKEN_OP, op: TOKEN_OP },
  }) as http.RefinedResponse<'text'>;
  const a = answer(TOKEN_OP, res);
  if (a.outcome === 'success' && cfg.auth.acceptToken(a.status, a.json, Date.now()))
    headers.Authorization = cfg.auth.header()!;
}

/**
 * A 409 is the target answering as documented (a conflict), not a failed request: set once for the VU rather
 * than passed with every request, which k6 would parse again each time.
 */
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 299 }, 409));

interface CachedParams {
  readonly base: Record<string, string>;
  readonly authorization: string | undefined;
  readonly params: http.Params;
}

/** Params per operation, built once per VU and rebuilt only when the headers change (a renewed token). */
const paramsByOp = new Map<string, CachedParams>();

/** The k6 request params for an operation. */
export function params(cfg: RunConfig, headers: Record<string, string>, op: string): http.Params {
  ensureToken(cfg, headers);
  const cached = paramsByOp.get(op);
  if (cached && cached.base === headers && cached.authorization === headers.Authorization) {
    // per-request sessions: an empty cookie jar for every request, so the target creates a session each time
    if (cfg.sessions === 'per-request') cached.params.jar = new http.CookieJar();
    return cached.params;
  }
  // the operation also travels as a header, so the simulator can count what it received per operation
  const built: http.Params = {
    headers: { ...headers, [WIRE_HEADERS.op]: op },
    timeout: cfg.requestTimeout,
    tags: { name: op, op, ...GENERATOR_TAG },
  };
  if (cfg.sessions === 'per-request') built.jar = new http.CookieJar();
  paramsByOp.set(op, { base: headers, authorization: headers.Authorization, params: built });
  return built;
}

/** Each operation's success shape, looked up once per VU. */
const shapes = new Map<string, ShapeCheck>();

/** An answer decided from its text (compact-answers.ts): its body is parsed only if a caller reads it. */
function unparsed(
  res: http.RefinedResponse<'text'>,
  body: string,
  outcome: Outcome,
  workItem: string | undefined,
): Answer {
  let document: any;
  return {
    outcome,
    status: res.status,
    get json() {
      return (document ??= JSON.parse(body));
    },
    workItem,
    durationMs: res.timings.duration,
  };
}

/** Classifies a k6 response under `op`: a success only with its route's documented success shape. */
function classified(op: string, res: http.RefinedResponse<'text'>): Answer {
  let shape = shapes.get(op);
  if (!shape) shapes.set(op, (shape = shapeOf(op)));
  const body = typeof res.body === 'string' ? res.body : null;
  const contentType = res.headers['Content-Type'];
  if (body !== null && (contentType === undefined || contentType.toLowerCase().indexOf('xml') < 0)) {
    const compact = compactOutcome(res.status, body, shape);
    if (compact !== undefined) return unparsed(res, body, compact.outcome, compact.workItem);
  }
  const { outcome, document } = classifyResponse(
    { status: res.status, body, contentType: contentType ?? null, errorCode: res.error_code },
    shape,
  );
  const workItem = outcome === 'success' ? document?.result?.work_item?.sys_id : undefined;
  return {
    outcome,
    status: res.status,
    json: document,
    workItem: typeof workItem === 'string' ? workItem : undefined,
    durationMs: res.timings.duration,
  };
}

/** Classifies and records a k6 response under `op`. */
export function answer(op: string, res: http.RefinedResponse<'text'>): Answer {
  const a = classified(op, res);
  record(op, a.outcome, a.durationMs);
  // what the run costs the instance: sessions it created, and the rate-limit rule's budget
  const setCookie = res.headers['Set-Cookie'];
  if (setCookie !== undefined && setCookie.indexOf('JSESSIONID=') >= 0) sessionsCreated.add(1, GENERATOR_TAG);
  const limit = res.headers['X-Ratelimit-Limit'];
  if (limit !== undefined) {
    rateLimitLimit.add(Number(limit), GENERATOR_TAG);
    rateLimitCounted.add(1, GENERATOR_TAG);
  }
  return a;
}

/** Sends one request of operation `op` to the target and records it. */
export function send(
  cfg: RunConfig,
  headers: Record<string, string>,
  op: string,
  method: Method,
  path: string,
  body?: unknown,
): Answer {
  const payload = body === undefined ? null : JSON.stringify(body);
  const res = http.request(
    method,
    cfg.target + path,
    payload,
    params(cfg, headers, op),
  ) as http.RefinedResponse<'text'>;
  return answer(op, res);
}
