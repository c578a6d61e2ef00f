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
import { targetAuth } from '../credentials.js';
import { rateRuleOf } from '../run/preflight.js';
import { DEFAULT_SESSION_MODE, SESSION_MODES, type SessionMode } from '../../shared/sessions.js';
import { K6_PROCESS_ENV, K6_VERSION } from '../k6/binary.js';
import { projectRoot } from '../paths.js';
import { databaseExists, type InfluxTarget } from '../influx/store.js';
import { serverInfo } from '../influx/detect.js';
import { ANALYSIS_FLAGS, ANALYSIS_HELP, analysisTargets } from './analysis-flags.js';
import { type Flag, flagsHelp, flagValue, parserOptions } from '../flag-table.js';
import * as flag from './flags.js';
import type { Io } from '../io.js';
import { planRun } from '../run/plan.js';
import { planChecks, type Check } from './doctor-plan.js';

/** doctor's own flags; where runs are (InfluxDB, config) come from WHERE_RUNS_ARE, and the plan's as run reads them. */
const DOCTOR_FLAGS = [
  {
    name: 'target',
    type: 'string',
    arg: 'URL|NAME',
    help: 'the target to check, as for run (a config target and its guardrails)',
    defaultText: 'none: runs use the embedded simulator',
  },
  {
    name: 'rate',
    type: 'string',
    arg: 'N',
    help: 'the peak requests per second a run will send: checked against the rate-limit rule',
  },
  {
    name: 'scenario',
    type: 'string',
    arg: 'NAME',
    help: 'the planned run, with --profile, --rate and --duration as for run: its agents (awa_agent and awa_external_user), queues, presence states and active documents are found through the Table API and set against what it needs, and what it will create on the target is listed',
    default: 'offer-burst',
  },
  { name: 'profile', type: 'string', arg: 'NAME', help: "the planned run's profile", defaultText: "the scenario's" },
  { name: 'duration', type: 'string', arg: 'D', help: "the planned run's length", defaultText: "the profile's" },
  {
    name: 'sessions',
    type: 'string',
    arg: 'MODE',
    help: 'reuse or per-request: what the run will cost the instance in sessions',
    default: DEFAULT_SESSION_MODE,
  },
  { name: 'production', type: 'boolean', help: 'allow a target the config marks as production' },
] as const satisfies readonly Flag[];
const DOCTOR_TABLE = [...DOCTOR_FLAGS, ...ANALYSIS_FLAGS] as const;

export const DOCTOR_HELP = `usage: offerload doctor [--target URL|NAME] [--scenario NAME] [--profile NAME] [--rate N] [--duration D] [--sessions MODE] [--influx URL] [--influx-db NAME]

Checks k6 (${K6_VERSION}), InfluxDB (reachable, database present) and, with --target, the target: reachable,
credentials (OFFERLOAD_USERNAME/OFFERLOAD_PASSWORD, OFFERLOAD_TOKEN, or OAuth client credentials
OFFERLOAD_OAUTH_CLIENT_ID/OFFERLOAD_OAUTH_CLIENT_SECRET, whose token doctor fetches first) accepted, the caller's roles, whether
the AWA routes answer (403 when glide.awa.enabled is off), and the rate-limit rule its answers carry. The
target checks send one Offer Work request for a document that cannot exist and one Agent API read of a user
that cannot exist, which change nothing.

${flagsHelp(DOCTOR_FLAGS)}
${ANALYSIS_HELP}

examples:
  offerload doctor
  OFFERLOAD_USERNAME=ccaas OFFERLOAD_PASSWORD=... offerload doctor --target http://127.0.0.1:8080 --rate 40`;

function k6Check(): Check {
  for (const candidate of [path.join(projectRoot, '.tools', 'bin', 'k6'), 'k6']) {
    if (candidate.includes('/') && !existsSync(candidate)) continue;
    const r = spawnSync(candidate, ['version'], { encoding: 'utf8', env: { ...process.env, ...K6_PROCESS_ENV } });
    if (r.status === 0) {
      const ok = r.stdout.startsWith(`k6 ${K6_VERSION} `);
      return {
        name: 'k6',
        ok,
        detail: ok
          ? `${r.stdout.trim()} (${candidate})`
          : `${r.stdout.trim()}: offerload needs ${K6_VERSION}; run 'bash scripts/install-k6.sh'`,
      };
    }
  }
  return {
    name: 'k6',
    ok: false,
    detail: `not found: run 'bash scripts/install-k6.sh' (builds ${K6_VERSION} with Go)`,
  };
}

