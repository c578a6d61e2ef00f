/**
 * The simulator's HTTP server: a routing table over the Offer Work endpoint (both URL forms) and the
 * simulator's own inspection routes. Loopback only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { authenticate, isIntegrationCaller } from './auth.js';
import { systemClock, type Clock } from './clock.js';
import { DEFAULT_SIM_CONFIG, integrationUserFromEnv, type SimConfig, type SimUser } from './config.js';
import { publicFixtures, seedWorld, type World } from './fixtures.js';
import { decideAssignment, SUCCESS_MESSAGE } from './offer.js';
import { seededRandom } from './random.js';
import { failure, plainError, platformReply, refusalReply, render, type Reply } from './respond.js';
import { Stats } from './stats.js';
import { WorkItems } from './work-items.js';
import { formatMessage } from '../../shared/messages.js';
import { isLoopbackHost } from '../net.js';

export interface Simulator {
  readonly url: string;
  readonly config: SimConfig;
  readonly world: World;
  readonly items: WorkItems;
  readonly stats: Stats;
  close(): Promise<void>;
}

interface Request {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly params: readonly string[];
  readonly headers: IncomingMessage['headers'];
  readonly user: SimUser | undefined;
  readonly body: Buffer;
}

interface Route {
  readonly name: string;
  readonly pattern: RegExp;
  /** allowed methods; others get 405 */
  readonly methods: readonly string[];
  /** platform routes need an authenticated caller */
  readonly platform: boolean;
  readonly handle: (req: Request) => Reply;
}

const OFFER_PATH = /^\/api\/now(?:\/(v\d+))?\/awa\/documents\/([^/]+)\/([^/]+)\/offer\/?$/;
const xmlParser = new XMLParser({ parseTagValue: false, ignoreAttributes: true, trimValues: true });

/** Parses a JSON or XML request body into an object; undefined with a reason when it cannot. */
function parseBody(body: Buffer, contentType: string | undefined): { value?: Record<string, unknown>; error?: Reply } {
  const type = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  const text = body.toString('utf8');
  try {
    if (type === 'application/json') {
      const value: unknown = text.trim() === '' ? {} : JSON.parse(text);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
      return { value: value as Record<string, unknown> };
    }
    if (type === 'application/xml' || type === 'text/xml') {
      const doc = xmlParser.parse(text, true) as Record<string, unknown>;
      const root = Object.values(doc).find((v) => typeof v === 'object' && v !== null);
      return { value: (root ?? {}) as Record<string, unknown> };
    }
  } catch (e) {
    return { error: plainError(400, 'bad_request', 'Request body could not be parsed', `${type}: ${(e as Error).message}`) };
  }
  return { error: plainError(415, 'bad_request', 'Unsupported Media Type', `Content-Type ${type} is not supported; use application/json or application/xml`) };
}

