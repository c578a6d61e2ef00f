/**
 * Simulator configuration: one interface, its defaults, a table of every setting (type, meaning), and one
 * loader stating the precedence: flags over config file over environment over defaults. The table also
 * writes `offerload sim --help`, so the help can never miss a setting.
 */
import { readFileSync } from 'node:fs';
import type { LogNormal } from './platform/distributions.js';
import type { RouteName } from '../../shared/success-shapes.js';
import { InputError, UsageError } from '../errors.js';
import type { InfluxTarget } from '../influx/connection.js';
import { parseRateRules, type RateLimitSettings } from './platform/rate-limit.js';

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
  platform: { awaEnabled: true, awaOffCoversOfferWork: true, consultNotFoundStatus: 404 },
  rateLimit: { enabled: false, requestsPerHour: 100_000, commitIntervalMs: 30_000, rules: [] },
  table: { invalidQueryReturnsNoRows: false },
  faults: NO_FAULTS,
  oauth: { tokenTtlSec: 1800 },
  influx: { url: '', database: 'offerload' },
  timing: { report: false },
  // A seeded caller without the integration roles, so the caller-role check can be exercised.
  users: [{ user_name: 'itil.user', password: 'itil.user', roles: ['itil'] }],
};

/** A setting whose value is JSON (a list of rules): `parse` validates it and throws naming what is wrong. */
interface JsonKind {
  readonly json: string;
  readonly parse: (value: unknown) => unknown;
}

type Kind = 'int' | 'number' | 'share' | 'bool' | 'port' | 'string' | { oneOf: readonly string[] } | JsonKind;

interface Setting {
  readonly key: string;
  readonly kind: Kind;
  readonly help: string;
}

