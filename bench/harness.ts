/**
 * What offerload costs its generator, and what the machine can do: offer-burst against a bare k6 script
 * posting one fixed valid offer, same VUs and duration, against the simulator in fast mode (closed model,
 * so both run flat out), both authenticated; wrk on the same route as this machine's ceiling; and, at the bare script's top
 * rate, the share of requests InfluxDB stored and k6's flush warnings. Rounds alternate.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { Fixtures } from '../src/shared/api.js';
import { bundlePath, bundleScenarios } from '../src/node/build/bundle.js';
import { buildPool, DEFAULT_POOL_OPTIONS } from '../src/node/data/pool.js';
import { freePort, startInflux, stopInflux } from '../src/node/influx/server.js';
import { settledStoredRequests } from '../src/node/influx/store.js';
import { ensureK6 } from '../src/node/k6/binary.js';
import { projectRoot } from '../src/node/paths.js';
import { poolFileText } from '../src/shared/pool.js';
import { artilleryConfig, artilleryVersion, runArtillery } from './peers.js';
import { median, peerFigures, type Measured, type Round } from './peer-figures.js';

export const OUT = path.join(projectRoot, 'bench', 'out');
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
export const VUS = 50;
export const CREDS = { OFFERLOAD_USERNAME: 'bench', OFFERLOAD_PASSWORD: 'bench-only' };

/** CPU time of this process's finished children (k6 runs, reaped by spawnSync), milliseconds. */
export function childCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // cutime and cstime, fields 16 and 17 of stat (the split starts at field 3), in clock ticks of 10 ms
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** The simulator in fast mode in its own process (k6 runs block this one); `flags` add settings. */
export function startSim(flags: string[] = []): Promise<{ url: string; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(projectRoot, 'bin', 'offerload.js'),
        'sim',
        '--capacity.fast',
        'true',
        '--agents.mode',
        'external',
        '--fixtures.documents',
        '20000',
        ...flags,
      ],
      { env: { ...process.env, ...CREDS }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    child.stdout.once('data', (c: Buffer) =>
      resolve({ url: c.toString().split('\n')[0]!.trim(), stop: () => child.kill('SIGTERM') }),
    );
    child.once('exit', (code) => reject(new Error(`sim exited ${code}`)));
  });
}

/** Offers the simulator received, by the outcome it answered. */
async function receivedOffers(url: string): Promise<{ total: number; outcomes: Record<string, number> }> {
  const r = (
    (await (await fetch(`${url}/sim/stats`)).json()) as {
      received: { routes: Record<string, { total: number; outcomes: Record<string, number> }> };
    }
  ).received;
  return r.routes.offer ?? { total: 0, outcomes: {} };
}

/** Requests the simulator received on its API routes (its own /sim routes, these calls included, left out). */
export async function received(url: string): Promise<number> {
  const r = (
    (await (await fetch(`${url}/sim/stats`)).json()) as {
      received: { total: number; routes: Record<string, { total: number }> };
    }
  ).received;
  return r.total - (r.routes.sim?.total ?? 0);
}

export function k6Run(
  k6: string,
  script: string,
  env: Record<string, string>,
  extra: string[] = [],
): { stderr: string } {
  const r = spawnSync(
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
    { env: { ...process.env, ...CREDS, ...env }, encoding: 'utf8' },
  );
  return { stderr: r.stderr };
}

