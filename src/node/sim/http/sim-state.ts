/**
 * What the simulator holds while it runs, in one place for its pipeline and its own routes: the settings and
 * clock, the platform's world (engine, routes, sessions: replaced by a reset), the counters, the capacity and
 * rate limits, the credentials it knows, and the fault switches.
 */
import { authenticate } from '../auth.js';
import { Capacity } from '../platform/capacity.js';
import type { Clock } from '../platform/clock.js';
import type { FaultSettings, QuotaRoute, SimConfig, SimUser } from '../config.js';
import { Engine } from '../platform/engine.js';
import { Footprints } from '../platform/footprint.js';
import { OAuth } from './oauth.js';
import { seededRandom } from '../platform/random.js';
import { RateLimiter } from '../platform/rate-limit.js';
import { type AdminState, adminRoutes } from '../routes/admin.js';
import { apiRoutes } from '../routes/api.js';
import type { Route } from '../routes/types.js';
import { Sessions } from '../platform/sessions.js';
import { Stats } from '../stats.js';

/** Remembered Authorization answers: a load test sends the same header thousands of times. */
const AUTH_CACHE_SIZE = 64;

export class SimState implements AdminState {
  readonly stats = new Stats();
  readonly footprints = new Footprints();
  readonly capacity: Capacity;
  readonly limiter: RateLimiter;
  readonly oauth: OAuth;
  readonly faultRandom: () => number;
  readonly admin: readonly Route[];
  faults: FaultSettings;
  private current: { engine: Engine; api: Route[]; sessions: Sessions };
  private readonly authCache = new Map<string, SimUser | undefined>();

  constructor(
    readonly config: SimConfig,
    readonly clock: Clock,
  ) {
    this.faults = config.faults;
    this.faultRandom = seededRandom(config.seed ^ 0xfa17);
    this.capacity = new Capacity(config.capacity, seededRandom(config.seed ^ 0xc4c4));
    this.limiter = new RateLimiter(config.rateLimit, config.capacity.nodes);
    this.oauth = new OAuth(config.users, config.oauth.tokenTtlSec, clock);
    this.current = this.fresh();
    this.admin = adminRoutes(this);
  }

  /** A new world: engine (fixtures, agents, work items), its routes, and no sessions. */
  private fresh(): { engine: Engine; api: Route[]; sessions: Sessions } {
    const engine = new Engine(this.config, this.clock);
    const nodes = Math.max(1, this.config.capacity.nodes);
    return {
      engine,
      api: apiRoutes(engine),
      sessions: new Sessions(this.config.sessions, nodes, seededRandom(this.config.seed ^ 0x5e55)),
    };
  }

  engine(): Engine {
    return this.current.engine;
  }

  api(): readonly Route[] {
    return this.current.api;
  }

  sessions(): Sessions {
    return this.current.sessions;
  }

  /** POST /sim/reset: a new world and zeroed counters; settings, capacity and fault switches stay. */
  reset(): void {
    this.current = this.fresh();
    this.stats.reset();
    this.footprints.reset();
  }

  /** The route's transaction quota, ms (60 s where none is set, like the Table API's published rule). */
  quotaOf(route: string): number {
    return this.config.quotaMs[route as QuotaRoute] ?? 60_000;
  }

  /** The user an Authorization header names: a live OAuth token, else basic or a bearer token (remembered). */
  auth(header: string | undefined): SimUser | undefined {
    if (header === undefined) return undefined;
    // OAuth access tokens expire: never cached (the first letter spares lower-casing every Basic header)
    const b = header.charCodeAt(0);
    if ((b === 0x62 || b === 0x42) && header.slice(0, 7).toLowerCase() === 'bearer ') {
      const fromOAuth = this.oauth.userFor(header.slice(7));
      if (fromOAuth) return fromOAuth;
    }
    if (this.authCache.has(header)) return this.authCache.get(header);
    const user = authenticate(this.config.users, header);
    if (this.authCache.size >= AUTH_CACHE_SIZE) this.authCache.clear();
    this.authCache.set(header, user);
    return user;
  }
}
