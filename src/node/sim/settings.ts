/**
 * The simulator's settings table: every setting by dotted key, its kind and meaning; the one reader of a
 * setting's value, and the loader stating the precedence (flags over config file over environment over
 * defaults). The table also writes `offerload sim --help` and docs/reference/simulator-settings.md. The
 * configuration's shape and defaults are config.ts.
 */
import { readFileSync } from 'node:fs';
import { InputError, UsageError } from '../errors.js';
import { DEFAULT_SIM_CONFIG, integrationUserFromEnv, QUOTA_ROUTES, type SimConfig } from './config.js';
import { parseRateRules } from './platform/rate-limit.js';

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
  {
    key: 'platform.clockOffsetMs',
    kind: 'number',
    help: "the instance's clock ahead of real time, ms (negative: behind): its Date headers and the offered_on checks follow it, as a skewed instance clock turns a caller's offered_on into refusals",
  },
  {
    key: 'platform.queueMaxWaitSec',
    kind: 'int',
    help: "an external queue's maximum wait, s: a work item still queued (never offered, or back after a rejection or an expiry) this long is cancelled with reason max_wait_time, as the connector never offered it (0: never; the value and the cancel reason's name are not published)",
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
