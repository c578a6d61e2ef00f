/**
 * Inbound REST rate limiting as the platform counts it (neighbour-apis.md §7): rules per REST resource, for
 * one user, users with a role, or all users (user beats role beats all; among matching role rules the lowest
 * limit wins), counted per clock hour. Each node counts on its own and commits its counts every
 * `commitIntervalMs` (30 s on the platform); a request is judged against the committed count, so a burst
 * overshoots the limit until the next commit. Matched answers carry X-RateLimit-Limit/-Reset/-Rule (the rule's
 * sys_id); a denied request gets 429 with Retry-After.
 */
import { createHash } from 'node:crypto';

const HOUR_MS = 3_600_000;
const SCOPES = ['user', 'role', 'all'] as const;
/** Where a scope stands in precedence: a lower rank wins. */
const RANK: Record<RateRule['scope'], number> = { user: 0, role: 1, all: 2 };

export interface RateRule {
  /** the sys_rate_limit_rules record's sys_id, sent back in X-RateLimit-Rule */
  readonly sys_id: string;
  readonly scope: (typeof SCOPES)[number];
  /** user_name, for scope user */
  readonly user?: string;
  /** role name, for scope role */
  readonly role?: string;
  /** a simulator route name (offer, interaction, agents, inbox, consult, table) or '*' for every resource */
  readonly resource: string;
  readonly requestsPerHour: number;
}

/** A stable sys_id for a rule that names none (32 lowercase hex, from its content). */
function ruleSysId(rule: Omit<RateRule, 'sys_id'>): string {
  return createHash('sha256').update(JSON.stringify(rule)).digest('hex').slice(0, 32);
}

/** Reads a list of rules from JSON; throws naming the first thing that is wrong. */
export function parseRateRules(value: unknown): RateRule[] {
  if (!Array.isArray(value)) throw new Error(`expected a JSON list of rules, got ${JSON.stringify(value)}`);
  return value.map((raw: unknown, i) => {
    const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const where = `rule ${i + 1}`;
    if (!SCOPES.includes(r.scope as RateRule['scope']))
      throw new Error(`${where}: scope must be one of ${SCOPES.join(', ')}, got ${JSON.stringify(r.scope)}`);
    const scope = r.scope as RateRule['scope'];
    if (scope === 'user' && typeof r.user !== 'string')
      throw new Error(`${where}: a user rule needs "user" (a user_name)`);
    if (scope === 'role' && typeof r.role !== 'string')
      throw new Error(`${where}: a role rule needs "role" (a role name)`);
    const limit = r.requestsPerHour;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0)
      throw new Error(`${where}: requestsPerHour must be a whole number >= 0, got ${JSON.stringify(limit)}`);
    const resource = r.resource === undefined ? '*' : r.resource;
    if (typeof resource !== 'string' || resource === '')
      throw new Error(`${where}: resource must be a route name or "*", got ${JSON.stringify(r.resource)}`);
    if (r.sys_id !== undefined && !(typeof r.sys_id === 'string' && /^[0-9a-f]{32}$/.test(r.sys_id)))
      throw new Error(`${where}: sys_id must be 32 lowercase hex characters`);
    const rule = {
      scope,
      ...(scope === 'user' ? { user: r.user as string } : {}),
      ...(scope === 'role' ? { role: r.role as string } : {}),
      resource,
      requestsPerHour: limit,
    };
    return { sys_id: (r.sys_id as string | undefined) ?? ruleSysId(rule), ...rule };
  });
}

/** The simulator's rate-limit settings (its settings table: rateLimit.*). */
export interface RateLimitSettings {
  readonly enabled: boolean;
  /** the all-users rule over every resource, used when `rules` is empty */
  readonly requestsPerHour: number;
  /** how often each node commits its counts to the shared count (the platform: 30 s), ms */
  readonly commitIntervalMs: number;
  /** rules as in sys_rate_limit_rules */
  readonly rules: readonly RateRule[];
}

/** The rules in force: the configured ones, or one all-users rule over every resource. */
export function rulesOf(config: RateLimitSettings): RateRule[] {
  if (config.rules.length > 0) return [...config.rules];
  const rule = { scope: 'all' as const, resource: '*', requestsPerHour: config.requestsPerHour };
  return [{ sys_id: ruleSysId(rule), ...rule }];
}

