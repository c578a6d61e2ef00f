/**
 * Simulator configuration: one interface and its defaults, the integration user from the environment, and
 * `simConfig` for code and tests. The settings table, its reader and the loader are settings.ts.
 */
import type { LogNormal } from './platform/distributions.js';
import type { RouteName } from '../../shared/success-shapes.js';
import type { InfluxTarget } from '../influx/connection.js';
import type { RateLimitSettings } from './platform/rate-limit.js';

export type FailureEnvelope = 'error' | 'result';

export interface SimUser {
  readonly user_name: string;
  /** sys_user sys_id; made from user_name when not given */
  readonly sys_id?: string;
  readonly password?: string;
  readonly token?: string;
  /** OAuth client credentials that get this user's access tokens */
  readonly client_id?: string;
  readonly client_secret?: string;
  readonly roles: readonly string[];
}

export interface SimConfig {
  readonly seed: number;
  readonly host: string;
  readonly port: number;
  readonly fixtures: {
    readonly agents: number;
    readonly queues: number;
    readonly documents: number;
    readonly awayShare: number;
    readonly offlineShare: number;
    readonly inactiveDocumentShare: number;
    readonly usersWithoutAgentRole: number;
    readonly agentsWithoutExternalRole: number;
  };
  readonly envelope: FailureEnvelope;
  readonly validationStatus: 400 | 500;
  readonly maxBodyBytes: number;
  readonly agents: {
    /** simulated: agents answer offers themselves; external: only the inbox actions API moves them */
    readonly mode: 'simulated' | 'external';
    readonly acceptDelayMs: LogNormal;
    readonly rejectShare: number;
    readonly noAnswerShare: number;
    readonly handleTimeMs: LogNormal;
    readonly closeDocumentAfterHandling: boolean;
    /** presence changes per agent per hour */
    readonly awayPerHour: number;
    readonly backFromAwayPerHour: number;
    readonly offlinePerHour: number;
    readonly onlinePerHour: number;
  };
  readonly capacity: {
    /** no slots, no queue, no service time: for measuring the load generator itself */
    readonly fast: boolean;
    readonly nodes: number;
    readonly slotsPerNode: number;
    readonly queuePerNode: number;
    readonly serviceTimeMs: LogNormal;
    /** one route ('offer', 'interaction', 'inbox', ...) whose service time is multiplied by slowFactor */
    readonly slowRoute: string;
    readonly slowFactor: number;
    /** service times grow by this share of the base every minute since start (a leaking target) */
    readonly serviceTimeDriftPerMin: number;
  };
  /** transaction quota per route, ms; 0 = none. Past it a running transaction answers 200 with the error appended, a queued one 500 */
  readonly quotaMs: Readonly<Record<QuotaRoute, number>>;
  readonly sessions: {
    /** transactions one session runs at once: 1, or 2 for REST from Yokohama */
    readonly concurrency: 1 | 2;
    /** com.glide.request.max_waiters: transactions waiting per session before 202 */
    readonly maxWaiters: number;
    /** service time a request pays to create its session, ms */
    readonly createMs: number;
    /** glide.integration.session_timeout: an idle session expires after this, seconds */
    readonly idleTimeoutSec: number;
    /** memory a session holds until it expires, KiB (reported, not allocated) */
    readonly memoryKb: number;
    /** the simulator's own bound on sessions held; the least recently used idle one goes past it */
    readonly maxSessions: number;
  };
  readonly platform: {
    /** glide.awa.enabled: when false, the AWA routes answer 403 */
    readonly awaEnabled: boolean;
    /** whether the Offer Work route answers 403 too when AWA is off (unconfirmed) */
    readonly awaOffCoversOfferWork: boolean;
    /** the status of consult end's "Cannot find the work item" answer (unconfirmed: 404, or 200 with success false) */
    readonly consultNotFoundStatus: 404 | 200;
    /** the instance's clock ahead of real time, ms (negative: behind); its Date headers and offered_on checks follow it */
    readonly clockOffsetMs: number;
    /**
     * an external queue's maximum wait, s: a work item still queued this long after it was queued is cancelled
     * (0: never; the platform's queue setting, value and cancel reason not published)
     */
    readonly queueMaxWaitSec: number;
  };
  readonly rateLimit: RateLimitSettings;
  readonly table: {
    /** glide.invalid_query.returns_no_rows: an invalid encoded-query clause gives no rows instead of being dropped */
    readonly invalidQueryReturnsNoRows: boolean;
  };
  readonly faults: FaultSettings;
  /** OAuth 2.0 client credentials at /oauth_token.do: how long an access token lives */
  readonly oauth: { readonly tokenTtlSec: number };
  /** where the simulator writes its own per-second measurements (credentials, CA file as the run's); empty url = nowhere */
  readonly influx: InfluxTarget;
  /** report the simulator's own time per request (timing.ts): off unless a benchmark asks */
  readonly timing: { readonly report: boolean };
  readonly users: readonly SimUser[];
}

/** The routes a quota rule can name (the simulator's route names). */
export type QuotaRoute = Exclude<RouteName, 'oauth'>;
export const QUOTA_ROUTES: readonly QuotaRoute[] = ['offer', 'interaction', 'agents', 'inbox', 'consult', 'table'];

