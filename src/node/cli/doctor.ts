/**
 * `offerload doctor`: checks what a run needs, each check one row: k6 at the pinned version, InfluxDB
 * reachable with the database, and the target: reachable, credentials accepted, caller roles. Says what
 * to fix; exit 3 when anything is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { offerPath } from '../../shared/api.js';
import { classify } from '../../shared/outcome.js';
import { authorization } from '../credentials.js';
import { rateRuleOf } from '../run/preflight.js';
import { DEFAULT_SESSION_MODE, SESSION_MODES, type SessionMode } from '../../shared/sessions.js';
import { K6_VERSION } from '../k6/binary.js';
import { projectRoot } from '../paths.js';
import { client } from '../influx/store.js';
import { ANALYSIS_OPTIONS, analysisTargets } from './analysis-flags.js';
import * as flag from './flags.js';
import type { Io } from '../io.js';

export const DOCTOR_HELP = `usage: offerload doctor [--target URL] [--rate N] [--sessions MODE] [--influx URL] [--influx-db NAME]

Checks k6 (${K6_VERSION}), InfluxDB (reachable, database present) and, with --target, the target: reachable,
credentials (OFFERLOAD_USERNAME/OFFERLOAD_PASSWORD or OFFERLOAD_TOKEN) accepted, the caller's roles, whether
the AWA routes answer (403 when glide.awa.enabled is off), and the rate-limit rule its answers carry. The
target checks send one Offer Work request for a document that cannot exist and one Agent API read of a user
that cannot exist, which change nothing.

  --rate N             the peak requests per second a run will send: checked against the rate-limit rule
  --sessions MODE      reuse (default) or per-request: what the run will cost the instance in sessions

examples:
  offerload doctor
  OFFERLOAD_USERNAME=ccaas OFFERLOAD_PASSWORD=... offerload doctor --target http://127.0.0.1:8080 --rate 40`;

interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

function k6Check(): Check {
  for (const candidate of [path.join(projectRoot, '.tools', 'bin', 'k6'), 'k6']) {
    if (candidate.includes('/') && !existsSync(candidate)) continue;
    const r = spawnSync(candidate, ['version'], { encoding: 'utf8' });
    if (r.status === 0) {
      const ok = r.stdout.startsWith(`k6 ${K6_VERSION} `);
      return { name: 'k6', ok, detail: ok ? `${r.stdout.trim()} (${candidate})` : `${r.stdout.trim()}: offerload needs ${K6_VERSION}; run 'bash scripts/install-k6.sh'` };
    }
  }
  return { name: 'k6', ok: false, detail: `not found: run 'bash scripts/install-k6.sh' (builds ${K6_VERSION} with Go)` };
}

async function influxCheck(url: string, database: string): Promise<Check> {
  const ping = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(3000) }).catch(() => undefined);
  if (ping?.status !== 204) return { name: 'influxdb', ok: false, detail: `${url} does not answer /ping: 'npx offerload influx start', or pass --influx URL` };
  const names = await client({ url, database }).getDatabaseNames();
  return names.includes(database)
    ? { name: 'influxdb', ok: true, detail: `${url}, database ${database} (version ${ping.headers.get('x-influxdb-version') ?? '?'})` }
    : { name: 'influxdb', ok: false, detail: `${url} has no database ${database}: 'npx offerload influx setup'` };
}

/** What the target's answer to an offer for a document that cannot exist says about reach, credentials and roles. */
const TARGET_VERDICTS: Record<string, (url: string) => Check> = {
  not_found: (url) => ({ name: 'target', ok: true, detail: `${url}: reachable, credentials accepted, caller may use the Offer Work API` }),
  unauthorized: (url) => ({ name: 'target', ok: false, detail: `${url}: credentials refused (401): check OFFERLOAD_USERNAME/OFFERLOAD_PASSWORD or OFFERLOAD_TOKEN` }),
  caller_role: (url) => ({ name: 'target', ok: false, detail: `${url}: the caller lacks awa_manager and awa_integration_user: grant one of them` }),
  forbidden: (url) => ({
    name: 'target',
    ok: false,
    detail: `${url}: forbidden (403): Advanced Work Assignment may be off (set glide.awa.enabled to true), or the caller's roles or ACLs refuse the Offer Work API`,
  }),
  session_busy: (url) => ({ name: 'target', ok: false, detail: `${url}: 202: the session had max waiters queued (com.glide.request.max_waiters): another client shares these cookies` }),
};

/** The Agent API's answer for a user that cannot exist: 404 when AWA answers, 403 when it is off (or the role is missing). */
const AWA_VERDICTS: Record<number, (url: string) => Check> = {
  404: (url) => ({ name: 'awa', ok: true, detail: `${url}: the AWA routes answer (glide.awa.enabled)` }),
  403: (url) => ({ name: 'awa', ok: false, detail: `${url}: the AWA routes answer 403: set glide.awa.enabled to true, or grant the caller awa_integration_user` }),
};

