/**
 * The simulator's fast-mode throughput against a bare node:http server answering a canned JSON body,
 * both driven by the same load generator (wrk, C, far cheaper than the servers) in the same run, rounds
 * alternating so the machine's noise falls on both. Each server runs in its own process, as the real
 * `offerload sim` does. Result: sim_vs_node_ratio = sim requests/s / bare requests/s (median of rounds).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Fixtures } from '../src/shared/api.js';
import { projectRoot } from '../src/node/paths.js';

const OUT = path.join(projectRoot, 'bench', 'out');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 32;
const CREDS = { OFFERLOAD_USERNAME: 'bench', OFFERLOAD_PASSWORD: 'bench-only' };

function startServer(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: projectRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.once('data', (c: Buffer) => resolve({ url: c.toString().split('\n')[0]!.trim(), child }));
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

/** A wrk Lua script that posts valid offers over many documents, each to one Available agent. */
function luaScript(fixtures: Fixtures): string {
  const agents = fixtures.agents.filter((a) => a.presence === 'Available');
  const queue = fixtures.queues[0]!.sys_id;
  const paths = fixtures.documents.slice(0, 2000).map((d, i) => {
    const body = JSON.stringify({
      queue_id: queue,
      external_segment_id: `segment_${d.sys_id}`,
      assignment: { agent_sys_id: agents[i % agents.length]!.sys_id, allowed_to_decline: true },
    });
    return `{"/api/now/awa/documents/${d.table}/${d.sys_id}/offer", ${JSON.stringify(body)}}`;
  });
  const auth = Buffer.from(`${CREDS.OFFERLOAD_USERNAME}:${CREDS.OFFERLOAD_PASSWORD}`).toString('base64');
  return [
    `local reqs = {${paths.join(',\n')}}`,
    'local i = 0',
    'wrk.method = "POST"',
    'wrk.headers["Content-Type"] = "application/json"',
    'wrk.headers["Accept"] = "application/json"',
    `wrk.headers["Authorization"] = "Basic ${auth}"`,
    'request = function()',
    '  i = i % #reqs + 1',
    '  return wrk.format(nil, reqs[i][1], nil, reqs[i][2])',
    'end',
    'done = function(summary, latency, requests)',
    '  io.write(string.format("RESULT %d %d %d\\n", summary.requests, summary.duration, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))',
    'end',
  ].join('\n');
}

function wrk(url: string, script: string, seconds = SECONDS): { rps: number; errors: number } {
  const r = spawnSync('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '-s', script, url], { encoding: 'utf8' });
  const m = /RESULT (\d+) (\d+) (\d+)/.exec(r.stdout);
  if (!m) throw new Error(`wrk gave no result: ${r.stderr || r.stdout}`);
  return { rps: Number(m[1]) / (Number(m[2]) / 1e6), errors: Number(m[3]) };
}

export async function simThroughput(): Promise<Record<string, unknown>> {
  if (spawnSync('sh', ['-c', 'command -v wrk']).status !== 0)
    throw new Error("wrk is missing: 'apt-get install wrk' (scripts/setup.sh --bench does it)");
  const bin = path.join(projectRoot, 'bin', 'offerload.js');
  const sim = await startServer([bin, 'sim', '--capacity.fast', 'true', '--agents.mode', 'external'], CREDS);
  const bare = await startServer(['--import', 'tsx', path.join(projectRoot, 'bench', 'servers', 'bare-node.ts')]);
  try {
    const fixtures = (await (await fetch(`${sim.url}/sim/fixtures`)).json()) as Fixtures;
    const script = path.join(OUT, 'offers.lua');
    writeFileSync(script, luaScript(fixtures));
    const runs: Record<'sim' | 'bare', { rps: number; errors: number }[]> = { sim: [], bare: [] };
    // warm-up: let both JITs settle before anything is counted
    wrk(bare.url, script, 2);
    wrk(sim.url, script, 2);
    for (let r = 0; r < ROUNDS; r++) {
      runs.bare.push(wrk(bare.url, script));
      runs.sim.push(wrk(sim.url, script));
    }
    const stats = (await (await fetch(`${sim.url}/sim/stats`)).json()) as {
      received: { routes: { offer: { outcomes: Record<string, number> } } };
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const simRps = median(runs.sim.map((x) => x.rps));
    const bareRps = median(runs.bare.map((x) => x.rps));
    return {
      sim_rps: Math.round(simRps),
      bare_node_rps: Math.round(bareRps),
      sim_vs_node_ratio: Number((simRps / bareRps).toFixed(3)),
      sim_vs_node_spread: runs.sim.map((s, i) => Number((s.rps / runs.bare[i]!.rps).toFixed(3))),
      sim_errors: runs.sim.reduce((a, x) => a + x.errors, 0),
      sim_outcomes: stats.received.routes.offer.outcomes,
      rounds: ROUNDS,
      seconds: SECONDS,
      connections: CONNECTIONS,
    };
  } finally {
    sim.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
  }
}