export interface FaultSettings {
  /** share of API requests answered 500 */
  readonly errorShare: number;
  /** share of API requests delayed by spikeMs */
  readonly spikeShare: number;
  readonly spikeMs: number;
  /** share of API requests never answered (held until the client gives up, at most the transaction limit) */
  readonly stallShare: number;
  /** share of API requests whose connection is dropped without an answer */
  readonly dropShare: number;
}

export const NO_FAULTS: FaultSettings = { errorShare: 0, spikeShare: 0, spikeMs: 2000, stallShare: 0, dropShare: 0 };

export const DEFAULT_SIM_CONFIG: SimConfig = {
  seed: 1,
  host: '127.0.0.1',
  port: 0,
  fixtures: {
    agents: 200,
    queues: 12,
    documents: 5000,
    awayShare: 0.12,
    offlineShare: 0.08,
    inactiveDocumentShare: 0,
    usersWithoutAgentRole: 3,
    agentsWithoutExternalRole: 3,
  },
  envelope: 'error',
  validationStatus: 400,
  maxBodyBytes: 1024 * 1024,
  agents: {
    mode: 'simulated',
    acceptDelayMs: { median: 4000, sigma: 0.6 },
    rejectShare: 0.05,
    noAnswerShare: 0.05,
    handleTimeMs: { median: 60_000, sigma: 0.5 },
    closeDocumentAfterHandling: true,
    awayPerHour: 2,
    backFromAwayPerHour: 12,
    offlinePerHour: 0.1,
    onlinePerHour: 2,
  },
  capacity: {
    fast: false,
    nodes: 2,
    slotsPerNode: 4,
    queuePerNode: 50,
    serviceTimeMs: { median: 25, sigma: 0.35 },
    slowRoute: '',
    slowFactor: 1,
    serviceTimeDriftPerMin: 0,
  },
  // The Table API's 60 s is the published base rule; a cap on the AWA and Interaction routes is unconfirmed:
  // 60 s there too, as the platform's default REST quota rules give.
  quotaMs: { offer: 60_000, interaction: 60_000, agents: 60_000, inbox: 60_000, consult: 60_000, table: 60_000 },
  // Australia runs REST two at a time per session (Yokohama on); the rest of these are unconfirmed guesses.
  sessions: { concurrency: 2, maxWaiters: 10, createMs: 15, idleTimeoutSec: 300, memoryKb: 64, maxSessions: 200_000 },
  platform: {
    awaEnabled: true,
    awaOffCoversOfferWork: true,
    consultNotFoundStatus: 404,
    clockOffsetMs: 0,
    queueMaxWaitSec: 0,
  },
  rateLimit: { enabled: false, requestsPerHour: 100_000, commitIntervalMs: 30_000, rules: [] },
  table: { invalidQueryReturnsNoRows: false },
  faults: NO_FAULTS,
  oauth: { tokenTtlSec: 1800 },
  influx: { url: '', database: 'offerload' },
  timing: { report: false },
  // A seeded caller without the integration roles, so the caller-role check can be exercised.
  users: [{ user_name: 'itil.user', password: 'itil.user', roles: ['itil'] }],
};

/** The integration user from OFFERLOAD_USERNAME/OFFERLOAD_PASSWORD or OFFERLOAD_TOKEN, as a run reads them. */
export function integrationUserFromEnv(env: NodeJS.ProcessEnv): SimUser | undefined {
  const roles = ['awa_integration_user', 'rest_service'];
  if (env.OFFERLOAD_OAUTH_CLIENT_ID) {
    return {
      user_name: env.OFFERLOAD_USERNAME || 'offerload.integration',
      client_id: env.OFFERLOAD_OAUTH_CLIENT_ID,
      client_secret: env.OFFERLOAD_OAUTH_CLIENT_SECRET ?? '',
      roles,
    };
  }
  if (env.OFFERLOAD_TOKEN)
    return { user_name: env.OFFERLOAD_USERNAME || 'offerload.integration', token: env.OFFERLOAD_TOKEN, roles };
  if (env.OFFERLOAD_USERNAME)
    return { user_name: env.OFFERLOAD_USERNAME, password: env.OFFERLOAD_PASSWORD ?? '', roles };
  return undefined;
}

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object ? (T[K] extends readonly unknown[] ? T[K] : DeepPartial<T[K]>) : T[K];
};
export type SimOverrides = DeepPartial<SimConfig>;

/** Defaults with some settings replaced (nested objects merge key by key). For code and tests. */
export function simConfig(overrides: SimOverrides = {}, env: NodeJS.ProcessEnv = {}): SimConfig {
  const merge = (base: unknown, over: unknown): unknown => {
    if (typeof over !== 'object' || over === null || Array.isArray(over)) return over === undefined ? base : over;
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
    return out;
  };
  const merged = merge(DEFAULT_SIM_CONFIG, overrides) as SimConfig;
  const fromEnv = integrationUserFromEnv(env);
  return { ...merged, users: [...merged.users, ...(fromEnv ? [fromEnv] : [])] };
}