/** One row: which InfluxDB answers (from /ping's headers, or forced), whether the database is there, what that means for a soak. */
async function influxCheck(t: InfluxTarget): Promise<Check> {
  const info = await serverInfo(t).catch((e: Error) => e);
  if (info instanceof Error)
    return {
      name: 'influxdb',
      ok: false,
      detail: `${t.url}: ${info.message}: 'npx offerload influx start', or pass --influx URL`,
    };
  const server = `${info.flavour.label}${info.version ? ` ${info.version}` : ''}${info.build ? ` ${info.build}` : ''}${info.forced ? ', flavour forced' : ''}`;
  const exists = await databaseExists(t).catch((e: Error) => e);
  if (exists instanceof Error)
    return { name: 'influxdb', ok: false, detail: `${t.url} (${server}): ${exists.message}` };
  if (!exists && !info.flavour.createsOnWrite)
    return {
      name: 'influxdb',
      ok: false,
      detail: `${t.url} (${server}) has ${info.flavour.missingDatabase(t.database)}`,
    };
  return {
    name: 'influxdb',
    ok: true,
    detail: `${t.url} (${server}), database ${t.database}${exists ? '' : ' (made on first write)'}; for a soak: ${info.flavour.soakNote}`,
  };
}

/** What the target's answer to an offer for a document that cannot exist says about reach, credentials and roles. */
const TARGET_VERDICTS: Record<string, (url: string) => Check> = {
  not_found: (url) => ({
    name: 'target',
    ok: true,
    detail: `${url}: reachable, credentials accepted, caller may use the Offer Work API`,
  }),
  caller_role: (url) => ({
    name: 'target',
    ok: false,
    detail: `${url}: the caller lacks awa_manager and awa_integration_user: grant one of them`,
  }),
  forbidden: (url) => ({
    name: 'target',
    ok: false,
    detail: `${url}: forbidden (403): Advanced Work Assignment may be off (set glide.awa.enabled to true), or the caller's roles or ACLs refuse the Offer Work API`,
  }),
  session_busy: (url) => ({
    name: 'target',
    ok: false,
    detail: `${url}: 202: the session had max waiters queued (com.glide.request.max_waiters): another client shares these cookies`,
  }),
};

/** The Agent API's answer for a user that cannot exist: 404 when AWA answers, 403 when it is off (or the role is missing). */
const AWA_VERDICTS: Record<number, (url: string) => Check> = {
  404: (url) => ({ name: 'awa', ok: true, detail: `${url}: the AWA routes answer (glide.awa.enabled)` }),
  403: (url) => ({
    name: 'awa',
    ok: false,
    detail: `${url}: the AWA routes answer 403: set glide.awa.enabled to true, or grant the caller awa_integration_user`,
  }),
};

/** The rate-limit rule an answer carries, against the planned rate. */
function rateLimitCheck(res: Response, rate: number | undefined): Check {
  const found = rateRuleOf(res.headers);
  if (!found)
    return {
      name: 'ratelimit',
      ok: true,
      detail: 'no rate-limit rule matched the Offer Work probe (no X-RateLimit-* headers)',
    };
  const perHour = found.limit;
  const base = `rule ${found.rule}: ${perHour} requests/hour (about ${(perHour / 3600).toFixed(2)}/s sustained), resets ${found.resetAt ?? '?'}`;
  if (rate === undefined)
    return { name: 'ratelimit', ok: true, detail: `${base}; pass --rate to check a run's plan against it` };
  const planned = Math.round(rate * 3600);
  return planned > perHour
    ? {
        name: 'ratelimit',
        ok: false,
        detail: `${base}: a run at ${rate}/s sends ${planned}/h, over the budget: 429s start within the hour (lower --rate or ask for a higher limit)`,
      }
    : { name: 'ratelimit', ok: true, detail: `${base}: a run at ${rate}/s sends ${planned}/h, within it` };
}

