/**
 * The simulator's HTTP server. Platform routes (/api/...) go through the platform's pipeline: faults,
 * authentication, the session (its node, its turn, or 202 past max waiters), route and method, the AWA
 * property, caller role, rate limit, then a worker slot on the session's node (capacity, with the route's
 * quota) before the decision. The simulator's own routes (/sim/...) answer directly. Loopback only.
 */
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CATALOGUE, formatMessage } from '../../shared/messages.js';
import { isLoopbackHost } from '../net.js';
import { authenticate, callerSysId, mayCall, ROUTE_ROLES } from './auth.js';
import { Capacity, type Admission } from './capacity.js';
import { systemClock, type Clock } from './clock.js';
import { DEFAULT_SIM_CONFIG, type FaultSettings, type QuotaRoute, type SimConfig } from './config.js';
import { Engine } from './engine.js';
import { drawFault, faultsOn } from './faults.js';
import { seededRandom } from './random.js';
import { RateLimiter } from './rate-limit.js';
import { OAuth } from './oauth.js';
import type { RateDecision } from './rate-limit.js';
import { startReporter } from './reporter.js';
import { parseBody, readBody, type RawBody } from './request-body.js';
import { failure, plainError, platformReply, quotaCancelled, render, sessionBusy, type Reply } from './respond.js';
import { adminRoutes } from './routes/admin.js';
import { apiRoutes } from './routes/api.js';
import type { Route } from './routes/types.js';
import { Sessions, type Session } from './sessions.js';
import { Stats } from './stats.js';
import { SIM_MS_HEADER, SIM_TIMING_REQUEST_HEADER } from './timing.js';
import { Footprints } from './footprint.js';
import { incoming, WIRE_HEADERS } from '../../shared/wire.js';

const TESTID_HEADER = incoming(WIRE_HEADERS.testid);
const OP_HEADER = incoming(WIRE_HEADERS.op);
const GENERATOR_HEADER = incoming(WIRE_HEADERS.generator);

export interface Simulator {
  readonly url: string;
  readonly config: SimConfig;
  /** the current engine (replaced by a reset) */
  readonly engine: Engine;
  readonly stats: Stats;
  /** what each run left open (interactions, work items, presence) */
  readonly footprints: Footprints;
  readonly capacity: Capacity;
  /** the current sessions (replaced by a reset) */
  readonly sessions: Sessions;
  faults: FaultSettings;
  close(): Promise<void>;
}

/** Routes that answer 403 when glide.awa.enabled is off (Offer Work too, unless the setting says otherwise). */
const AWA_ROUTES = new Set(['agents', 'inbox', 'consult']);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Path and query of a request target; cheaper than `new URL` on the hot path. */
function requestUrl(target: string): RequestUrl {
  const q = target.indexOf('?');
  return q < 0
    ? { pathname: target, searchParams: new URLSearchParams() }
    : { pathname: target.slice(0, q), searchParams: new URLSearchParams(target.slice(q + 1)) };
}

type RequestUrl = { pathname: string; searchParams: URLSearchParams };
type Found = { route?: Route; params: string[]; pathKnown: boolean };
/**
 * A request routed: its route's name for /sim/stats, the reply (none when the connection was dropped or
 * stalled) and the new session's cookies, written after the reply's own headers (not merged into a copy of it).
 */
type Routed = { reply?: Reply; route: string; setCookies?: string[] };

/** The reply with the rate limit's headers, when a rule applied. */
function withRate(r: Reply, rate: RateDecision | undefined): Reply {
  return rate ? { ...r, headers: { ...r.headers, ...rate.headers } } : r;
}

const simulatorError = (e: unknown): Reply => plainError(500, 'server_error', 'Simulator error', (e as Error).message);