export async function harness(): Promise<Record<string, unknown>> {
  const k6 = ensureK6();
  await bundleScenarios();
  await build({
    entryPoints: ['bare', 'handwritten'].map((n) => path.join(projectRoot, `bench/scenarios/${n}.ts`)),
    outdir: OUT,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    external: ['k6', 'k6/*'],
    logLevel: 'warning',
  });
  const sim = await startSim();
  const influxOpts = { port: await freePort(), dir: path.join(OUT, 'harness-influxdb') };
  try {
    const fixtures = (await (await fetch(`${sim.url}/sim/fixtures`)).json()) as Fixtures;
    const poolPath = path.join(OUT, 'harness-pool.json');
    writeFileSync(poolPath, poolFileText(buildPool(fixtures, { ...DEFAULT_POOL_OPTIONS, size: 50_000 })));
    const agent = fixtures.agents.find((a) => a.presence === 'Available')!.sys_id;
    const doc = fixtures.documents.find((d) => d.table === 'interaction')!.sys_id;
    const bareEnv = {
      OFFERLOAD_TARGET: sim.url,
      BARE_AGENT: agent,
      BARE_QUEUE: fixtures.queues[0]!.sys_id,
      BARE_DOCUMENT: doc,
    };
    const oursEnv = {
      OFFERLOAD_TARGET: sim.url,
      OFFERLOAD_TESTID: 'bench-harness',
      OFFERLOAD_POOL: poolPath,
      OFFERLOAD_SUMMARY: path.join(OUT, 'harness-k6.json'),
      OFFERLOAD_PROFILE: 'average',
    };
    // requests the simulator received over the constant-VUs phase (k6's --duration): k6's start-up (init, pool
    // loading) stays out of the rate, which would otherwise count it against offer-burst
    // every run starts from the same simulator state (the same seeded fixtures, every agent as seeded): offers
    // leave agents with work and documents assigned, so without a reset each run would meet a different mix of
    // conflicts than the one before it (measured: by the third round most offers answered agent_unavailable)
    const rate = async (run: () => void): Promise<Measured> => {
      await fetch(`${sim.url}/sim/reset`, { method: 'POST' });
      const before = await receivedOffers(sim.url);
      const cpu = childCpuMs();
      run();
      const after = await receivedOffers(sim.url);
      const n = after.total - before.total;
      const outcomes = Object.fromEntries(
        Object.entries(after.outcomes)
          .map(([k, v]) => [k, v - (before.outcomes[k] ?? 0)])
          .filter(([, v]) => (v as number) > 0),
      );
      return { rps: n / SECONDS, cpuUs: ((childCpuMs() - cpu) * 1000) / n, outcomes };
    };
    const auth = `Basic ${Buffer.from(`${CREDS.OFFERLOAD_USERNAME}:${CREDS.OFFERLOAD_PASSWORD}`).toString('base64')}`;
    const artillery = artilleryVersion();
    const artilleryConfigs = artillery
      ? {
          classify: artilleryConfig(OUT, sim.url, fixtures, auth, { vus: VUS, classify: true }),
          codes: artilleryConfig(OUT, sim.url, fixtures, auth, { vus: VUS, classify: false }),
        }
      : undefined;
    // Artillery's start-up (loading its plugins) costs CPU seconds before its first request: measured once with
    // no requests (the loop's deadline already past), so its CPU per request can be given without it as well
    let artilleryIdleCpuMs = 0;
    if (artilleryConfigs) {
      const cpu = childCpuMs();
      runArtillery(artilleryConfigs.codes, 0);
      artilleryIdleCpuMs = childCpuMs() - cpu;
    }
    if (!artillery)
      console.warn('bench: Artillery is not installed (run scripts/setup.sh --bench): its rows are left out');
    const rounds: Round[] = [];
    const lua = path.join(OUT, 'bare-offer.lua');
    writeFileSync(
      lua,
      `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "${auth}"\nwrk.body = ${JSON.stringify(JSON.stringify({ queue_id: fixtures.queues[0]!.sys_id, assignment: { agent_sys_id: agent } }))}\n`,
    );
    for (let r = 0; r < ROUNDS; r++) {
      const bare = await rate(() => k6Run(k6, path.join(OUT, 'bare.js'), bareEnv));
      const ours = await rate(() => k6Run(k6, bundlePath('offer-burst'), oursEnv));
      const handwritten = await rate(() => k6Run(k6, path.join(OUT, 'handwritten.js'), { OFFERLOAD_TARGET: sim.url }));
      const art = artilleryConfigs ? await rate(() => runArtillery(artilleryConfigs.classify, SECONDS)) : undefined;
      const artCodes = artilleryConfigs ? await rate(() => runArtillery(artilleryConfigs.codes, SECONDS)) : undefined;
      const w = spawnSync(
        'wrk',
        ['-t1', `-c${VUS}`, `-d${SECONDS}s`, '-s', lua, `${sim.url}/api/now/awa/documents/interaction/${doc}/offer`],
        { encoding: 'utf8' },
      );
      const wrkRps = Number(/Requests\/sec:\s+([\d.]+)/.exec(w.stdout)?.[1] ?? 0);
      rounds.push({ ours, bare, handwritten, artillery: art, artilleryCodes: artCodes, wrk: wrkRps });
      console.log(
        `bench: harness round ${r + 1}/${ROUNDS}: offer-burst ${Math.round(ours.rps)}/s, bare ${Math.round(bare.rps)}/s, hand-written ${Math.round(handwritten.rps)}/s${art ? `, artillery ${Math.round(art.rps)}/s (codes only ${Math.round(artCodes!.rps)}/s)` : ''}, wrk ${Math.round(wrkRps)}/s`,
      );
    }
    // InfluxDB at the bare script's top rate, with k6's default output settings (1 s pushes, 4 concurrent writes),
    // which offerload recommends: a longer push interval makes batches InfluxDB refuses as too large (measured
    // at 5 s: 99.6% of points lost), and shorter ones or more concurrent writes stored no more and warned more
    rmSync(influxOpts.dir, { recursive: true, force: true });
    await startInflux(influxOpts);
    const influxUrl = `http://127.0.0.1:${influxOpts.port}`;
    const influxTestid = `bench-influx-${Date.now().toString(36)}`;
    const before = await received(sim.url);
    const { stderr } = k6Run(k6, path.join(OUT, 'bare.js'), bareEnv, [
      '--tag',
      `testid=${influxTestid}`,
      '--out',
      `influxdb=${influxUrl}/offerload`,
    ]);
    const sent = (await received(sim.url)) - before;
    const stored = (await settledStoredRequests({ url: influxUrl, database: 'offerload' }, influxTestid)).total;
    const result = {
      harness_overhead_ratio: Number(median(rounds.map((x) => x.ours.rps / x.bare.rps)).toFixed(3)),
      harness_overhead_spread: rounds.map((x) => Number((x.ours.rps / x.bare.rps).toFixed(3))),
      offer_burst_rps: Math.round(median(rounds.map((x) => x.ours.rps))),
      bare_k6_rps: Math.round(median(rounds.map((x) => x.bare.rps))),
      wrk_rps: Math.round(median(rounds.map((x) => x.wrk))),
      // k6's own CPU per request (user + system, start-up included): what each request costs the generator
      offer_burst_k6_cpu_us_per_request: Math.round(median(rounds.map((x) => x.ours.cpuUs))),
      bare_k6_cpu_us_per_request: Math.round(median(rounds.map((x) => x.bare.cpuUs))),
      wrk_over_k6: Number(median(rounds.map((x) => x.wrk / x.bare.rps)).toFixed(2)),
      ...peerFigures(rounds, artillery, { seconds: SECONDS, artilleryIdleCpuMs }),
      influx_stored_ratio: Number((stored / sent).toFixed(4)),
      influx_sent_at_top_rate: sent,
      influx_flush_warnings: (stderr.match(/flush/gi) ?? []).length,
      // k6 drops a batch InfluxDB refuses or does not answer in time, and says so on stderr
      influx_write_errors: (stderr.match(/Couldn't write stats/g) ?? []).length,
      influx_first_error:
        /level=error msg="([^"]*)" error="((?:[^"\\]|\\.)*)"/.exec(stderr)?.slice(1).join(': ') ?? null,
      harness_vus: VUS,
      harness_seconds: SECONDS,
    };
    console.table(result);
    return result;
  } finally {
    sim.stop();
    await stopInflux(influxOpts).catch(() => undefined);
  }
}