async function targetChecks(target: URL, env: NodeJS.ProcessEnv, rate: number | undefined): Promise<Check[]> {
  const auth = targetAuth(env, target.origin + target.pathname);
  const authorization = await auth.headers().catch((e: Error) => e);
  if (authorization instanceof Error)
    return [{ name: 'target', ok: false, detail: `${target.origin}: ${authorization.message}` }];
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json', ...authorization };
  const res = await fetch(new URL(offerPath('interaction', '0'.repeat(32)), target), {
    method: 'POST',
    headers,
    body: '{}',
    signal: AbortSignal.timeout(10_000),
  }).catch((e: Error) => e);
  if (res instanceof Error)
    return [{ name: 'target', ok: false, detail: `${target.origin} is not reachable: ${res.message}` }];
  const outcome = classify({
    status: res.status,
    body: await res.text(),
    contentType: res.headers.get('content-type'),
  });
  const verdict = (
    TARGET_VERDICTS[outcome] ??
    ((url: string) => ({ name: 'target', ok: false, detail: `${url}: unexpected answer ${res.status} (${outcome})` }))
  )(target.origin);
  if (outcome === 'unauthorized')
    return [{ name: 'target', ok: false, detail: `${target.origin}: credentials refused (401): ${auth.hint}` }];
  const agent = await fetch(new URL(`/api/now/awa/agents/${'0'.repeat(32)}`, target), {
    headers,
    signal: AbortSignal.timeout(10_000),
  }).catch((e: Error) => e);
  const awa =
    agent instanceof Error
      ? { name: 'awa', ok: false, detail: `${target.origin}: the Agent API did not answer: ${agent.message}` }
      : (
          AWA_VERDICTS[agent.status] ??
          ((url: string) => ({
            name: 'awa',
            ok: false,
            detail: `${url}: the Agent API answered ${agent.status}, not the 404 a missing user gets`,
          }))
        )(target.origin);
  if (!(agent instanceof Error)) await agent.body?.cancel();
  return [verdict, awa, rateLimitCheck(res, rate)];
}

/** What the run's session mode costs the instance. */
function sessionsCheck(mode: SessionMode, rate: number | undefined): Check {
  const perSecond = rate === undefined ? 'one per request' : `about ${Math.round(rate)}/s`;
  return mode === 'reuse'
    ? {
        name: 'sessions',
        ok: true,
        detail: 'reuse: each VU keeps its cookies, at most one session per VU (again after an idle timeout)',
      }
    : {
        name: 'sessions',
        ok: true,
        detail: `per-request: a new session for every request (${perSecond}), each holding memory until glide.integration.session_timeout ends it`,
      };
}

export async function doctorCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('--help')) {
    io.out(DOCTOR_HELP);
    return 0;
  }
  const { values: v } = flag.parseFlags('doctor', argv, parserOptions(DOCTOR_TABLE));
  const { influx } = analysisTargets(v, io);
  const rate = v.rate === undefined ? undefined : flag.positiveNumber('--rate', v.rate, 'requests per second');
  const sessions = flag.oneOf('--sessions', flagValue(DOCTOR_TABLE, v, 'sessions')!, SESSION_MODES);
  const checks: Check[] = [k6Check(), await influxCheck(influx)];
  if (v.target) {
    // the planned run, with run's own guardrails (allowed targets, production, max_rate)
    const plan = planRun(
      {
        target: v.target,
        rate: v.rate,
        profile: v.profile,
        duration: v.duration,
        sessions: v.sessions,
        config: v.config,
        production: v.production,
        influx: 'http://127.0.0.1:8086',
      },
      [flagValue(DOCTOR_TABLE, v, 'scenario')!],
      io.env,
    );
    const target = plan.target!;
    const env = { ...io.env, ...plan.credentials };
    checks.push(...(await targetChecks(target, env, rate)));
    if (checks.at(-1)?.name !== 'target' || checks.at(-1)?.ok)
      checks.push(...(await planChecks(plan, target.origin + target.pathname.replace(/\/+$/, ''), env)));
  } else
    checks.push({ name: 'target', ok: true, detail: 'not checked (no --target): runs use the embedded simulator' });
  checks.push(sessionsCheck(sessions, rate));
  if (io.json) io.out(JSON.stringify(checks));
  else for (const c of checks) io.out(`${c.ok ? 'ok  ' : 'FIX '} ${c.name.padEnd(9)} ${c.detail}`);
  return checks.every((c) => c.ok) ? 0 : 3;
}