function authHeaders(env: NodeJS.ProcessEnv): Record<string, string> {
  return { 'Content-Type': 'application/json', Accept: 'application/json', ...authorization(env) };
}

/** The rate-limit rule an answer carries, against the planned rate. */
function rateLimitCheck(res: Response, rate: number | undefined): Check {
  const found = rateRuleOf(res.headers);
  if (!found) return { name: 'ratelimit', ok: true, detail: 'no rate-limit rule matched the Offer Work probe (no X-RateLimit-* headers)' };
  const perHour = found.limit;
  const base = `rule ${found.rule}: ${perHour} requests/hour (about ${(perHour / 3600).toFixed(2)}/s sustained), resets ${found.resetAt ?? '?'}`;
  if (rate === undefined) return { name: 'ratelimit', ok: true, detail: `${base}; pass --rate to check a run's plan against it` };
  const planned = Math.round(rate * 3600);
  return planned > perHour
    ? { name: 'ratelimit', ok: false, detail: `${base}: a run at ${rate}/s sends ${planned}/h, over the budget: 429s start within the hour (lower --rate or ask for a higher limit)` }
    : { name: 'ratelimit', ok: true, detail: `${base}: a run at ${rate}/s sends ${planned}/h, within it` };
}

async function targetChecks(target: URL, env: NodeJS.ProcessEnv, rate: number | undefined): Promise<Check[]> {
  const headers = authHeaders(env);
  const res = await fetch(new URL(offerPath('interaction', '0'.repeat(32)), target), { method: 'POST', headers, body: '{}', signal: AbortSignal.timeout(10_000) }).catch(
    (e: Error) => e,
  );
  if (res instanceof Error) return [{ name: 'target', ok: false, detail: `${target.origin} is not reachable: ${res.message}` }];
  const outcome = classify({ status: res.status, body: await res.text(), contentType: res.headers.get('content-type') });
  const verdict = (TARGET_VERDICTS[outcome] ?? ((url: string) => ({ name: 'target', ok: false, detail: `${url}: unexpected answer ${res.status} (${outcome})` })))(target.origin);
  if (outcome === 'unauthorized') return [verdict];
  const agent = await fetch(new URL(`/api/now/awa/agents/${'0'.repeat(32)}`, target), { headers, signal: AbortSignal.timeout(10_000) }).catch((e: Error) => e);
  const awa = agent instanceof Error
    ? { name: 'awa', ok: false, detail: `${target.origin}: the Agent API did not answer: ${agent.message}` }
    : (AWA_VERDICTS[agent.status] ?? ((url: string) => ({ name: 'awa', ok: false, detail: `${url}: the Agent API answered ${agent.status}, not the 404 a missing user gets` })))(target.origin);
  if (!(agent instanceof Error)) await agent.body?.cancel();
  return [verdict, awa, rateLimitCheck(res, rate)];
}

/** What the run's session mode costs the instance. */
function sessionsCheck(mode: SessionMode, rate: number | undefined): Check {
  const perSecond = rate === undefined ? 'one per request' : `about ${Math.round(rate)}/s`;
  return mode === 'reuse'
    ? { name: 'sessions', ok: true, detail: 'reuse: each VU keeps its cookies, at most one session per VU (again after an idle timeout)' }
    : { name: 'sessions', ok: true, detail: `per-request: a new session for every request (${perSecond}), each holding memory until glide.integration.session_timeout ends it` };
}

export async function doctorCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('--help')) {
    io.out(DOCTOR_HELP);
    return 0;
  }
  const { values: v } = flag.parseFlags('doctor', argv, { ...ANALYSIS_OPTIONS, target: { type: 'string' }, rate: { type: 'string' }, sessions: { type: 'string' } });
  const { influx } = analysisTargets(v, io);
  const rate = v.rate === undefined ? undefined : flag.positiveNumber('--rate', v.rate, 'requests per second');
  const sessions = v.sessions === undefined ? DEFAULT_SESSION_MODE : flag.oneOf('--sessions', v.sessions, SESSION_MODES);
  const checks: Check[] = [k6Check(), await influxCheck(influx.url, influx.database)];
  if (v.target) {
    const target = flag.httpUrl('--target', v.target);
    checks.push(...(await targetChecks(target, io.env, rate)));
  } else checks.push({ name: 'target', ok: true, detail: 'not checked (no --target): runs use the embedded simulator' });
  checks.push(sessionsCheck(sessions, rate));
  if (io.json) io.out(JSON.stringify(checks));
  else for (const c of checks) io.out(`${c.ok ? 'ok  ' : 'FIX '} ${c.name.padEnd(9)} ${c.detail}`);
  return checks.every((c) => c.ok) ? 0 : 3;
}
