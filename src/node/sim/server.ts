/**
 * The simulator's HTTP server. Platform routes (/api/...) go through the platform's pipeline: faults,
 * authentication, the session (its node, its turn, or 202 past max waiters), route and method, the AWA
 * property, caller role, rate limit, then a worker slot on the session's node (capacity, with the route's
 * quota) before the decision. The simulator's own routes (/sim/...) answer directly. Loopback only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { CATALOGUE, formatMessage } from '../../shared/messages.js';
import { isLoopbackHost } from '../net.js';
import { authenticate, callerSysId, mayCall, ROUTE_ROLES } from './auth.js';
import { Capacity } from './capacity.js';
import { systemClock, type Clock } from './clock.js';
import { DEFAULT_SIM_CONFIG, type FaultSettings, type QuotaRoute, type SimConfig } from './config.js';
import { Engine } from './engine.js';
import { drawFault, faultsOn } from './faults.js';
import { seededRandom } from './random.js';
import { RateLimiter } from './rate-limit.js';
import { OAuth } from './oauth.js';
import { startReporter } from './reporter.js';
import { failure, plainError, platformReply, quotaCancelled, render, sessionBusy, type Reply } from './respond.js';
import { adminRoutes } from './routes/admin.js';
import { apiRoutes } from './routes/api.js';
import type { Route } from './routes/types.js';
import { Sessions, type Session } from './sessions.js';
import { Stats } from './stats.js';
import { SIM_MS_HEADER, SIM_TIMING_REQUEST_HEADER } from './timing.js';
import { Footprints } from './footprint.js';

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

const xmlParser = new XMLParser({ parseTagValue: false, ignoreAttributes: true, trimValues: true });

/** Parses a JSON or XML request body into an object, or the reply that refuses it. */
function parseBody(body: Buffer, contentType: string | undefined): Record<string, unknown> | Reply {
  if (body.length === 0) return {};
  const type = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  const text = body.toString('utf8');
  try {
    if (type === 'application/json') {
      const value: unknown = JSON.parse(text);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('the body must be a JSON object');
      return value as Record<string, unknown>;
    }
    if (type === 'application/xml' || type === 'text/xml') {
      const doc = xmlParser.parse(text, true) as Record<string, unknown>;
      const roots = Object.entries(doc).filter(([k]) => k !== '?xml');
      if (roots.length !== 1) throw new Error('the body must have one root element');
      const root = roots[0]![1];
      if (root === '') return {};
      if (typeof root !== 'object' || root === null || Array.isArray(root)) throw new Error('the root element must hold fields');
      return root as Record<string, unknown>;
    }
  } catch (e) {
    return plainError(400, 'bad_request', 'Request body could not be parsed', `${type}: ${(e as Error).message.split('\n')[0]}`);
  }
  return plainError(415, 'bad_request', 'Unsupported Media Type', `Content-Type ${type} is not supported; use application/json or application/xml`);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Path and query of a request target; cheaper than `new URL` on the hot path. */
function requestUrl(target: string): { pathname: string; searchParams: URLSearchParams } {
  const q = target.indexOf('?');
  return q < 0 ? { pathname: target, searchParams: new URLSearchParams() } : { pathname: target.slice(0, q), searchParams: new URLSearchParams(target.slice(q + 1)) };
}

/** Starts the simulator; resolves once it listens. */
export async function startSimulator(config: SimConfig = DEFAULT_SIM_CONFIG, clock: Clock = systemClock, opts: { listenAnywhere?: boolean } = {}): Promise<Simulator> {
  if (!isLoopbackHost(config.host) && !opts.listenAnywhere) throw new Error(`invalid --host: expected a loopback address (127.0.0.0/8 or ::1), got "${config.host}"`);
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
  const awaOff = (route: string): boolean => !config.platform.awaEnabled && (AWA_ROUTES.has(route) || (route === 'offer' && config.platform.awaOffCoversOfferWork));
  const quotaOf = (route: string): number => config.quotaMs[route as QuotaRoute] ?? 60_000;
  const admin = adminRoutes(state);
  const stalled = new Set<ServerResponse>();
  // A load test sends the same Authorization header thousands of times: remember the answer for it.
  const authCache = new Map<string, ReturnType<typeof authenticate>>();
  const oauth = new OAuth(config.users, config.oauth.tokenTtlSec, clock);
  const auth = (header: string | undefined) => {
    if (header === undefined) return undefined;
    // OAuth access tokens expire: never cached
    if (header.toLowerCase().startsWith('bearer ')) {
      const fromOAuth = oauth.userFor(header.slice(7));
      if (fromOAuth) return fromOAuth;
    }
    if (authCache.has(header)) return authCache.get(header);
    const user = authenticate(config.users, header);
    if (authCache.size >= 64) authCache.clear();
    authCache.set(header, user);
    return user;
  };

  const find = (routes: readonly Route[], method: string, path: string): { route?: Route; params: string[]; pathKnown: boolean } => {
    let pathKnown = false;
    for (const route of routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathKnown = true;
      if (route.method === method) return { route, params: m.slice(1), pathKnown };
    }
    return { params: [], pathKnown };
  };

  /** The platform pipeline for /api/...; resolves with the reply, or undefined when the connection was dropped or stalled. */
  const platform = async (req: IncomingMessage, res: ServerResponse, url: { pathname: string; searchParams: URLSearchParams }, raw: Buffer | 'too_large'): Promise<{ reply?: Reply; route: string }> => {
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
    if (fault === 'spike') await sleep(state.faults.spikeMs);
    if (fault === 'error') return { route: routeName, reply: failure(config, 500, 'server_error', 'Internal Server Error', 'injected fault') };

    const user = auth(req.headers.authorization);
    if (!user) return { route: routeName, reply: platformReply(config, 'unauthorized') };
    // every authenticated request runs in a session: the one its cookies name on its node, or a new one
    const testid = req.headers['x-offerload-testid'] as string | undefined;
    const { session, setCookies } = sessions.resolve(req.headers.cookie, user.user_name, Date.now());
    if (setCookies) stats.noteSession(testid);
    const withCookies = (r: Reply): Reply => (setCookies ? { ...r, headers: { ...r.headers, 'Set-Cookie': setCookies } } : r);
    const turn = sessions.acquire(session);
    if (turn === 'busy') return { route: routeName, reply: withCookies(sessionBusy()) };
    if (turn !== 'now') await turn;
    try {
      const reply = await transaction(req, url, raw, found, routeName, user, session, setCookies !== undefined);
      return { route: routeName, reply: withCookies(reply) };
    } finally {
      sessions.release(session, Date.now());
    }
  };

  /** One transaction in its session: route, AWA property, role, rate limit, then a slot on the session's node. */
  const transaction = async (
    req: IncomingMessage,
    url: { pathname: string; searchParams: URLSearchParams },
    raw: Buffer | 'too_large',
    found: { route?: Route; params: string[]; pathKnown: boolean },
    routeName: string,
    user: NonNullable<ReturnType<typeof auth>>,
    session: Session,
    newSession: boolean,
  ): Promise<Reply> => {
    const method = req.method ?? 'GET';
    if (!found.route) {
      if (!found.pathKnown) return platformReply(config, 'not_found');
      return { ...plainError(405, 'bad_request', 'Method not Supported', `${method} is not allowed on ${url.pathname}`), headers: { Allow: api.filter((r) => r.pattern.test(url.pathname)).map((r) => r.method).join(', ') } };
    }
    // the 403's body is unconfirmed: the platform error envelope naming the property
    if (awaOff(routeName)) return plainError(403, 'forbidden', 'Forbidden', 'Advanced Work Assignment is not enabled (glide.awa.enabled is not true)');
    if (!mayCall(user, routeName)) {
      // Offer Work names the caller; the Agent API documents `User Not Authenticated` for a missing role (status unconfirmed: 403)
      if (routeName === 'offer') return failure(config, 403, 'caller_role', formatMessage('caller_role', { caller: callerSysId(user) }), null);
      return plainError(403, 'unauthorized', CATALOGUE.unauthorized.template, `the caller lacks the ${ROUTE_ROLES[routeName]!.join(' or ')} role`);
    }
    const rate = limiter.check(user, routeName, session.node, clock.now());
    const withRate = (r: Reply): Reply => (rate ? { ...r, headers: { ...r.headers, ...rate.headers } } : r);
    if (rate && !rate.allowed) return withRate(failure({ ...config, envelope: 'error' }, 429, 'rate_limited', 'Rate limit exceeded', rate.detail ?? null));
    if (raw === 'too_large') return plainError(413, 'bad_request', 'Request Entity Too Large', `request bodies are limited to ${config.maxBodyBytes} bytes`);
    const body = parseBody(raw, req.headers['content-type']);
    if ('status' in body && 'outcome' in body) return body as Reply;
    const route = found.route;
    const params = found.params;
    if (route.name === 'offer') stats.noteDocument(req.headers['x-offerload-testid'] as string | undefined, req.headers['x-offerload-generator'] as string | undefined, `${params[1]}:${params[2]}`);
    const admission = capacity.admit(
      () => {
        engine.tick();
        const testid = req.headers['x-offerload-testid'] as string | undefined;
        // a run's presence changes, as the agent stood before them (capacities share the route name, not the path)
        if (route.name === 'agents' && method === 'PUT' && !url.pathname.endsWith('/capacities')) footprints.notePresence(testid, params[0]!, engine.world.agents.get(params[0]!)?.presence);
        const reply = route.handle({ method, path: url.pathname, query: url.searchParams, params, headers: req.headers, user, body: body as Record<string, unknown> });
        if (route.name === 'interaction' && reply.status === 201) footprints.noteInteraction(testid, String((reply.body.result as { sys_id?: unknown } | undefined)?.sys_id));
        return reply;
      },
      {
        node: session.node,
        factor: route.name === config.capacity.slowRoute ? config.capacity.slowFactor : 1,
        extraMs: newSession && !config.capacity.fast ? config.sessions.createMs : 0,
        quotaMs: quotaOf(route.name),
      },
    );
    const admitted = admission instanceof Promise ? await admission : admission;
    const a = admitted.admission;
    if (a.kind === 'queue_full') return withRate(failure({ ...config, envelope: 'error' }, 429, 'rate_limited', 'Too Many Requests', `the API_INT semaphore queue of node ${a.node} is full`));
    if (a.kind === 'cancelled_queued') return quotaCancelled('queued');
    if (a.kind === 'cancelled_running') return withRate(quotaCancelled('running'));
    return withRate(admitted.value!);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = config.timing.report || req.headers[SIM_TIMING_REQUEST_HEADER] === '1' ? performance.now() : undefined;
    stats.inFlight++;
    const url = requestUrl(req.url ?? '/');
    const testid = req.headers['x-offerload-testid'] as string | undefined;
    let route = 'unknown';
    let reply: Reply | undefined;
    try {
      const raw = await readBody(req, config.maxBodyBytes);
      if (url.pathname === '/oauth_token.do' && req.method === 'POST') {
        route = 'oauth';
        reply = raw === 'too_large' ? plainError(413, 'bad_request', 'Request Entity Too Large', null) : oauth.token(raw.toString('utf8'), req.headers['content-type']);
      } else if (url.pathname.startsWith('/api/')) {
        ({ reply, route } = await platform(req, res, url, raw));
      } else {
        const found = find(admin, req.method ?? 'GET', url.pathname);
        route = 'sim';
        const body = raw === 'too_large' ? {} : parseBody(raw, req.headers['content-type']);
        reply = !found.route
          ? plainError(found.pathKnown ? 405 : 404, 'not_found', found.pathKnown ? 'Method not Supported' : 'Not Found', `no simulator route for ${req.method} ${url.pathname}`)
          : 'status' in body && 'outcome' in body
            ? (body as Reply)
            : found.route.handle({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, params: found.params, headers: req.headers, user: undefined, body: body as Record<string, unknown> });
      }
    } catch (e) {
      reply = plainError(500, 'server_error', 'Simulator error', (e as Error).message);
    }
    // A dropped or stalled request is counted as the client will see it: no answer.
    stats.count(testid, route, reply?.outcome ?? (res.destroyed || req.socket.destroyed ? 'network_error' : 'timeout'), req.headers['x-offerload-op'] as string | undefined);
    stats.inFlight--;
    if (!reply) return;
    const { contentType, text } = render(reply, req.headers.accept);
    // the simulator's own time, up to the answer rendered: what a benchmark subtracts from its client's latency
    const simMs = started === undefined ? undefined : performance.now() - started;
    if (simMs !== undefined) stats.timings.record(testid, simMs);
    res.writeHead(reply.status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), ...reply.headers, ...(simMs === undefined ? {} : { [SIM_MS_HEADER]: simMs.toFixed(3) }) });
    res.end(text);
  };

  const server = createServer((req, res) => void handle(req, res));
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
    ? startReporter(config.influx, `${config.host}:${port}`, state, (m) => process.stderr.write(`offerload sim: ${m}\n`))
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