/** The API name a denial's detail uses for a resource. */
const API_NAMES: Readonly<Record<string, string>> = {
  offer: 'AWA Offer Work API',
  interaction: 'Interaction Management API',
  agents: 'AWA Agent API',
  inbox: 'AWA Inbox Actions API',
  consult: 'AWA Agent Consult API',
  table: 'Table API',
};

export interface RateCaller {
  readonly user_name: string;
  readonly roles: readonly string[];
}

export interface RateDecision {
  readonly allowed: boolean;
  readonly headers: Record<string, string>;
  /** the denial's error detail, e.g. "Rate limit of 100 requests per hour for Table API exceeded" */
  readonly detail?: string;
}

export class RateLimiter {
  private readonly rules: readonly RateRule[];
  private hour = -1;
  private commitSlot = -1;
  /** rule|user -> requests committed this hour, all nodes */
  private readonly committed = new Map<string, number>();
  /** per node: rule|user -> requests counted since its last commit */
  private readonly pending: Map<string, number>[];
  readonly counts = { allowed: 0, denied: 0 };

  constructor(
    private readonly config: RateLimitSettings,
    nodes: number,
  ) {
    this.rules = rulesOf(config);
    this.pending = Array.from({ length: Math.max(1, nodes) }, () => new Map());
  }

  /** The rule that governs a caller on a resource, by the platform's precedence, or undefined. */
  ruleFor(caller: RateCaller, resource: string): RateRule | undefined {
    let best: RateRule | undefined;
    for (const rule of this.rules) {
      if (rule.resource !== '*' && rule.resource !== resource) continue;
      if (rule.scope === 'user' && rule.user !== caller.user_name) continue;
      if (rule.scope === 'role' && !caller.roles.includes(rule.role!)) continue;
      if (
        !best ||
        RANK[rule.scope] < RANK[best.scope] ||
        (RANK[rule.scope] === RANK[best.scope] && rule.requestsPerHour < best.requestsPerHour)
      )
        best = rule;
    }
    return best;
  }

  /** Moves every node's counts into the committed count when a commit is due; a new hour zeroes all. */
  private advance(now: number): void {
    const hour = Math.floor(now / HOUR_MS);
    if (hour !== this.hour) {
      this.hour = hour;
      this.committed.clear();
      for (const p of this.pending) p.clear();
    }
    const slot = this.config.commitIntervalMs > 0 ? Math.floor(now / this.config.commitIntervalMs) : now;
    if (slot === this.commitSlot && this.config.commitIntervalMs > 0) return;
    this.commitSlot = slot;
    for (const p of this.pending) {
      for (const [key, n] of p) this.committed.set(key, (this.committed.get(key) ?? 0) + n);
      p.clear();
    }
  }

  /** Counts one request of `caller` on `resource` at `node` (0-based) at `now` (epoch ms); undefined when no rule applies. */
  check(caller: RateCaller, resource: string, node: number, now: number): RateDecision | undefined {
    if (!this.config.enabled) return undefined;
    const rule = this.ruleFor(caller, resource);
    if (!rule) return undefined;
    this.advance(now);
    // a rule limits one REST resource: a '*' rule gives each resource its own count
    const key =
      rule.resource === '*' ? `${rule.sys_id}|${resource}|${caller.user_name}` : `${rule.sys_id}|${caller.user_name}`;
    const resetMs = (this.hour + 1) * HOUR_MS;
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(rule.requestsPerHour),
      'X-RateLimit-Reset': String(Math.floor(resetMs / 1000)),
      'X-RateLimit-Rule': rule.sys_id,
    };
    if ((this.committed.get(key) ?? 0) >= rule.requestsPerHour) {
      this.counts.denied++;
      const api = API_NAMES[resource] ?? 'REST API';
      return {
        allowed: false,
        headers: { ...headers, 'Retry-After': String(Math.max(1, Math.ceil((resetMs - now) / 1000))) },
        detail: `Rate limit of ${rule.requestsPerHour} requests per hour for ${api} exceeded`,
      };
    }
    const pending = this.pending[node % this.pending.length]!;
    pending.set(key, (pending.get(key) ?? 0) + 1);
    this.counts.allowed++;
    // committing at once (interval 0) makes the count exact
    if (this.config.commitIntervalMs === 0) this.advance(now);
    return { allowed: true, headers };
  }
}
