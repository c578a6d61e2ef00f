/**
 * Before any load: what the target's answers say about the plan. One Offer Work request for a document that
 * cannot exist (it changes nothing) carries the rate-limit rule's headers when a rule matches; a plan that
 * would send more in its hour than the rule allows is said so before it starts, and again in the summary.
 */
import { offerPath } from '../../shared/api.js';
import { busiestHour, profileCurve } from '../../shared/arrivals.js';
import { getProfile } from '../../shared/profiles.js';
import { requestsPerIteration, SCENARIOS } from '../../shared/scenarios.js';
import { targetAuth } from '../credentials.js';
import { ownTestid, WIRE_HEADERS } from '../../shared/wire.js';
import type { RateLimitPlan } from '../results/model.js';
import type { RunOptions } from './plan.js';

/** The rule a response names, from its X-RateLimit-* headers, or undefined when no rule matched. */
export function rateRuleOf(headers: Headers): { limit: number; rule: string; resetAt: string | null } | undefined {
  const limit = Number(headers.get('x-ratelimit-limit'));
  if (!headers.has('x-ratelimit-limit') || !Number.isFinite(limit)) return undefined;
  const reset = Number(headers.get('x-ratelimit-reset'));
  return {
    limit,
    rule: headers.get('x-ratelimit-rule') ?? '?',
    resetAt: Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000).toISOString() : null,
  };
}

/** Requests the plan sends in its busiest hour: all of them for a run of an hour or less. */
export function plannedPerHour(opts: RunOptions): number {
  const curve = profileCurve(getProfile(opts.profile), opts.params);
  return Math.round(busiestHour(curve) * requestsPerIteration(SCENARIOS[opts.scenario]!));
}

/** Probes the target's rate-limit rule and sets it against the plan; null when the target sends no rule. */
export async function rateLimitPlan(
  opts: RunOptions,
  targetUrl: string,
  creds: Readonly<Record<string, string>>,
): Promise<RateLimitPlan | null> {
  const testid = ownTestid(opts.testid, 'preflight');
  const auth = await targetAuth(creds, targetUrl, testid)
    .headers()
    .catch(() => undefined);
  if (!auth) return null;
  const res = await fetch(`${targetUrl}${offerPath('interaction', '0'.repeat(32))}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', [WIRE_HEADERS.testid]: testid, ...auth },
    body: '{}',
    signal: AbortSignal.timeout(10_000),
  }).catch(() => undefined);
  if (!res) return null;
  await res.body?.cancel();
  const rule = rateRuleOf(res.headers);
  if (!rule) return null;
  const planned = plannedPerHour(opts);
  return { rule: rule.rule, limit_per_hour: rule.limit, planned_per_hour: planned, over_budget: planned > rule.limit };
}
