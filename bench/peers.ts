/**
 * The tools a performance engineer would pick instead of offerload, set up for the same job: the
 * hand-written k6 script (bench/scenarios/handwritten.ts) and Artillery (the npm package, installed by
 * `scripts/setup.sh --bench` into .tools/artillery, outside the project's dependencies), posting the same
 * offer body to the same route with the same authentication.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Fixtures } from '../src/shared/api.js';
import { projectRoot } from '../src/node/paths.js';

export const ARTILLERY_BIN = path.join(projectRoot, '.tools', 'artillery', 'node_modules', '.bin', 'artillery');

/** Artillery's version, or undefined when `scripts/setup.sh --bench` has not installed it. */
export function artilleryVersion(): string | undefined {
  if (!existsSync(ARTILLERY_BIN)) return undefined;
  const r = spawnSync(ARTILLERY_BIN, ['version'], {
    encoding: 'utf8',
    env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true' },
  });
  return /Artillery:\s*(\S+)/.exec(r.stdout)?.[1];
}

/** What both peers pick their requests from: the simulator's documents, Available agents and queues. */
export function peerData(fixtures: Fixtures): {
  documents: { table: string; sys_id: string }[];
  agents: string[];
  queues: string[];
} {
  return {
    documents: fixtures.documents.map((d) => ({ table: d.table, sys_id: d.sys_id })),
    agents: fixtures.agents.filter((a) => a.presence === 'Available').map((a) => a.sys_id),
    queues: fixtures.queues.map((q) => q.sys_id),
  };
}

/**
 * Writes an Artillery config for `vus` virtual users, each looping offers for `seconds` (a closed model like
 * k6's --vus/--duration); with `classify`, each answer is parsed and counted per reason (the processor's hook),
 * without it Artillery reports only what it counts itself: status codes and response times.
 */
export function artilleryConfig(
  dir: string,
  target: string,
  fixtures: Fixtures,
  auth: string,
  opts: { vus: number; classify: boolean },
): string {
  const dataPath = path.join(dir, 'artillery-data.json');
  writeFileSync(dataPath, JSON.stringify(peerData(fixtures)));
  const post = {
    url: '/api/now/awa/documents/{{ table }}/{{ document }}/offer',
    headers: { Accept: 'application/json', Authorization: auth },
    json: {
      external_segment_id: '{{ segment }}',
      queue_id: '{{ queue }}',
      assignment: {
        agent_sys_id: '{{ agent }}',
        allowed_to_decline: true,
        enable_auto_assign: false,
        timeout: 30,
        offered_on: '{{ offered_on }}',
      },
    },
    ...(opts.classify ? { afterResponse: 'classify' } : {}),
  };
  const config = {
    config: {
      target,
      processor: path.join(projectRoot, 'bench', 'artillery', 'processor.cjs'),
      // all VUs arrive in the first second, then each loops until the processor's deadline
      phases: [{ duration: 1, arrivalCount: opts.vus }],
      http: { timeout: 60 },
    },
    scenarios: [{ name: 'offer', flow: [{ loop: [{ function: 'pickOffer' }, { post }], whileTrue: 'running' }] }],
  };
  const file = path.join(dir, `artillery-${opts.classify ? 'classify' : 'codes'}.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** Runs Artillery on a config to its end (reaped, so its CPU shows in this process's children's times). */
export function runArtillery(
  config: string,
  seconds: number,
): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(
    ARTILLERY_BIN,
    [
      'run',
      '--quiet',
      ...(process.env.BENCH_ARTILLERY_OUTPUT ? ['--output', process.env.BENCH_ARTILLERY_OUTPUT] : []),
      config,
    ],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        ARTILLERY_DISABLE_TELEMETRY: 'true',
        BENCH_ARTILLERY_DATA: path.join(path.dirname(config), 'artillery-data.json'),
        BENCH_SECONDS: String(seconds),
      },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}
