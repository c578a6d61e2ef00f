/**
 * The simulator's request pipeline, one named stage a method. Platform routes (/api/...) go through the
 * platform's stages in order: faults, authentication, the session (its node, its turn, or 202 past max
 * waiters), the transaction's checks (route and method, the AWA property, the caller's role, the rate limit,
 * the body), then a worker slot on the session's node (capacity, with the route's quota) before the route
 * decides. The token endpoint and the simulator's own routes (/sim/...) answer directly.
 *
 * Each stage returns its result, or a promise of it only when it has to wait (a spike, a session's turn, a
 * slot), so a request answers in the same tick when nothing waits.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { CATALOGUE, formatMessage } from '../../../shared/messages.js';
import { incoming, WIRE_HEADERS } from '../../../shared/wire.js';
import type { SimUser } from '../config.js';
import { callerSysId, mayCall, ROUTE_ROLES } from '../auth.js';
import type { Admission } from '../platform/capacity.js';
import { simError } from './errors.js';
import { drawFault, faultsOn } from '../faults.js';
import type { RateDecision } from '../platform/rate-limit.js';
import { parseBody, readBody, type RawBody } from './request-body.js';
import { failure, plainError, platformReply, quotaCancelled, render, sessionBusy, type Reply } from '../respond.js';
import type { HookContext, Route } from '../routes/types.js';
import type { Session } from '../platform/sessions.js';
import type { SimState } from './sim-state.js';
import { SIM_MS_HEADER, SIM_TIMING_REQUEST_HEADER } from './timing.js';

const TESTID_HEADER = incoming(WIRE_HEADERS.testid);
const OP_HEADER = incoming(WIRE_HEADERS.op);
const GENERATOR_HEADER = incoming(WIRE_HEADERS.generator);

/** Routes that answer 403 when glide.awa.enabled is off (Offer Work too, unless the setting says otherwise). */
const AWA_ROUTES = new Set(['agents', 'inbox', 'consult']);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type RequestUrl = { pathname: string; searchParams: URLSearchParams };
type Found = { route?: Route; params: string[]; pathKnown: boolean };
/**
 * A request routed: its route's name for /sim/stats, the reply (none when the connection was dropped or
 * stalled) and the new session's cookies, written after the reply's own headers (not merged into a copy of it).
 */
type Routed = { reply?: Reply; route: string; setCookies?: string[] };

/** A request on its way through the platform's stages. */
interface Call {
  readonly req: IncomingMessage;
  readonly url: RequestUrl;
  readonly raw: RawBody;
  readonly found: Found;
  readonly routeName: string;
}

/** Path and query of a request target; cheaper than `new URL` on the hot path. */
function requestUrl(target: string): RequestUrl {
  const q = target.indexOf('?');
  return q < 0
    ? { pathname: target, searchParams: new URLSearchParams() }
    : { pathname: target.slice(0, q), searchParams: new URLSearchParams(target.slice(q + 1)) };
}

/** The first route whose pattern and method match; whether the path is known to any route at all. */
function find(routes: readonly Route[], method: string, path: string): Found {
  let pathKnown = false;
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathKnown = true;
    if (route.method === method) return { route, params: m.slice(1), pathKnown };
  }
  return { params: [], pathKnown };
}

/** The reply with the rate limit's headers, when a rule applied. */
function withRate(r: Reply, rate: RateDecision | undefined): Reply {
  return rate ? { ...r, headers: { ...r.headers, ...rate.headers } } : r;
}

const simulatorError = (e: unknown): Reply => simError('simulator_error', (e as Error).message);

/** The route a request that failed is counted under: the ones named before any work, else unknown. */
const failedRoute = (req: IncomingMessage, url: RequestUrl): string =>
  url.pathname === '/oauth_token.do' && req.method === 'POST'
    ? 'oauth'
    : url.pathname.startsWith('/api/')
      ? 'unknown'
      : 'sim';

export class Pipeline {
  /** stalled requests, destroyed when the simulator closes */
  readonly stalled = new Set<ServerResponse>();

  constructor(private readonly s: SimState) {}

  /** The server's request listener: read the body, route it, answer. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const { config, stats } = this.s;
    const started =
      config.timing.report || req.headers[SIM_TIMING_REQUEST_HEADER] === '1' ? performance.now() : undefined;
    stats.inFlight++;
    const url = requestUrl(req.url ?? '/');
    readBody(
      req,
      config.maxBodyBytes,
      (raw) => {
        let routed: Routed | Promise<Routed>;
        try {
          routed = this.dispatch(req, res, url, raw);
        } catch (e) {
          routed = { route: failedRoute(req, url), reply: simulatorError(e) };
        }
        if (routed instanceof Promise) {
          routed.then(
            (r) => this.answer(req, res, started, r.route, r.reply, r.setCookies),
            (e: unknown) => this.answer(req, res, started, failedRoute(req, url), simulatorError(e)),
          );
        } else this.answer(req, res, started, routed.route, routed.reply, routed.setCookies);
      },
      (e) => this.answer(req, res, started, 'unknown', simulatorError(e)),
    );
  };

  /** Routes a request whose body has been read: the token endpoint, the platform's /api/..., or the simulator's own routes. */
  private dispatch(req: IncomingMessage, res: ServerResponse, url: RequestUrl, raw: RawBody): Routed | Promise<Routed> {
    if (url.pathname === '/oauth_token.do' && req.method === 'POST') {
      return {
        route: 'oauth',
        reply:
          raw === 'too_large'
            ? simError('body_too_large', null)
            : this.s.oauth.token(raw.toString('utf8'), req.headers['content-type']),
      };
    }
    if (url.pathname.startsWith('/api/')) return this.faults(req, res, url, raw);
    return { route: 'sim', reply: this.simRoute(req, url, raw) };
  }

