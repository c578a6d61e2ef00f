/**
 * k6's memory over a soak: the soak scenario with offerload's settings (no end-of-test summary, no
 * thresholds: k6 keeps no samples) beside the same bundle with k6's defaults (the summary keeps every
 * Trend sample), run at the same time against one simulator, both streaming to InfluxDB. Growth is the
 * resident memory at the end over the memory after warm-up (the first fifth of the run).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundlePath, bundleScenarios } from '../src/node/build/bundle.js';
import { buildPool, DEFAULT_POOL_OPTIONS } from '../src/node/data/pool.js';
import { freePort, startInflux, stopInflux } from '../src/node/influx/server.js';
import { ensureDatabase } from '../src/node/influx/store.js';
import { ensureK6 } from '../src/node/k6/binary.js';
import { projectRoot } from '../src/node/paths.js';
import { simConfig } from '../src/node/sim/config.js';
import { scenarioArgs } from '../src/shared/k6-contract.js';
import { publicFixtures } from '../src/node/sim/platform/fixtures.js';
import { startSimulator } from '../src/node/sim/http/server.js';
import { poolFileText } from '../src/shared/pool.js';

const OUT = path.join(projectRoot, 'bench', 'out');
const MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 10);
const RATE = Number(process.env.BENCH_SOAK_RATE ?? 30);
const SAMPLE_MS = 5000;
const CREDS = { OFFERLOAD_USERNAME: 'bench', OFFERLOAD_PASSWORD: 'bench-only' };

const rssMb = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

export async function soakMemory(): Promise<Record<string, unknown>> {
  mkdirSync(OUT, { recursive: true });
  const k6 = ensureK6();
  await bundleScenarios();
  const influxOpts = { port: await freePort(), dir: path.join(OUT, 'soak-influxdb') };
  await startInflux(influxOpts);
  const influx = { url: `http://127.0.0.1:${influxOpts.port}`, database: 'offerload' };
  await ensureDatabase(influx);
  const sim = await startSimulator(simConfig({}, CREDS));
  try {
    const poolPath = path.join(OUT, 'soak-pool.json');
    writeFileSync(
      poolPath,
      poolFileText(buildPool(publicFixtures(sim.engine.world), { ...DEFAULT_POOL_OPTIONS, size: 50_000 })),
    );
    const variants = {
      offerload: [...scenarioArgs('soak'), '--out', `csv=${path.join(OUT, 'soak-points.csv.gz')}`],
      k6_defaults: [] as string[],
    };
    const children = Object.entries(variants).map(([name, extra]) => {
      const testid = `bench-soak-${name}-${Date.now().toString(36)}`;
      const child = spawn(
        k6,
        [
          'run',
          '-q',
          '--no-usage-report',
          '--address',
          '127.0.0.1:0',
          '--tag',
          `testid=${testid}`,
          '--out',
          `influxdb=${influx.url}/${influx.database}`,
          ...extra,
          bundlePath('soak'),
        ],
        {
          env: {
            ...process.env,
            ...CREDS,
            OFFERLOAD_TARGET: sim.url,
            OFFERLOAD_TESTID: testid,
            OFFERLOAD_PROFILE: 'soak',
            OFFERLOAD_RATE: String(RATE),
            OFFERLOAD_DURATION: `${MINUTES * 60}s`,
            OFFERLOAD_POOL: poolPath,
            OFFERLOAD_SUMMARY: '',
          },
          stdio: 'ignore',
        },
      );
      return { name, child, samples: [] as number[] };
    });
    const timer = setInterval(() => {
      for (const c of children) if (c.child.exitCode === null) c.samples.push(rssMb(c.child.pid!));
    }, SAMPLE_MS);
    await Promise.all(children.map((c) => new Promise((r) => c.child.once('close', r))));
    clearInterval(timer);
    const growth = (samples: number[]): number => {
      const warm = samples[Math.floor(samples.length / 5)] ?? samples[0]!;
      const end = samples.at(-2) ?? samples.at(-1)!; // the last sample may fall into k6's summary at exit
      return Math.round(((end - warm) / warm) * 1000) / 10;
    };
    const byName = Object.fromEntries(children.map((c) => [c.name, c]));
    const result = {
      soak_rss_growth_pct: growth(byName.offerload!.samples),
      soak_rss_growth_pct_k6_defaults: growth(byName.k6_defaults!.samples),
      soak_minutes: MINUTES,
      soak_rate: RATE,
      soak_rss_mb: Object.fromEntries(children.map((c) => [c.name, c.samples.map((x) => Math.round(x))])),
    };
    console.table({ offerload: result.soak_rss_growth_pct, k6_defaults: result.soak_rss_growth_pct_k6_defaults });
    return result;
  } finally {
    await sim.close();
    await stopInflux(influxOpts);
  }
}