/** Every setting, by dotted key into SimConfig. Flags are `--<key>`; config files nest the same keys. */
export const SETTINGS: readonly Setting[] = [
  { key: 'seed', kind: 'int', help: 'seed for fixtures and every random draw' },
  { key: 'host', kind: 'string', help: 'loopback address to listen on' },
  { key: 'port', kind: 'port', help: 'port; 0 picks a free one' },
  { key: 'fixtures.agents', kind: 'int', help: 'agents (awa_agent + awa_external_user)' },
  { key: 'fixtures.queues', kind: 'int', help: 'queues; most have a provider id (external_id)' },
  { key: 'fixtures.documents', kind: 'int', help: 'interaction and case documents' },
  { key: 'fixtures.awayShare', kind: 'share', help: 'share of agents seeded Away' },
  { key: 'fixtures.offlineShare', kind: 'share', help: 'share of agents seeded Offline' },
  { key: 'fixtures.inactiveDocumentShare', kind: 'share', help: 'share of documents seeded closed' },
  {
    key: 'fixtures.usersWithoutAgentRole',
    kind: 'int',
    help: 'users without awa_agent (offers to them: not a valid agent)',
  },
  { key: 'fixtures.agentsWithoutExternalRole', kind: 'int', help: 'agents without awa_external_user' },
  {
    key: 'envelope',
    kind: { oneOf: ['error', 'result'] },
    help: 'failure body: platform error envelope or result object',
  },
  { key: 'validationStatus', kind: { oneOf: ['400', '500'] }, help: 'HTTP status of validation failures' },
  { key: 'maxBodyBytes', kind: 'int', help: 'request bodies over this size get 413' },
  {
    key: 'agents.mode',
    kind: { oneOf: ['simulated', 'external'] },
    help: 'simulated agents answer offers; external: only the inbox API does',
  },
  { key: 'agents.acceptDelayMs.median', kind: 'number', help: 'median time an agent takes to accept, ms (log-normal)' },
  { key: 'agents.acceptDelayMs.sigma', kind: 'number', help: 'spread of the accept delay (log-normal sigma)' },
  { key: 'agents.rejectShare', kind: 'share', help: 'share of declinable offers the agent rejects' },
  { key: 'agents.noAnswerShare', kind: 'share', help: 'share of offers the agent never answers (they time out)' },
  { key: 'agents.handleTimeMs.median', kind: 'number', help: 'median handling time of accepted work, ms' },
  { key: 'agents.handleTimeMs.sigma', kind: 'number', help: 'spread of the handling time' },
  { key: 'agents.closeDocumentAfterHandling', kind: 'bool', help: 'close the document when the agent finishes' },
  { key: 'agents.awayPerHour', kind: 'number', help: 'Available -> Away changes per agent per hour' },
  { key: 'agents.backFromAwayPerHour', kind: 'number', help: 'Away -> Available changes per agent per hour' },
  { key: 'agents.offlinePerHour', kind: 'number', help: 'Available -> Offline changes per agent per hour' },
  { key: 'agents.onlinePerHour', kind: 'number', help: 'Offline -> Available changes per agent per hour' },
  { key: 'capacity.fast', kind: 'bool', help: 'no slots, queue or service time (measures the load generator)' },
  { key: 'capacity.nodes', kind: 'int', help: 'application nodes' },
  { key: 'capacity.slotsPerNode', kind: 'int', help: 'worker slots per node (API_INT threads)' },
  { key: 'capacity.queuePerNode', kind: 'int', help: 'waiting requests per node before 429' },
  { key: 'capacity.serviceTimeMs.median', kind: 'number', help: 'median time a request holds a slot, ms (log-normal)' },
  { key: 'capacity.serviceTimeMs.sigma', kind: 'number', help: 'spread of the service time' },
  {
    key: 'capacity.slowRoute',
    kind: { oneOf: ['', 'offer', 'interaction', 'inbox', 'consult', 'agents', 'table'] },
    help: 'one route made slower than the rest (what a regression of one operation looks like)',
  },
  { key: 'capacity.slowFactor', kind: 'number', help: "that route's service time multiplier" },
  {
    key: 'capacity.serviceTimeDriftPerMin',
    kind: 'number',
    help: 'service times grow by this share of the base each minute (a leak)',
  },
  ...QUOTA_ROUTES.map((route) => ({
    key: `quotaMs.${route}`,
    kind: 'int' as const,
    help: `transaction quota of the ${route} route, ms (0 = none): cancelled while running answers 200 with the error appended, while queued 500${route === 'table' ? ' (published: 60 s)' : ' (unconfirmed: no cap is published for it)'}`,
  })),
  {
    key: 'sessions.concurrency',
    kind: { oneOf: ['1', '2'] },
    help: 'transactions a session runs at once (2 for REST from Yokohama; 1 before)',
  },
  {
    key: 'sessions.maxWaiters',
    kind: 'int',
    help: 'com.glide.request.max_waiters: waiting transactions per session before the platform answers 202 and ignores the request',
  },
  {
    key: 'sessions.createMs',
    kind: 'number',
    help: 'service time a request pays to create its session, ms (unconfirmed)',
  },
  {
    key: 'sessions.idleTimeoutSec',
    kind: 'int',
    help: 'glide.integration.session_timeout: an idle session expires after this, s (the docs say both 5 and 1 min: unconfirmed)',
  },
  {
    key: 'sessions.memoryKb',
    kind: 'number',
    help: 'memory a session holds until it expires, KiB, reported in /sim/stats (unconfirmed)',
  },
  {
    key: 'sessions.maxSessions',
    kind: 'int',
    help: "the simulator's own bound on sessions held (least recently used idle ones go past it)",
  },
  {
    key: 'platform.awaEnabled',
    kind: 'bool',
    help: 'glide.awa.enabled: when false the Agent, Inbox Actions and Consult APIs answer 403',
  },
  {
    key: 'platform.awaOffCoversOfferWork',
    kind: 'bool',
    help: 'with AWA off, Offer Work answers 403 too (unconfirmed)',
  },
  {
    key: 'platform.consultNotFoundStatus',
    kind: { oneOf: ['404', '200'] },
    help: 'status of consult end\'s "Cannot find the work item" answer (unconfirmed: 404, or 200 with success false)',
  },
  { key: 'rateLimit.enabled', kind: 'bool', help: 'enforce inbound REST rate-limit rules' },
  {
    key: 'rateLimit.requestsPerHour',
    kind: 'int',
    help: 'the all-users rule over every resource, per user per hour (when rateLimit.rules is empty)',
  },
  {
    key: 'rateLimit.commitIntervalMs',
    kind: 'int',
    help: 'each node commits its counts this often, so a burst overshoots before 429s begin (platform: 30 s)',
  },
  {
    key: 'rateLimit.rules',
    kind: {
      json: 'a JSON list of {scope: user|role|all, user?, role?, resource, requestsPerHour, sys_id?}',
      parse: parseRateRules,
    },
    help: 'rules as in sys_rate_limit_rules: user beats role beats all, the lowest matching role rule wins',
  },
  {
    key: 'table.invalidQueryReturnsNoRows',
    kind: 'bool',
    help: 'glide.invalid_query.returns_no_rows: an invalid encoded-query clause gives no rows instead of being dropped',
  },
  { key: 'faults.errorShare', kind: 'share', help: 'share of API requests answered 500' },
  { key: 'faults.spikeShare', kind: 'share', help: 'share of API requests delayed by faults.spikeMs' },
  { key: 'faults.spikeMs', kind: 'int', help: 'extra latency of a spike, ms' },
  { key: 'faults.stallShare', kind: 'share', help: 'share of API requests never answered' },
  { key: 'faults.dropShare', kind: 'share', help: 'share of API requests whose connection is dropped' },
  { key: 'oauth.tokenTtlSec', kind: 'int', help: 'lifetime of OAuth access tokens from /oauth_token.do, seconds' },
  { key: 'influx.url', kind: 'string', help: "InfluxDB v1 URL for the simulator's own per-second measurements" },
  { key: 'influx.database', kind: 'string', help: 'database for those measurements' },
  {
    key: 'timing.report',
    kind: 'bool',
    help: "the simulator's own time per request: an X-Offerload-Sim-Ms header on every answer and per-run quantiles in /sim/stats (off: a request can ask with X-Offerload-Sim-Timing: 1)",
  },
];

