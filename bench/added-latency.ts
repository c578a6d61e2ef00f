/**
 * Generator-added latency: what the latency k6 records holds beyond the simulator's own time on the request,
 * for offer-burst and the bare script, each at half its saturation rate (the harness's closed-model figure)
 * and at 100/s, constant arrival rate, against the simulator in fast mode with `timing.report` on.
 *
 * Method. offer-burst cannot read the simulator's X-Offerload-Sim-Ms header (its scenario is offerload's
 * own, unchanged), so requests cannot be paired for it; the simulator keeps its own time per request per run
 * (testid) instead, and the added latency is compared as distributions: k6's p50/p95 of http_req_duration
 * (the value offerload's latency metric records) minus the simulator's p50/p95 for the same run, over the same
 * requests. A difference of quantiles is not the quantile of the differences; it is close when the
 * simulator's own time is small and narrow, and the bare script checks how close: it reads the header and
 * records the paired difference per request (`bench_added_ms`), so its rows give both.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { Fixtures } from '../src/shared/api.js';
import { bundlePath, bundleScenarios } from '../src/node/build/bundle.js';
import { buildPool, DEFAULT_POOL_OPTIONS } from '../src/node/data/pool.js';
import { ensureK6 } from '../src/node/k6/binary.js';
import { projectRoot } from '../src/node/paths.js';
import { poolFileText } from '../src/shared/pool.js';
import { vusFor } from '../src/shared/profiles.js';
import { CREDS, OUT, ROUNDS, SECONDS, startSim } from './harness.js';
import { median } from './peer-figures.js';

const RESULTS = path.join(projectRoot, 'bench', 'results.json');
const r3 = (x: number): number => Number(x.toFixed(3));

interface Sample {
  readonly k6P50: number;
  readonly k6P95: number;
  readonly simP50: number;
  readonly simP95: number;
  readonly pairedP50?: number;
  readonly pairedP95?: number;
  readonly achievedRps: number;
  readonly dropped: number;
}

type Stats = Record<string, number>;

/** Runs a bundle at its own arrival rate; k6's end-of-test trend stats and the simulator's own times for `testid`. */
async function timedRun(
  k6: string,
  script: string,
  env: Record<string, string>,
  simUrl: string,
  testid: string,
): Promise<Sample> {
  const summary = path.join(OUT, `latency-${testid}.json`);
  rmSync(summary, { force: true });
  // each run from the same simulator state (seeded fixtures, agents as seeded), as in the harness
  await fetch(`${simUrl}/sim/reset`, { method: 'POST' });
  const r = spawnSync(
    k6,
    [
      'run',
      '-q',
      '--no-usage-report',
      '--address',
      '127.0.0.1:0',
      '--summary-trend-stats',
      'med,p(95),p(99),count',
      '--summary-export',
      summary,
      script,
    ],
    {
      env: { ...process.env, ...CREDS, ...env },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (r.status !== 0) throw new Error(`k6 ${path.basename(script)} exited ${r.status}: ${r.stderr.slice(-800)}`);
  const metrics = (JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, Stats> }).metrics;
  const sim = (
    (await (await fetch(`${simUrl}/sim/stats?testid=${testid}`)).json()) as {
      sim_ms?: { p50_ms: number; p95_ms: number };
    }
  ).sim_ms;
  if (!sim) throw new Error(`the simulator kept no times for ${testid}: is timing.report on?`);
  const d = metrics.http_req_duration!;
  const paired = metrics.bench_added_ms;
  return {
    k6P50: d.med!,
    k6P95: d['p(95)']!,
    simP50: sim.p50_ms,
    simP95: sim.p95_ms,
    ...(paired ? { pairedP50: paired.med!, pairedP95: paired['p(95)']! } : {}),
    achievedRps: (metrics.http_reqs?.count ?? 0) / SECONDS,
    dropped: metrics.dropped_iterations?.count ?? 0,
  };
}

/** The added-latency rows; `saturation` are the harness's requests/s at saturation, from this run or results.json. */
export async function addedLatency(saturation: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const previous = { ...(JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>), ...saturation };
  const saturated = { 'offer-burst': Number(previous.offer_burst_rps), bare: Number(previous.bare_k6_rps) };
  if (!(saturated['offer-burst'] > 0 && saturated.bare > 0))
    throw new Error(
      'added-latency needs the harness figures (offer_burst_rps, bare_k6_rps): run the harness bench first',
    );
  const k6 = ensureK6();
  await bundleScenarios();
  await build({
    entryPoints: [path.join(projectRoot, 'bench/scenarios/bare.ts')],
    outdir: OUT,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    external: ['k6', 'k6/*'],
    logLevel: 'warning',
  });
  const sim = await startSim(['--timing.report', 'true']);
  try {
    const fixtures = (await (await fetch(`${sim.url}/sim/fixtures`)).json()) as Fixtures;
    const poolPath = path.join(OUT, 'latency-pool.json');
    writeFileSync(poolPath, poolFileText(buildPool(fixtures, { ...DEFAULT_POOL_OPTIONS, size: 50_000 })));
    const agent = fixtures.agents.find((a) => a.presence === 'Available')!.sys_id;
    const doc = fixtures.documents.find((d) => d.table === 'interaction')!.sys_id;
    const cases = (['offer-burst', 'bare'] as const).flatMap((generator) => [
      { generator, label: 'half_saturation', rate: Math.round(saturated[generator] / 2) },
      { generator, label: '100_per_s', rate: 100 },
    ]);
    const samples = new Map<string, Sample[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of cases) {
        const testid = `bench-latency-${c.generator}-${c.rate}-${round}`;
        // the bare script gets the VUs offerload would allocate for the same rate
        const vus = vusFor(c.rate, 0.5);
        const sample =
          c.generator === 'offer-burst'
            ? await timedRun(
                k6,
                bundlePath('offer-burst'),
                {
                  OFFERLOAD_TARGET: sim.url,
                  OFFERLOAD_TESTID: testid,
                  OFFERLOAD_POOL: poolPath,
                  OFFERLOAD_PROFILE: 'average',
                  OFFERLOAD_RATE: String(c.rate),
                  OFFERLOAD_DURATION: `${SECONDS}s`,
                },
                sim.url,
                testid,
              )
            : await timedRun(
                k6,
                path.join(OUT, 'bare.js'),
                {
                  OFFERLOAD_TARGET: sim.url,
                  BARE_AGENT: agent,
                  BARE_QUEUE: fixtures.queues[0]!.sys_id,
                  BARE_DOCUMENT: doc,
                  BARE_RATE: String(c.rate),
                  BARE_TESTID: testid,
                  BARE_DURATION: `${SECONDS}s`,
                  BARE_PRE_VUS: String(vus.preAllocatedVUs),
                  BARE_MAX_VUS: String(vus.maxVUs),
                },
                sim.url,
                testid,
              );
        const key = `${c.generator} ${c.label}`;
        samples.set(key, [...(samples.get(key) ?? []), sample]);
        console.log(
          `bench: added latency ${key} (${c.rate}/s) round ${round + 1}: k6 p50 ${sample.k6P50.toFixed(3)} p95 ${sample.k6P95.toFixed(3)} ms, simulator p50 ${sample.simP50} p95 ${sample.simP95} ms${sample.pairedP50 !== undefined ? `, paired p50 ${sample.pairedP50.toFixed(3)} p95 ${sample.pairedP95!.toFixed(3)} ms` : ''}`,
        );
      }
    }
    const rows = cases.map((c) => {
      const s = samples.get(`${c.generator} ${c.label}`)!;
      const m = (f: (x: Sample) => number) => r3(median(s.map(f)));
      const spread = (f: (x: Sample) => number) => s.map((x) => r3(f(x)));
      return {
        generator: c.generator,
        at: c.label,
        rate: c.rate,
        achieved_rps: Math.round(median(s.map((x) => x.achievedRps))),
        dropped_iterations: median(s.map((x) => x.dropped)),
        k6_p50_ms: m((x) => x.k6P50),
        k6_p95_ms: m((x) => x.k6P95),
        sim_p50_ms: m((x) => x.simP50),
        sim_p95_ms: m((x) => x.simP95),
        added_p50_ms: m((x) => x.k6P50 - x.simP50),
        added_p95_ms: m((x) => x.k6P95 - x.simP95),
        added_p50_spread: spread((x) => x.k6P50 - x.simP50),
        added_p95_spread: spread((x) => x.k6P95 - x.simP95),
        ...(s[0]!.pairedP50 !== undefined
          ? { paired_added_p50_ms: m((x) => x.pairedP50!), paired_added_p95_ms: m((x) => x.pairedP95!) }
          : {}),
      };
    });
    console.table(rows.map(({ added_p50_spread, added_p95_spread, ...row }) => row));
    const row = (g: string, at: string) => rows.find((x) => x.generator === g && x.at === at)!;
    return {
      added_latency_ms: {
        offerload_half_saturation: {
          rate: row('offer-burst', 'half_saturation').rate,
          p50: row('offer-burst', 'half_saturation').added_p50_ms,
          p95: row('offer-burst', 'half_saturation').added_p95_ms,
        },
        offerload_100_per_s: {
          p50: row('offer-burst', '100_per_s').added_p50_ms,
          p95: row('offer-burst', '100_per_s').added_p95_ms,
        },
        bare_half_saturation: {
          rate: row('bare', 'half_saturation').rate,
          p50: row('bare', 'half_saturation').added_p50_ms,
          p95: row('bare', 'half_saturation').added_p95_ms,
        },
        bare_100_per_s: { p50: row('bare', '100_per_s').added_p50_ms, p95: row('bare', '100_per_s').added_p95_ms },
      },
      added_latency: {
        method:
          "k6's p50/p95 of http_req_duration (what offerload_latency_ms records) minus the simulator's own p50/p95 (setting timing.report: from its request handler's start to the answer rendered) over the same run's requests; the bare rows also give the per-request paired difference (X-Offerload-Sim-Ms read by the script), which checks the distribution method",
        seconds: SECONDS,
        rounds: ROUNDS,
        rows,
      },
    };
  } finally {
    sim.stop();
  }
}
