/**
 * A/B of offer-burst bundles, for measuring one change to the request path on its own: k6's CPU per request and
 * requests/s, alternating rounds against the fast simulator reset before each run.
 *   node --import tsx bench/build-bundle.mjs scenarios/offer-burst.ts /tmp/ab/a.js     (before the change; again after, to b.js)
 *   AB_ROUNDS=4 node --import tsx bench/ab-bundles.ts before=/tmp/ab/a.js after=/tmp/ab/b.js [with-records=/tmp/ab/a.js=records]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Fixtures } from '../src/shared/api.js';
import { buildPool, DEFAULT_POOL_OPTIONS } from '../src/node/data/pool.js';
import { ensureK6 } from '../src/node/k6/binary.js';
import { poolFileText } from '../src/shared/pool.js';
import { spawn } from 'node:child_process';
import { childCpuMs, CREDS, received, SECONDS, startSim, VUS } from './harness.js';
import { openControl } from '../src/node/k6/control.js';
import { controlSecretSource } from '../src/shared/control.js';

// name=file[=records|=control]: records on (k6's console output to a file), or the drain channel served and read as in a run
const variants = process.argv.slice(2).map((a) => {
  const [name, file, mode] = a.split('=');
  return { name: name!, file: file!, records: mode === 'records', control: mode === 'control' };
});
const control = await openControl();

/** k6 as the harness runs it, but without blocking this process: the drain channel it serves must answer. */
function k6RunAsync(k6: string, script: string, env: Record<string, string>, extra: string[]): Promise<void> {
  const child = spawn(
    k6,
    [
      'run',
      '-q',
      '--no-usage-report',
      '--address',
      '127.0.0.1:0',
      '--vus',
      String(VUS),
      '--duration',
      `${SECONDS}s`,
      ...extra,
      script,
    ],
    { env: { ...process.env, ...CREDS, ...env }, stdio: 'ignore' },
  );
  return new Promise((resolve) => child.once('close', () => resolve()));
}
const k6 = ensureK6();
const sim = await startSim();
const fixtures = (await (await fetch(`${sim.url}/sim/fixtures`)).json()) as Fixtures;
mkdirSync('/tmp/ab', { recursive: true });
const poolPath = '/tmp/ab/pool.json';
writeFileSync(poolPath, poolFileText(buildPool(fixtures, { ...DEFAULT_POOL_OPTIONS, size: 50_000 })));
const rows: Record<string, { rps: number; cpu: number }[]> = {};
for (let r = 0; r < Number(process.env.AB_ROUNDS ?? 3); r++) {
  for (const v of variants) {
    await fetch(`${sim.url}/sim/reset`, { method: 'POST' });
    const before = await received(sim.url);
    const cpu = childCpuMs();
    await k6RunAsync(
      k6,
      v.file,
      {
        OFFERLOAD_TARGET: sim.url,
        OFFERLOAD_TESTID: 'ab',
        OFFERLOAD_POOL: poolPath,
        OFFERLOAD_SUMMARY: '/tmp/ab/s.json',
        OFFERLOAD_PROFILE: 'average',
        ...(v.records ? { OFFERLOAD_RECORDS: '1', K6_CONSOLE_OUTPUT: '/tmp/ab/records.log' } : {}),
        ...(v.control ? { OFFERLOAD_CONTROL: '1' } : {}),
      },
      v.control ? [`--secret-source=${controlSecretSource(control.url)}`] : [],
    );
    const n = (await received(sim.url)) - before;
    (rows[v.name] ??= []).push({ rps: n / SECONDS, cpu: ((childCpuMs() - cpu) * 1000) / n });
    console.log(
      `${v.name} round ${r + 1}: ${Math.round(n / SECONDS)}/s, ${(((childCpuMs() - cpu) * 1000) / n).toFixed(0)} us/request`,
    );
  }
}
sim.stop();
await control.close();
const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [name, rs] of Object.entries(rows))
  console.log(
    `${name}: median ${Math.round(med(rs.map((x) => x.rps)))}/s, ${Math.round(med(rs.map((x) => x.cpu)))} us CPU per request`,
  );
process.exit(0);
