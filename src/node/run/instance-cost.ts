/**
 * What a run cost the instance beyond its requests: the sessions it made the platform create (and the 202s
 * when one session had too many waiting), and how much of the tightest rate-limit rule it saw it used.
 * Both are summary sections, read from k6's end-of-test data or, for scenarios summarised from InfluxDB,
 * from the stored points.
 */
import { MEASUREMENTS } from '../../shared/measurements.js';
import { SCENARIOS } from '../../shared/scenarios.js';
import { plannedSessions, type SessionMode } from '../../shared/sessions.js';
import { getProfile, peakRate, vusFor, type ProfileParams } from '../../shared/profiles.js';
import { query, stringLit } from '../influx/client.js';
import type { InfluxTarget } from '../influx/connection.js';
import type { K6SummaryData } from '../results/summary.js';
import type { OperationSummary, RunSummary } from '../results/model.js';

export interface CostContext {
  readonly scenario: string;
  readonly testid: string;
  readonly profile: string;
  readonly sessions: SessionMode;
  readonly params: ProfileParams;
  readonly data: K6SummaryData | undefined;
  readonly influx: InfluxTarget | undefined;
  readonly targetUrl: string;
  readonly operations: Readonly<Record<string, OperationSummary>>;
  readonly seconds: number;
}

async function influxValue(
  influx: InfluxTarget,
  testid: string,
  select: string,
  measurement: string,
): Promise<number | null> {
  const rows = (await query(
    influx,
    `SELECT ${select} AS v FROM "${measurement}" WHERE "testid" = ${stringLit(testid)}`,
  )) as unknown as { v: number }[];
  return typeof rows[0]?.v === 'number' ? rows[0].v : null;
}

/** A counter's count or a gauge's min, from k6's data or InfluxDB. */
async function metric(c: CostContext, name: string, stat: 'count' | 'min'): Promise<number | null> {
  const values = c.data?.metrics[name]?.values;
  if (c.data) return values?.[stat] ?? (stat === 'count' ? 0 : null);
  if (!c.influx) return null;
  return influxValue(c.influx, c.testid, stat === 'count' ? 'sum("value")' : 'min("value")', name);
}

/** Sessions the target created for this run, and the requests it ignored with 202. */
export async function sessionsSection(c: CostContext): Promise<Pick<RunSummary, 'sessions'>> {
  const created = (await metric(c, MEASUREMENTS.sessionsCreated, 'count')) ?? 0;
  const busy = Object.values(c.operations).reduce((a, o) => a + (o.outcomes.session_busy ?? 0), 0);
  const res = await fetch(`${c.targetUrl}/sim/stats?testid=${encodeURIComponent(c.testid)}`).catch(() => undefined);
  const onTarget = res?.ok
    ? (((await res.json()) as { sessions?: { created_by_run?: number } }).sessions?.created_by_run ?? null)
    : null;
  const requests = Object.values(c.operations).reduce((a, o) => a + o.requests, 0);
  const maxVUs = vusFor(peakRate(getProfile(c.profile), c.params), SCENARIOS[c.scenario]!.iterationSec).maxVUs;
  return {
    sessions: {
      mode: c.sessions,
      created,
      created_per_s: c.seconds > 0 ? Math.round((created / c.seconds) * 100) / 100 : 0,
      created_on_target: onTarget,
      per_request: requests > 0 ? Math.round((created / requests) * 1000) / 1000 : 0,
      planned_at_most: plannedSessions(c.sessions, { maxVUs, requests }),
      session_busy_202: busy,
    },
  };
}

/** The tightest X-RateLimit-Limit the run saw, and what its requests used of it per hour. */
export async function rateLimitSection(c: CostContext): Promise<Pick<RunSummary, 'rate_limit'>> {
  const limit = await metric(c, MEASUREMENTS.rateLimitLimit, 'min');
  const counted = (await metric(c, MEASUREMENTS.rateLimitCounted, 'count')) ?? 0;
  if (limit === null || counted === 0) return { rate_limit: null };
  const perHour = c.seconds > 0 ? Math.round((counted / c.seconds) * 3600) : counted;
  return {
    rate_limit: {
      tightest_limit_per_hour: limit,
      requests_counted: counted,
      // the headers give no remaining count: this run's own requests are subtracted, others' are unknown
      remaining_at_most: Math.max(0, limit - counted),
      used_per_hour_at_this_rate: perHour,
      over_budget: perHour > limit,
    },
  };
}
