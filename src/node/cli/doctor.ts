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
import { K6_VERSION } from '../k6/binary.js';
import { projectRoot } from '../paths.js';
import { client } from '../influx/store.js';
import { ANALYSIS_OPTIONS, analysisTargets } from './analysis-flags.js';
import * as flag from './flags.js';
import type { Io } from './io.js';

export const DOCTOR_HELP = `usage: offerload doctor [--target URL] [--influx URL] [--influx-db NAME]

Checks k6 (${K6_VERSION}), InfluxDB (reachable, database present) and, with --target, the target: reachable,
credentials (OFFERLOAD_USERNAME/OFFERLOAD_PASSWORD or OFFERLOAD_TOKEN) accepted, the caller's roles. The
target check sends one Offer Work request for a document that cannot exist, which changes nothing.

examples:
  offerload doctor
  OFFERLOAD_USERNAME=ccaas OFFERLOAD_PASSWORD=... offerload doctor --target http://127.0.0.1:8080`;

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
  forbidden: (url) => ({ name: 'target', ok: false, detail: `${url}: forbidden (403): the caller's roles or ACLs refuse the Offer Work API` }),
};

async function targetCheck(target: URL, env: NodeJS.ProcessEnv): Promise<Check> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (env.OFFERLOAD_TOKEN) headers.Authorization = `Bearer ${env.OFFERLOAD_TOKEN}`;
  else if (env.OFFERLOAD_USERNAME) headers.Authorization = `Basic ${Buffer.from(`${env.OFFERLOAD_USERNAME}:${env.OFFERLOAD_PASSWORD ?? ''}`).toString('base64')}`;
  const res = await fetch(new URL(offerPath('interaction', '0'.repeat(32)), target), { method: 'POST', headers, body: '{}', signal: AbortSignal.timeout(10_000) }).catch(
    (e: Error) => e,
  );
  if (res instanceof Error) return { name: 'target', ok: false, detail: `${target.origin} is not reachable: ${res.message}` };
  const outcome = classify({ status: res.status, body: await res.text(), contentType: res.headers.get('content-type') });
  return (TARGET_VERDICTS[outcome] ?? ((url: string) => ({ name: 'target', ok: false, detail: `${url}: unexpected answer ${res.status} (${outcome})` })))(target.origin);
}

export async function doctorCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('--help')) {
    io.out(DOCTOR_HELP);
    return 0;
  }
  const { values: v } = flag.parseFlags('doctor', argv, { ...ANALYSIS_OPTIONS, target: { type: 'string' } });
  const { influx } = analysisTargets(v, io);
  const checks: Check[] = [k6Check(), await influxCheck(influx.url, influx.database)];
  if (v.target) {
    const target = flag.httpUrl('--target', v.target);
    checks.push(await targetCheck(target, io.env));
  } else checks.push({ name: 'target', ok: true, detail: 'not checked (no --target): runs use the embedded simulator' });
  if (io.json) io.out(JSON.stringify(checks));
  else for (const c of checks) io.out(`${c.ok ? 'ok  ' : 'FIX '} ${c.name.padEnd(9)} ${c.detail}`);
  return checks.every((c) => c.ok) ? 0 : 3;
}
