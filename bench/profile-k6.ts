/**
 * A CPU profile of k6 running a bundle at saturation (50 VUs) against the fast simulator, through k6's pprof
 * endpoint: node --import tsx bench/profile-k6.ts dist/offer-burst.js; go tool pprof -top .tools/bin/k6 /tmp/ab/cpu.pprof
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Fixtures } from '../src/shared/api.js';
import { buildPool, DEFAULT_POOL_OPTIONS } from '../src/node/data/pool.js';
import { ensureK6 } from '../src/node/k6/binary.js';
import { poolFileText } from '../src/shared/pool.js';
import { CREDS, startSim } from './harness.js';

const script = process.argv[2]!;
const k6 = ensureK6();
const sim = await startSim();
mkdirSync('/tmp/ab', { recursive: true });
const fixtures = (await (await fetch(`${sim.url}/sim/fixtures`)).json()) as Fixtures;
writeFileSync('/tmp/ab/pool.json', poolFileText(buildPool(fixtures, { ...DEFAULT_POOL_OPTIONS, size: 50_000 })));
const child = spawn(
  k6,
  [
    'run',
    '-q',
    '--no-usage-report',
    '--address',
    '127.0.0.1:6599',
    '--profiling-enabled',
    '--vus',
    '50',
    '--duration',
    '16s',
    script,
  ],
  {
    env: {
      ...process.env,
      ...CREDS,
      OFFERLOAD_TARGET: sim.url,
      OFFERLOAD_TESTID: 'prof',
      OFFERLOAD_POOL: '/tmp/ab/pool.json',
      OFFERLOAD_SUMMARY: '/tmp/ab/s.json',
      OFFERLOAD_PROFILE: 'average',
    },
    stdio: 'ignore',
  },
);
await new Promise((r) => setTimeout(r, 4000));
const res = await fetch('http://127.0.0.1:6599/debug/pprof/profile?seconds=8');
writeFileSync('/tmp/ab/cpu.pprof', Buffer.from(await res.arrayBuffer()));
await new Promise((r) => child.once('exit', r));
sim.stop();
process.exit(0);