function buildRoutes(config: SimConfig, world: World, items: WorkItems, stats: Stats, clock: Clock): Route[] {
  const json = (body: unknown): Reply => ({ status: 200, body: body as Record<string, unknown>, outcome: 'success' });
  return [
    {
      name: 'offer',
      pattern: OFFER_PATH,
      methods: ['POST'],
      platform: true,
      handle: (req) => {
        const parsed = parseBody(req.body, req.headers['content-type']);
        if (parsed.error) return parsed.error;
        const body = parsed.value!;
        const [, table = '', documentId = ''] = req.params;
        if (body.transfer !== undefined) {
          return failure(config, 400, 'bad_request', 'Transfer is not supported by this simulator build', 'transfer');
        }
        const decision = decideAssignment({ world, items, clock }, table, documentId, body);
        if (decision.kind !== 'placed') return refusalReply(config, decision);
        const item = decision.item;
        return {
          status: 200,
          outcome: 'success',
          body: {
            result: {
              work_item: { display_name: decision.display, sys_id: item.sys_id, document_id: item.document_id, document_table: item.document_table, queue: item.queue },
              success: true,
              message: SUCCESS_MESSAGE,
            },
          },
        };
      },
    },
    { name: 'sim', pattern: /^\/sim\/health$/, methods: ['GET'], platform: false, handle: () => json({ status: 'ok' }) },
    { name: 'sim', pattern: /^\/sim\/fixtures$/, methods: ['GET'], platform: false, handle: () => json(publicFixtures(world)) },
    {
      name: 'sim',
      pattern: /^\/sim\/stats$/,
      methods: ['GET'],
      platform: false,
      handle: (req) => {
        items.expireDue();
        const testid = req.query.get('testid') ?? undefined;
        return json({ testid: testid ?? null, received: stats.snapshot(testid), in_flight: stats.inFlight, work_items: { ...items.counts, by_state: items.byState() } });
      },
    },
  ];
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

/** Starts the simulator; resolves once it listens. */
export async function startSimulator(overrides: Partial<SimConfig> = {}, clock: Clock = systemClock, env: NodeJS.ProcessEnv = process.env): Promise<Simulator> {
  const fromEnv = integrationUserFromEnv(env);
  const config: SimConfig = {
    ...DEFAULT_SIM_CONFIG,
    ...overrides,
    users: [...(overrides.users ?? DEFAULT_SIM_CONFIG.users), ...(fromEnv ? [fromEnv] : [])],
  };
  if (!isLoopbackHost(config.host)) throw new Error(`invalid --host: expected a loopback address (127.0.0.0/8 or ::1), got "${config.host}"`);
  const world = seedWorld(config);
  const items = new WorkItems(world, clock, seededRandom(config.seed ^ 0x5eed));
  const stats = new Stats();
  const routes = buildRoutes(config, world, items, stats, clock);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    stats.inFlight++;
    const url = new URL(req.url ?? '/', 'http://sim');
    const testid = req.headers['x-offerload-testid'] as string | undefined;
    let routeName = 'unknown';
    let reply: Reply;
    try {
      const body = await readBody(req, config.maxBodyBytes);
      const user = authenticate(config.users, req.headers.authorization);
      const route = routes.find((r) => r.pattern.test(url.pathname));
      routeName = route?.name ?? (url.pathname.startsWith('/api/') ? 'api' : 'unknown');
      if (route?.platform || (!route && url.pathname.startsWith('/api/'))) {
        if (!user) reply = platformReply(config, 'unauthorized');
        else if (!route) reply = platformReply(config, 'not_found');
        else if (!isIntegrationCaller(user)) reply = failure(config, 403, 'caller_role', formatMessage('caller_role', { caller: user.user_name }), null);
        else reply = dispatch(route, req, url, body, user);
      } else if (!route) {
        reply = plainError(404, 'not_found', 'Not Found', `no simulator route for ${url.pathname}`);
      } else {
        reply = dispatch(route, req, url, body, user);
      }
    } catch (e) {
      reply = plainError(500, 'server_error', 'Simulator error', (e as Error).message);
    }
    stats.count(testid, routeName, reply.outcome);
    stats.inFlight--;
    const { contentType, text } = render(reply, req.headers.accept);
    res.writeHead(reply.status, { 'Content-Type': contentType, ...reply.headers });
    res.end(text);
  };

  const dispatch = (route: Route, req: IncomingMessage, url: URL, body: Buffer | 'too_large', user: SimUser | undefined): Reply => {
    if (!route.methods.includes(req.method ?? '')) {
      return { ...plainError(405, 'bad_request', 'Method not Supported', `${req.method} is not allowed on ${url.pathname}`), headers: { Allow: route.methods.join(', ') } };
    }
    if (body === 'too_large') return plainError(413, 'bad_request', 'Request Entity Too Large', `request bodies are limited to ${config.maxBodyBytes} bytes`);
    const params = route.pattern.exec(url.pathname)!.slice(1);
    return route.handle({ method: req.method ?? '', path: url.pathname, query: url.searchParams, params, headers: req.headers, user, body });
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const sweeper = setInterval(() => items.expireDue(), 200);
  sweeper.unref();
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    config,
    world,
    items,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweeper);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