  /** The simulator's own routes: no authentication, no session, no capacity. */
  private simRoute(req: IncomingMessage, url: RequestUrl, raw: RawBody): Reply {
    const method = req.method ?? 'GET';
    const found = find(this.s.admin, method, url.pathname);
    if (!found.route)
      return simError(
        found.pathKnown ? 'sim_method_not_allowed' : 'no_sim_route',
        `no simulator route for ${req.method} ${url.pathname}`,
      );
    const body = raw === 'too_large' ? {} : parseBody(raw, req.headers['content-type']);
    if ('status' in body && 'outcome' in body) return body as Reply;
    return found.route.handle({
      method,
      path: url.pathname,
      query: url.searchParams,
      params: found.params,
      headers: req.headers,
      user: undefined,
      body: body as Record<string, unknown>,
    });
  }

  /** Stage 1 of the platform: a fault drawn for this request (dropped, stalled, delayed or a 500), if faults are on. */
  private faults(req: IncomingMessage, res: ServerResponse, url: RequestUrl, raw: RawBody): Routed | Promise<Routed> {
    const found = find(this.s.api(), req.method ?? 'GET', url.pathname);
    const call: Call = { req, url, raw, found, routeName: found.route?.name ?? 'api' };
    const faults = this.s.faults;
    const fault = faultsOn(faults) ? drawFault(faults, this.s.faultRandom) : undefined;
    if (fault === 'drop') {
      req.socket.destroy();
      return { route: call.routeName };
    }
    if (fault === 'stall') {
      // never answered: held until the client gives up, and at most the route's quota
      this.stalled.add(res);
      const timer = setTimeout(() => req.socket.destroy(), this.s.quotaOf(call.routeName) || 60_000);
      res.on('close', () => {
        clearTimeout(timer);
        this.stalled.delete(res);
      });
      return { route: call.routeName };
    }
    if (fault === 'spike') return sleep(faults.spikeMs).then(() => this.authenticate(call));
    if (fault === 'error')
      return { route: call.routeName, reply: simError('injected_fault', 'injected fault', this.s.config) };
    return this.authenticate(call);
  }

  /** Stage 2: the caller, then its session (the one its cookies name on its node, or a new one) and its turn there. */
  private authenticate(call: Call): Routed | Promise<Routed> {
    const { req, routeName } = call;
    const user = this.s.auth(req.headers.authorization);
    if (!user) return { route: routeName, reply: platformReply(this.s.config, 'unauthorized') };
    const sessions = this.s.sessions();
    const { session, setCookies } = sessions.resolve(req.headers.cookie, user.user_name, Date.now());
    if (setCookies) this.s.stats.noteSession(req.headers[TESTID_HEADER] as string | undefined);
    const turn = sessions.acquire(session);
    if (turn === 'busy') return { route: routeName, reply: sessionBusy(), setCookies };
    if (turn !== 'now') return turn.then(() => this.inSession(call, user, session, setCookies));
    return this.inSession(call, user, session, setCookies);
  }

  /** Stage 3: the transaction on the session's turn; the turn is given back once its answer is ready, or it failed. */
  private inSession(
    call: Call,
    user: SimUser,
    session: Session,
    setCookies: string[] | undefined,
  ): Routed | Promise<Routed> {
    const sessions = this.s.sessions();
    let reply: Reply | Promise<Reply>;
    try {
      reply = this.transaction(call, user, session, setCookies !== undefined);
    } catch (e) {
      sessions.release(session, Date.now());
      throw e;
    }
    if (reply instanceof Promise)
      return reply
        .finally(() => sessions.release(session, Date.now()))
        .then((r) => ({ route: call.routeName, reply: r, setCookies }));
    sessions.release(session, Date.now());
    return { route: call.routeName, reply, setCookies };
  }