/** Starts the simulator; resolves once it listens. */
export async function startSimulator(
  config: SimConfig = DEFAULT_SIM_CONFIG,
  clock: Clock = systemClock,
  opts: { listenAnywhere?: boolean } = {},
): Promise<Simulator> {
  if (!isLoopbackHost(config.host) && !opts.listenAnywhere)
    throw new Error(`invalid --host: expected a loopback address (127.0.0.0/8 or ::1), got "${config.host}"`);
  let engine = new Engine(config, clock);
  let api = apiRoutes(engine);
  const stats = new Stats();
  const footprints = new Footprints();
  const faultRandom = seededRandom(config.seed ^ 0xfa17);
  const capacity = new Capacity(config.capacity, seededRandom(config.seed ^ 0xc4c4));
  const limiter = new RateLimiter(config.rateLimit, config.capacity.nodes);
  const nodes = Math.max(1, config.capacity.nodes);
  const newSessions = (): Sessions => new Sessions(config.sessions, nodes, seededRandom(config.seed ^ 0x5e55));
  let sessions = newSessions();
  const state = {
    engine: () => engine,
    sessions: () => sessions,
    stats,
    footprints,
    capacity,
    faults: config.faults,
    reset: () => {
      engine = new Engine(config, clock);
      api = apiRoutes(engine);
      sessions = newSessions();
      stats.reset();
      footprints.reset();
    },
  };
  const awaOff = (route: string): boolean =>
    !config.platform.awaEnabled &&
    (AWA_ROUTES.has(route) || (route === 'offer' && config.platform.awaOffCoversOfferWork));
  const quotaOf = (route: string): number => config.quotaMs[route as QuotaRoute] ?? 60_000;
  const admin = adminRoutes(state);
  const stalled = new Set<ServerResponse>();
  // A load test sends the same Authorization header thousands of times: remember the answer for it.
  const authCache = new Map<string, ReturnType<typeof authenticate>>();
  const oauth = new OAuth(config.users, config.oauth.tokenTtlSec, clock);
  const auth = (header: string | undefined) => {
    if (header === undefined) return undefined;
    // OAuth access tokens expire: never cached (the first letter spares lower-casing every Basic header)
    const b = header.charCodeAt(0);
    if ((b === 0x62 || b === 0x42) && header.slice(0, 7).toLowerCase() === 'bearer ') {
      const fromOAuth = oauth.userFor(header.slice(7));
      if (fromOAuth) return fromOAuth;
    }
    if (authCache.has(header)) return authCache.get(header);
    const user = authenticate(config.users, header);
    if (authCache.size >= 64) authCache.clear();
    authCache.set(header, user);
    return user;
  };

  const find = (routes: readonly Route[], method: string, path: string): Found => {
    let pathKnown = false;
    for (const route of routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathKnown = true;
      if (route.method === method) return { route, params: m.slice(1), pathKnown };
    }
    return { params: [], pathKnown };
  };

  // The pipeline below answers in the same tick when nothing waits (fast mode, a free session slot): each
  // stage returns its result, or a promise of it only when it has to wait (a spike, a session's turn, a slot).

  /** The platform pipeline for /api/...: faults first, then authentication and the session. */
  const platform = (
    req: IncomingMessage,
    res: ServerResponse,
    url: RequestUrl,
    raw: RawBody,
  ): Routed | Promise<Routed> => {
    const method = req.method ?? 'GET';
    const found = find(api, method, url.pathname);
    const routeName = found.route?.name ?? 'api';
    const fault = faultsOn(state.faults) ? drawFault(state.faults, faultRandom) : undefined;
    if (fault === 'drop') {
      req.socket.destroy();
      return { route: routeName };
    }
    if (fault === 'stall') {
      // never answered: held until the client gives up, and at most the route's quota
      stalled.add(res);
      const timer = setTimeout(() => req.socket.destroy(), quotaOf(routeName) || 60_000);
      res.on('close', () => {
        clearTimeout(timer);
        stalled.delete(res);
      });
      return { route: routeName };
    }
    if (fault === 'spike')
      return sleep(state.faults.spikeMs).then(() => authenticated(req, url, raw, found, routeName));
    if (fault === 'error')
      return {
        route: routeName,
        reply: failure(config, 500, 'server_error', 'Internal Server Error', 'injected fault'),
      };
    return authenticated(req, url, raw, found, routeName);
  };

  /** Every authenticated request runs in a session: the one its cookies name on its node, or a new one. */
  const authenticated = (
    req: IncomingMessage,
    url: RequestUrl,
    raw: RawBody,
    found: Found,
    routeName: string,
  ): Routed | Promise<Routed> => {
    const user = auth(req.headers.authorization);
    if (!user) return { route: routeName, reply: platformReply(config, 'unauthorized') };
    const testid = req.headers[TESTID_HEADER] as string | undefined;
    const { session, setCookies } = sessions.resolve(req.headers.cookie, user.user_name, Date.now());
    if (setCookies) stats.noteSession(testid);
    const turn = sessions.acquire(session);
    if (turn === 'busy') return { route: routeName, reply: sessionBusy(), setCookies };
    if (turn !== 'now') return turn.then(() => inSession(req, url, raw, found, routeName, user, session, setCookies));
    return inSession(req, url, raw, found, routeName, user, session, setCookies);
  };

  /** The transaction on the session's turn; the turn is given back once its answer is ready, or it failed. */
  const inSession = (
    req: IncomingMessage,
    url: RequestUrl,
    raw: RawBody,
    found: Found,
    routeName: string,
    user: NonNullable<ReturnType<typeof auth>>,
    session: Session,
    setCookies: string[] | undefined,
  ): Routed | Promise<Routed> => {
    let reply: Reply | Promise<Reply>;
    try {
      reply = transaction(req, url, raw, found, routeName, user, session, setCookies !== undefined);
    } catch (e) {
      sessions.release(session, Date.now());
      throw e;
    }
    if (reply instanceof Promise)
      return reply
        .finally(() => sessions.release(session, Date.now()))
        .then((r) => ({ route: routeName, reply: r, setCookies }));
    sessions.release(session, Date.now());
    return { route: routeName, reply, setCookies };
  };

  /** One transaction in its session: route, AWA property, role, rate limit, then a slot on the session's node. */
  const transaction = (
    req: IncomingMessage,
    url: RequestUrl,
    raw: RawBody,
    found: Found,
    routeName: string,
    user: NonNullable<ReturnType<typeof auth>>,
    session: Session,
    newSession: boolean,
  ): Reply | Promise<Reply> => {
    const method = req.method ?? 'GET';
    if (!found.route) {
      if (!found.pathKnown) return platformReply(config, 'not_found');
      return {
        ...plainError(405, 'bad_request', 'Method not Supported', `${method} is not allowed on ${url.pathname}`),
        headers: {
          Allow: api
            .filter((r) => r.pattern.test(url.pathname))
            .map((r) => r.method)
            .join(', '),
        },
      };
    }
    // the 403's body is unconfirmed: the platform error envelope naming the property
    if (awaOff(routeName))
      return plainError(
        403,
        'forbidden',
        'Forbidden',
        'Advanced Work Assignment is not enabled (glide.awa.enabled is not true)',
      );
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
    const rate = limiter.check(user, routeName, session.node, clock.now());
    if (rate && !rate.allowed)
      return withRate(
        failure({ ...config, envelope: 'error' }, 429, 'rate_limited', 'Rate limit exceeded', rate.detail ?? null),
        rate,
      );
    if (raw === 'too_large')
      return plainError(
        413,
        'bad_request',
        'Request Entity Too Large',
        `request bodies are limited to ${config.maxBodyBytes} bytes`,
      );
    const body = parseBody(raw, req.headers['content-type']);
    if ('status' in body && 'outcome' in body) return body as Reply;
    const route = found.route;
    const params = found.params;
    if (route.name === 'offer') {
      const generator = req.headers[GENERATOR_HEADER] as string | undefined;
      if (generator)
        stats.noteDocument(req.headers[TESTID_HEADER] as string | undefined, generator, `${params[1]}:${params[2]}`);
    }
    const admitted = capacity.admit(
      () => {
        engine.tick();
        const testid = req.headers[TESTID_HEADER] as string | undefined;
        // a run's presence changes, as the agent stood before them (capacities share the route name, not the path)
        if (route.name === 'agents' && method === 'PUT' && !url.pathname.endsWith('/capacities'))
          footprints.notePresence(testid, params[0]!, engine.world.agents.get(params[0]!)?.presence);
        const reply = route.handle({
          method,
          path: url.pathname,
          query: url.searchParams,
          params,
          headers: req.headers,
          user,
          body: body as Record<string, unknown>,
        });
        if (route.name === 'interaction' && reply.status === 201)
          footprints.noteInteraction(testid, String((reply.body.result as { sys_id?: unknown } | undefined)?.sys_id));
        return reply;
      },
      {
        node: session.node,
        factor: route.name === config.capacity.slowRoute ? config.capacity.slowFactor : 1,
        extraMs: newSession && !config.capacity.fast ? config.sessions.createMs : 0,
        quotaMs: quotaOf(route.name),
      },
    );
    return admitted instanceof Promise ? admitted.then((a) => admissionReply(a, rate)) : admissionReply(admitted, rate);
  };

  /** What the capacity's admission makes of the transaction's reply. */
  const admissionReply = (admitted: { admission: Admission; value?: Reply }, rate: RateDecision | undefined): Reply => {
    const a = admitted.admission;
    if (a.kind === 'queue_full')
      return withRate(
        failure(
          { ...config, envelope: 'error' },
          429,
          'rate_limited',
          'Too Many Requests',
          `the API_INT semaphore queue of node ${a.node} is full`,
        ),
        rate,
      );
    if (a.kind === 'cancelled_queued') return quotaCancelled('queued');
    if (a.kind === 'cancelled_running') return withRate(quotaCancelled('running'), rate);
    return withRate(admitted.value!, rate);
  };

  /** Routes a request whose body has been read: the token endpoint, the platform's /api/..., or the simulator's own routes. */
  const dispatch = (
    req: IncomingMessage,
    res: ServerResponse,
    url: RequestUrl,
    raw: RawBody,
  ): Routed | Promise<Routed> => {
    if (url.pathname === '/oauth_token.do' && req.method === 'POST') {
      return {
        route: 'oauth',
        reply:
          raw === 'too_large'
            ? plainError(413, 'bad_request', 'Request Entity Too Large', null)
            : oauth.token(raw.toString('utf8'), req.headers['content-type']),
      };
    }
    if (url.pathname.startsWith('/api/')) return platform(req, res, url, raw);
    const found = find(admin, req.method ?? 'GET', url.pathname);
    const body = raw === 'too_large' ? {} : parseBody(raw, req.headers['content-type']);
    const reply = !found.route
      ? plainError(
          found.pathKnown ? 405 : 404,
          'not_found',
          found.pathKnown ? 'Method not Supported' : 'Not Found',
          `no simulator route for ${req.method} ${url.pathname}`,
        )
      : 'status' in body && 'outcome' in body
        ? (body as Reply)
        : found.route.handle({
            method: req.method ?? 'GET',
            path: url.pathname,
            query: url.searchParams,
            params: found.params,
            headers: req.headers,
            user: undefined,
            body: body as Record<string, unknown>,
          });
    return { route: 'sim', reply };
  };

  /** The route a request that failed is counted under: the ones named before any work, else unknown. */
  const failedRoute = (req: IncomingMessage, url: RequestUrl): string =>
    url.pathname === '/oauth_token.do' && req.method === 'POST'
      ? 'oauth'
      : url.pathname.startsWith('/api/')
        ? 'unknown'
        : 'sim';

  /** Counts the request and writes its reply (nothing for a dropped or stalled one, counted as the client will see it). */
  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    started: number | undefined,
    route: string,
    reply: Reply | undefined,
    setCookies?: string[],
  ): void => {
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
    res.writeHead(reply.status, headers);
    res.end(text);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
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
          routed = dispatch(req, res, url, raw);
        } catch (e) {
          routed = { route: failedRoute(req, url), reply: simulatorError(e) };
        }
        if (routed instanceof Promise) {
          routed.then(
            (r) => answer(req, res, started, r.route, r.reply, r.setCookies),
            (e: unknown) => answer(req, res, started, failedRoute(req, url), simulatorError(e)),
          );
        } else answer(req, res, started, routed.route, routed.reply, routed.setCookies);
      },
      (e) => answer(req, res, started, 'unknown', simulatorError(e)),
    );
  };

  const server = createServer(handle);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  // Timed events (agents, expiries, presence) also run between requests.
  const ticker = setInterval(() => {
    engine.tick();
    sessions.sweep(Date.now());
  }, 100);
  ticker.unref();
  const { port } = server.address() as AddressInfo;
  const stopReporter = config.influx.url
    ? startReporter(config.influx, `${config.host}:${port}`, state, (m) =>
        process.stderr.write(`offerload sim: ${m}\n`),
      )
    : () => {};
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    config,
    get engine() {
      return engine;
    },
    stats,
    footprints,
    capacity,
    get sessions() {
      return sessions;
    },
    get faults() {
      return state.faults;
    },
    set faults(f: FaultSettings) {
      state.faults = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(ticker);
        stopReporter();
        for (const r of stalled) r.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