export function describeKind(kind: Kind): string {
  if (typeof kind === 'object') return 'json' in kind ? kind.json : `one of ${kind.oneOf.join(', ')}`;
  return {
    int: 'a whole number >= 0',
    number: 'a number >= 0',
    share: 'a share from 0 to 1',
    bool: 'true or false',
    port: 'a TCP port from 0 to 65535',
    string: 'a string',
  }[kind];
}

/** Reads one value for a setting from a string (flag) or JSON value (file); throws naming the setting. */
export function readSetting(s: Setting, raw: unknown, origin: string): unknown {
  const fail = (): never => {
    throw new UsageError(`invalid ${origin}: expected ${describeKind(s.kind)}, got ${JSON.stringify(raw)}`);
  };
  const text = typeof raw === 'string' ? raw.trim() : raw;
  if (typeof s.kind === 'object' && 'json' in s.kind) {
    let value: unknown = text;
    if (typeof text === 'string') {
      try {
        value = JSON.parse(text);
      } catch {
        return fail();
      }
    }
    try {
      return s.kind.parse(value);
    } catch (e) {
      throw new UsageError(`invalid ${origin}: ${(e as Error).message}`);
    }
  }
  if (typeof s.kind === 'object') {
    if (!s.kind.oneOf.includes(String(text))) fail();
    // a choice of numbers (a status, a count) is read as a number
    return s.kind.oneOf.every((v) => /^\d+$/.test(v)) ? Number(text) : String(text);
  }
  switch (s.kind) {
    case 'bool':
      if (text === true || text === 'true') return true;
      if (text === false || text === 'false') return false;
      return fail();
    case 'string':
      return typeof text === 'string' ? text : fail();
    default: {
      const n = typeof text === 'number' ? text : typeof text === 'string' && text !== '' ? Number(text) : NaN;
      if (!Number.isFinite(n) || n < 0) return fail();
      if ((s.kind === 'int' || s.kind === 'port') && !Number.isInteger(n)) return fail();
      if (s.kind === 'port' && n > 65535) return fail();
      if (s.kind === 'share' && n > 1) return fail();
      return n;
    }
  }
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let at = target;
  for (const p of parts.slice(0, -1))
    at = (at[p] = { ...(at[p] as Record<string, unknown>) }) as Record<string, unknown>;
  at[parts.at(-1)!] = value;
}

function flatten(obj: unknown, prefix = ''): [string, unknown][] {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return [[prefix, obj]];
  return Object.entries(obj).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    const isLeafObject = SETTINGS.some((s) => s.key === key);
    return isLeafObject ? [[key, v] as [string, unknown]] : flatten(v, key);
  });
}

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

/**
 * The configuration: defaults, then the config file (JSON, nested keys), then flags (dotted keys), each
 * value checked against the settings table. The environment supplies the integration user.
 */
export function loadSimConfig(opts: {
  file?: string;
  flags?: Readonly<Record<string, string>>;
  env?: NodeJS.ProcessEnv;
}): SimConfig {
  const config = structuredClone(DEFAULT_SIM_CONFIG) as unknown as Record<string, unknown>;
  const byKey = new Map(SETTINGS.map((s) => [s.key, s]));
  if (opts.file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(opts.file, 'utf8'));
    } catch (e) {
      throw new InputError(opts.file, `is not a readable JSON file (${(e as Error).message.split('\n')[0]})`);
    }
    for (const [key, value] of flatten(parsed)) {
      const setting = byKey.get(key);
      if (!setting)
        throw new UsageError(
          `invalid config key "${key}" in ${opts.file}: see 'offerload sim --help' for the settings`,
        );
      setPath(config, key, readSetting(setting, value, `${key} in ${opts.file}`));
    }
  }
  for (const [key, value] of Object.entries(opts.flags ?? {})) {
    const setting = byKey.get(key);
    if (!setting) throw new UsageError(`unknown setting --${key}: see 'offerload sim --help'`);
    setPath(config, key, readSetting(setting, value, `--${key}`));
  }
  const result = config as unknown as SimConfig;
  const fromEnv = integrationUserFromEnv(opts.env ?? {});
  return { ...result, users: [...result.users, ...(fromEnv ? [fromEnv] : [])] };
}

/** `offerload sim --help` text for every setting, with its default. */
export function settingsHelp(): string {
  const get = (key: string): unknown =>
    key.split('.').reduce<unknown>((at, p) => (at as Record<string, unknown>)[p], DEFAULT_SIM_CONFIG);
  return SETTINGS.map(
    (s) => `  --${s.key.padEnd(34)} ${s.help} (${describeKind(s.kind)}; default ${JSON.stringify(get(s.key))})`,
  ).join('\n');
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