  /** The checks before any work, in the platform's order; the refusal, or undefined to go on. */
  private refusal(call: Call, user: SimUser): Reply | undefined {
    const { req, url, found, routeName } = call;
    const config = this.s.config;
    if (!found.route) {
      if (!found.pathKnown) return platformReply(config, 'not_found');
      return {
        ...simError('method_not_allowed', `${req.method ?? 'GET'} is not allowed on ${url.pathname}`),
        headers: {
          Allow: this.s
            .api()
            .filter((r) => r.pattern.test(url.pathname))
            .map((r) => r.method)
            .join(', '),
        },
      };
    }
    if (this.awaOff(routeName))
      return simError('awa_disabled', 'Advanced Work Assignment is not enabled (glide.awa.enabled is not true)');
    if (!mayCall(user, routeName)) {
      // Offer Work names the caller; the Agent API documents `User Not Authenticated` for a missing role (status unconfirmed: 403)
      if (routeName === 'offer')
        return failure(config, 403, 'caller_role', formatMessage('caller_role', { caller: callerSysId(user) }), null);
      return plainError(
        403,
        'unauthorized',
        CATALOGUE.unauthorized.template,
        `the caller lacks the ${ROUTE_ROLES[routeName]!.join(' or ')} role`,
      );
    }
    return undefined;
  }

  private awaOff(route: string): boolean {
    const p = this.s.config.platform;
    return !p.awaEnabled && (AWA_ROUTES.has(route) || (route === 'offer' && p.awaOffCoversOfferWork));
  }

  /** Stage 4: the transaction: its checks, the rate limit, the body, then a worker slot and the route's decision. */
  private transaction(call: Call, user: SimUser, session: Session, newSession: boolean): Reply | Promise<Reply> {
    const refused = this.refusal(call, user);
    if (refused) return refused;
    const { req, url, raw, found } = call;
    const route = found.route!;
    const { config, capacity } = this.s;
    const rate = this.s.limiter.check(user, route.name, session.node, this.s.clock.now());
    if (rate && !rate.allowed) return withRate(simError('rate_limited', rate.detail ?? null), rate);
    if (raw === 'too_large')
      return simError('body_too_large', `request bodies are limited to ${config.maxBodyBytes} bytes`);
    const body = parseBody(raw, req.headers['content-type']);
    if ('status' in body && 'outcome' in body) return body as Reply;
    const hooks = route.hooks;
    const seen: HookContext | undefined = hooks && {
      testid: req.headers[TESTID_HEADER] as string | undefined,
      generator: req.headers[GENERATOR_HEADER] as string | undefined,
      params: found.params,
      body: body as Record<string, unknown>,
      engine: this.s.engine(),
      stats: this.s.stats,
      footprints: this.s.footprints,
    };
    hooks?.arrived?.(seen!);
    const admitted = capacity.admit(
      () => {
        this.s.engine().tick();
        hooks?.deciding?.(seen!);
        const reply = route.handle({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          params: found.params,
          headers: req.headers,
          user,
          body: body as Record<string, unknown>,
        });
        hooks?.decided?.(seen!, reply);
        return reply;
      },
      {
        node: session.node,
        factor: route.name === config.capacity.slowRoute ? config.capacity.slowFactor : 1,
        extraMs: newSession && !config.capacity.fast ? config.sessions.createMs : 0,
        quotaMs: this.s.quotaOf(route.name),
      },
    );
    return admitted instanceof Promise ? admitted.then((a) => this.admitted(a, rate)) : this.admitted(admitted, rate);
  }

  /** Stage 5: what the capacity's admission makes of the transaction's reply. */
  private admitted(admitted: { admission: Admission; value?: Reply }, rate: RateDecision | undefined): Reply {
    const a = admitted.admission;
    if (a.kind === 'queue_full')
      return withRate(simError('semaphore_full', `the API_INT semaphore queue of node ${a.node} is full`), rate);
    if (a.kind === 'cancelled_queued') return quotaCancelled('queued');
    if (a.kind === 'cancelled_running') return withRate(quotaCancelled('running'), rate);
    return withRate(admitted.value!, rate);
  }

  /** Counts the request and writes its reply (nothing for a dropped or stalled one, counted as the client will see it). */
  private answer(
    req: IncomingMessage,
    res: ServerResponse,
    started: number | undefined,
    route: string,
    reply: Reply | undefined,
    setCookies?: string[],
  ): void {
    const stats = this.s.stats;
    const testid = req.headers[TESTID_HEADER] as string | undefined;
    stats.count(
      testid,
      route,
      reply?.outcome ?? (res.destroyed || req.socket.destroyed ? 'network_error' : 'timeout'),
      req.headers[OP_HEADER] as string | undefined,
    );
    stats.inFlight--;
    if (!reply) return;
    const { contentType, text } = render(reply, req.headers.accept);
    // the simulator's own time, up to the answer rendered: what a benchmark subtracts from its client's latency
    const simMs = started === undefined ? undefined : performance.now() - started;
    if (simMs !== undefined) stats.timings.record(testid, simMs);
    const headers: OutgoingHttpHeaders = { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) };
    if (reply.headers) Object.assign(headers, reply.headers);
    if (setCookies) headers['Set-Cookie'] = setCookies;
    if (simMs !== undefined) headers[SIM_MS_HEADER] = simMs.toFixed(3);
    // the Date header on the instance's own clock (Node's is real time: the same unless the clock is offset)
    if (this.s.config.platform.clockOffsetMs !== 0) headers.Date = new Date(this.s.clock.now()).toUTCString();
    res.writeHead(reply.status, headers);
    res.end(text);
  }
}
