/**
 * k6 memory per VU: offer-burst (pool made in Node, shared through a SharedArray) against two baselines
 * measured in the same run: a bare script posting a fixed body, and the naive approach that bundles faker
 * and generates data per VU. VUs are initialised with `k6 run --paused`, so nothing is sent; the resident
 * memory is read from /proc once k6's REST API reports every VU initialised. Per-VU cost = (RSS at HIGH VUs - RSS at LOW VUs) / (HIGH - LOW).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { bundlePath, bundleScenarios } from '../src/node/build/bundle.js';
import { buildPool, DEFAULT_POOL_OPTIONS } from '../src/node/data/pool.js';
import { ensureK6 } from '../src/node/k6/binary.js';
import { projectRoot } from '../src/node/paths.js';
import { freePort } from '../src/node/influx/server.js';
import { DEFAULT_SIM_CONFIG } from '../src/node/sim/config.js';
import { publicFixtures, seedWorld } from '../src/node/sim/platform/fixtures.js';
import { poolFileText } from '../src/shared/pool.js';

const OUT = path.join(projectRoot, 'bench', 'out');
const LOW = Number(process.env.BENCH_VUS_LOW ?? 100);
const HIGH = Number(process.env.BENCH_VUS_HIGH ?? 1000);
/** the naive faker variant costs megabytes and a tenth of a second per VU: measured at fewer VUs */
const NAIVE_LOW = 20;
const NAIVE_HIGH = 120;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssKb = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

/**
 * Starts k6 paused with `vus` VUs and waits until its REST API reports them all initialised (`vus-max`);
 * returns the resident memory then (KiB) and how long initialisation took (ms).
 */
async function pausedRss(
  k6: string,
  script: string,
  vus: number,
  env: Record<string, string>,
): Promise<{ rssKb: number; initMs: number }> {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(
    k6,
    [
      'run',
      '--no-usage-report',
      '-q',
      '--paused',
      '--address',
      `127.0.0.1:${port}`,
      '--vus',
      String(vus),
      '--iterations',
      String(vus),
      script,
    ],
    {
      env: { ...process.env, ...env },
      stdio: 'ignore',
    },
  );
  try {
    for (let i = 0; i < 6000; i++) {
      await sleep(50);
      if (child.exitCode !== null) throw new Error(`k6 exited ${child.exitCode} during init of ${script}`);
      const status = await fetch(`http://127.0.0.1:${port}/v1/status`)
        .then((r) => r.json() as Promise<{ data: { attributes: { 'vus-max': number } } }>)
        .catch(() => undefined);
      if (status && status.data.attributes['vus-max'] >= vus) {
        const initMs = Date.now() - started;
        await sleep(500); // let the last VU's allocations land
        return { rssKb: rssKb(child.pid!), initMs };
      }
    }
    throw new Error(`k6 did not initialise ${vus} VUs of ${script} within 5 minutes`);
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
  }
}

/** Measures and returns the VU memory figures (and prints their table). */
export async function vuMemory(): Promise<Record<string, unknown>> {
  mkdirSync(OUT, { recursive: true });
  const k6 = ensureK6();
  const bundles = await bundleScenarios();
  await build({
    entryPoints: ['bench/scenarios/naive-faker.ts', 'bench/scenarios/bare.ts'].map((p) => path.join(projectRoot, p)),
    outdir: OUT,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    external: ['k6', 'k6/*'],
    mainFields: ['module', 'main'],
    logLevel: 'warning',
  });
  const fixtures = publicFixtures(seedWorld(DEFAULT_SIM_CONFIG));
  const poolPath = path.join(OUT, 'pool.json');
  writeFileSync(poolPath, poolFileText(buildPool(fixtures, { ...DEFAULT_POOL_OPTIONS, size: 20_000 })));
  const target = 'http://127.0.0.1:9';
  const variants: Record<string, { script: string; env: Record<string, string>; low?: number; high?: number }> = {
    bare: {
      script: path.join(OUT, 'bare.js'),
      env: { OFFERLOAD_TARGET: target, BARE_AGENT: 'a', BARE_QUEUE: 'q', BARE_DOCUMENT: 'd' },
    },
    'offer-burst': {
      script: bundlePath('offer-burst'),
      env: {
        OFFERLOAD_TARGET: target,
        OFFERLOAD_TESTID: 'bench',
        OFFERLOAD_POOL: poolPath,
        OFFERLOAD_SUMMARY: path.join(OUT, 'k6-summary.json'),
        OFFERLOAD_PROFILE: 'smoke',
      },
    },
    'naive-faker': {
      script: path.join(OUT, 'naive-faker.js'),
      env: { OFFERLOAD_TARGET: target },
      low: NAIVE_LOW,
      high: NAIVE_HIGH,
    },
  };
  const perVu: Record<string, number[]> = {};
  const settle: Record<string, number[]> = {};
  for (let r = 0; r < REPEATS; r++) {
    for (const [name, v] of Object.entries(variants)) {
      const [lo, hi] = [v.low ?? LOW, v.high ?? HIGH];
      const low = await pausedRss(k6, v.script, lo, v.env);
      const high = await pausedRss(k6, v.script, hi, v.env);
      (perVu[name] ??= []).push((high.rssKb - low.rssKb) / 1024 / (hi - lo));
      (settle[name] ??= []).push((high.initMs - low.initMs) / (hi - lo));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rows = Object.keys(variants).map((name) => ({
    variant: name,
    mb_per_vu: Number(median(perVu[name]!).toFixed(3)),
    spread: `${Math.min(...perVu[name]!).toFixed(3)}..${Math.max(...perVu[name]!).toFixed(3)}`,
    ratio_to_bare: Number((median(perVu[name]!) / median(perVu.bare!)).toFixed(2)),
    init_ms_per_vu: Number(median(settle[name]!).toFixed(2)),
    init_ratio_to_bare: Number((median(settle[name]!) / median(settle.bare!)).toFixed(2)),
  }));
  console.table(rows);
  const sizes = Object.fromEntries(bundles.map((b) => [path.basename(b.file), Math.round(b.bytes / 102.4) / 10]));
  const result = { vus_low: LOW, vus_high: HIGH, repeats: REPEATS, rows, bundle_kb: sizes };
  const ours = rows.find((r) => r.variant === 'offer-burst')!;
  return {
    vu_memory_ratio: ours.ratio_to_bare,
    vu_memory_mb: ours.mb_per_vu,
    vu_init_ratio: ours.init_ratio_to_bare,
    bundle_kb: sizes,
    vu_memory: result,
  };
}
