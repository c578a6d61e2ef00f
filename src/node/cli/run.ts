/**
 * `offerload run <scenario>`: bundle, start what is missing (simulator, InfluxDB), build the offer pool,
 * run the real k6 with run tags and outputs, then write <out>/<testid>/ and print the summary.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Fixtures } from '../../shared/api.js';
import { expectedIterations, getProfile } from '../../shared/profiles.js';
import { SCENARIOS } from '../../shared/scenarios.js';
import { bundleIfStale, bundlePath } from '../build/bundle.js';
import { buildPool, DEFAULT_POOL_OPTIONS } from '../data/pool.js';
import { EnvironmentError, UsageError } from '../errors.js';
import { defaultInfluxOptions, influxUrl, startInflux } from '../influx/server.js';
import { DEFAULT_DATABASE, ensureDatabase, storedRequests, type InfluxTarget } from '../influx/store.js';
import { ensureK6 } from '../k6/binary.js';
import { runK6 } from '../k6/run.js';
import { isLoopbackHost } from '../net.js';
import { projectRoot } from '../paths.js';
import { formatSummary } from '../results/print.js';
import { accounting, summariseOperation, type K6SummaryData, type RunSummary } from '../results/summary.js';
import { startSimulator, type Simulator } from '../sim/server.js';
import { loadSimConfig, type SimConfig } from '../sim/config.js';
import * as flag from './flags.js';
import { parseFlags } from './flags.js';
import type { Io } from './io.js';

export const RUN_HELP = `usage: offerload run <scenario> [options]

Runs a scenario with the real k6 against a target (default: an embedded simulator on loopback),
streams every request into InfluxDB and writes <out>/<testid>/.

options:
  --profile NAME       load profile (default: the scenario's; see README)
  --rate N             baseline arrival rate, offers per second (default: the profile's)
  --duration D         run length, e.g. 90s, 2m (default: the profile's)
  --target URL         target base URL (default: start the embedded simulator)
  --target-label L     label for the target in tags and reports (default: sim, or the host)
  --fixtures FILE      agents, queues, documents and presence states (JSON) for a target that is not the simulator
  --allow-remote       allow a target that is not on loopback (never point load at production)
  --influx URL         InfluxDB v1 base URL (default: start the local one on 127.0.0.1:8086)
  --influx-db NAME     database (default: offerload)
  --no-influx          no InfluxDB output (local results only)
  --out DIR            results folder (default: results)
  --testid ID          run id (default: <scenario>-<time>-<random>)
  --seed N             seed for the test data (default: 42)
  --sim-config FILE    settings for the embedded simulator (see 'offerload sim --help')
  --quiet              no k6 progress output

credentials: OFFERLOAD_USERNAME and OFFERLOAD_PASSWORD (basic auth) or OFFERLOAD_TOKEN (bearer), from the
environment only. With the embedded simulator and none set, a one-run credential is made up.`;

interface RunOptions {
  readonly scenario: string;
  readonly profile: string;
  readonly rate: number;
  readonly durationSec: number;
  readonly target: URL | undefined;
  readonly targetLabel: string;
  readonly fixturesFile: string | undefined;
  readonly influx: InfluxTarget | 'local' | undefined;
  readonly influxDb: string;
  readonly outDir: string;
  readonly testid: string;
  readonly seed: number;
  readonly quiet: boolean;
  readonly simConfig: string | undefined;
}

function defaultTestid(scenario: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${scenario}-${stamp}-${randomBytes(2).toString('hex')}`;
}

const RUN_OPTIONS = {
  profile: { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  target: { type: 'string' },
  'target-label': { type: 'string' },
  fixtures: { type: 'string' },
  'allow-remote': { type: 'boolean' },
  influx: { type: 'string' },
  'influx-db': { type: 'string' },
  'no-influx': { type: 'boolean' },
  out: { type: 'string' },
  testid: { type: 'string' },
  seed: { type: 'string' },
  quiet: { type: 'boolean' },
  'sim-config': { type: 'string' },
} as const;

/** The embedded simulator's settings: its config file when given, else the defaults. */
function simSettings(file: string | undefined, env: NodeJS.ProcessEnv): SimConfig {
  try {
    return loadSimConfig({ file, env });
  } catch (e) {
    throw new UsageError((e as Error).message.replace('invalid --config', 'invalid --sim-config'));
  }
}

/** Validates argv into run options; every problem is a one-line UsageError. */
export function parseRunArgs(argv: readonly string[]): RunOptions {
  const parsed = parseFlags('run', argv, RUN_OPTIONS, true);
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`offerload run takes one scenario (one of ${Object.keys(SCENARIOS).join(', ')}), got ${positionals.length}`);
  const scenario = flag.oneOf('scenario', positionals[0]!, Object.keys(SCENARIOS));
  const info = SCENARIOS[scenario]!;
  const profileName = v.profile === undefined ? info.defaultProfile : flag.oneOf('--profile', v.profile, info.profiles);
  const profile = getProfile(profileName);
  if (v.influx !== undefined && v['no-influx']) throw new UsageError('conflicting flags: --influx and --no-influx');
  const target = v.target === undefined ? undefined : flag.httpUrl('--target', v.target);
  if (target && !isLoopbackHost(target.hostname) && !v['allow-remote']) {
    throw new UsageError(`invalid --target: ${target.hostname} is not on loopback; pass --allow-remote to load a remote instance you are allowed to load`);
  }
  if (target === undefined && v.fixtures !== undefined) throw new UsageError('--fixtures needs --target: the embedded simulator serves its own fixtures');
  if (target !== undefined && v['sim-config'] !== undefined) throw new UsageError('--sim-config configures the embedded simulator: it cannot go with --target');
  if (v['sim-config'] !== undefined && !existsSync(v['sim-config'])) throw new UsageError(`invalid --sim-config: file not found: ${v['sim-config']}`);
  if (v.fixtures !== undefined && !existsSync(v.fixtures)) throw new UsageError(`invalid --fixtures: file not found: ${v.fixtures}`);
  const influxDb = v['influx-db'] === undefined ? DEFAULT_DATABASE : flag.label('--influx-db', v['influx-db']);
  const influx = v['no-influx'] ? undefined : v.influx === undefined ? 'local' : { url: flag.httpUrl('--influx', v.influx).origin, database: influxDb };
  return {
    scenario,
    profile: profileName,
    rate: v.rate === undefined ? profile.defaults.rate : flag.positiveNumber('--rate', v.rate, 'offers per second'),
    durationSec: v.duration === undefined ? profile.defaults.durationSec : flag.duration('--duration', v.duration),
    target,
    targetLabel: v['target-label'] === undefined ? (target ? target.hostname : 'sim') : flag.label('--target-label', v['target-label']),
    fixturesFile: v.fixtures,
    influx,
    influxDb,
    outDir: path.resolve(v.out ?? 'results'),
    testid: v.testid === undefined ? defaultTestid(scenario) : flag.testid('--testid', v.testid),
    seed: v.seed === undefined ? DEFAULT_POOL_OPTIONS.seed : flag.integer('--seed', v.seed),
    quiet: v.quiet ?? false,
    simConfig: v['sim-config'],
  };
}

async function loadFixtures(opts: RunOptions, targetUrl: string): Promise<Fixtures> {
  if (opts.fixturesFile) {
    try {
      return JSON.parse(readFileSync(opts.fixturesFile, 'utf8')) as Fixtures;
    } catch (e) {
      throw new UsageError(`invalid --fixtures: ${opts.fixturesFile} is not a JSON fixtures file (${(e as Error).message})`);
    }
  }
  const res = await fetch(`${targetUrl}/sim/fixtures`).catch((e: Error) => {
    throw new EnvironmentError(`target ${targetUrl} is not reachable: ${e.message}`);
  });
  if (!res.ok) throw new UsageError(`target ${targetUrl} serves no /sim/fixtures (HTTP ${res.status}): pass --fixtures FILE for a real instance`);
  return (await res.json()) as Fixtures;
}

async function receivedByTarget(sim: Simulator | undefined, targetUrl: string, testid: string, embedded: boolean): Promise<number | null> {
  if (sim) return sim.stats.snapshot(testid).total;
  if (embedded) return null;
  const res = await fetch(`${targetUrl}/sim/stats?testid=${encodeURIComponent(testid)}`).catch(() => undefined);
  if (!res?.ok) return null;
  return ((await res.json()) as { received: { total: number } }).received.total;
}

/** Credentials for k6 and the embedded simulator: the user's, or a one-run credential for the simulator. */
function credentials(embedded: boolean, env: NodeJS.ProcessEnv): Record<string, string> {
  const keys = ['OFFERLOAD_USERNAME', 'OFFERLOAD_PASSWORD', 'OFFERLOAD_TOKEN'] as const;
  const given = Object.fromEntries(keys.filter((k) => env[k]).map((k) => [k, env[k]!]));
  if (Object.keys(given).length > 0 || !embedded) return given;
  return { OFFERLOAD_USERNAME: 'offerload.integration', OFFERLOAD_PASSWORD: randomBytes(18).toString('base64url') };
}

export async function runCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(RUN_HELP);
    return 0;
  }
  const opts = parseRunArgs(argv);
  const finalDir = path.join(opts.outDir, opts.testid);
  if (existsSync(finalDir)) throw new UsageError(`invalid --testid: results for ${opts.testid} already exist in ${finalDir}`);
  const profile = getProfile(opts.profile);
  const params = { rate: opts.rate, durationSec: opts.durationSec };

  io.phase('building scenarios');
  await bundleIfStale(opts.scenario);
  const k6 = ensureK6();

  const creds = credentials(opts.target === undefined, io.env);
  let sim: Simulator | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  const workDir = path.join(opts.outDir, `.${opts.testid}.partial`);
  try {
    if (!opts.target) {
      io.phase('starting the simulator');
      sim = await startSimulator(simSettings(opts.simConfig, { ...io.env, ...creds }));
      cleanups.push(() => sim!.close());
    }
    const targetUrl = opts.target ? opts.target.origin + opts.target.pathname.replace(/\/+$/, '') : sim!.url;

    let influx: InfluxTarget | undefined;
    if (opts.influx === 'local') {
      const local = defaultInfluxOptions(io.env);
      io.phase(`starting InfluxDB on ${influxUrl(local)}`);
      await startInflux(local, io.phase);
      influx = { url: influxUrl(local), database: opts.influxDb };
    } else if (opts.influx) {
      const res = await fetch(`${opts.influx.url}/ping`, { signal: AbortSignal.timeout(3000) }).catch(() => undefined);
      if (res?.status !== 204) throw new EnvironmentError(`InfluxDB at ${opts.influx.url} does not answer /ping: start it, or run with --no-influx`);
      influx = opts.influx;
    }
    if (influx) await ensureDatabase(influx);

    io.phase('preparing test data');
    const fixtures = await loadFixtures(opts, targetUrl);
    const planned = expectedIterations(profile, params);
    const pool = buildPool(fixtures, { ...DEFAULT_POOL_OPTIONS, seed: opts.seed, size: Math.min(200_000, Math.ceil(planned * 1.05) + 100) });
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(path.join(workDir, 'inputs'), { recursive: true });
    const poolPath = path.join(workDir, 'inputs', 'pool.json');
    writeFileSync(poolPath, JSON.stringify(pool));

    io.phase(`running ${opts.scenario} (${opts.profile}, ${opts.rate}/s baseline, ${opts.durationSec} s) against ${targetUrl}`);
    const k6SummaryPath = path.join(workDir, 'k6-summary.json');
    const startedAt = new Date();
    const k6run = await runK6({
      k6,
      script: bundlePath(opts.scenario),
      tags: { testid: opts.testid, profile: opts.profile, target: opts.targetLabel },
      influxOut: influx ? `${influx.url}/${influx.database}` : undefined,
      htmlReport: path.join(workDir, 'k6-report.html'),
      durationSec: opts.durationSec,
      env: {
        ...creds,
        OFFERLOAD_TARGET: targetUrl,
        OFFERLOAD_TESTID: opts.testid,
        OFFERLOAD_PROFILE: opts.profile,
        OFFERLOAD_RATE: String(opts.rate),
        OFFERLOAD_DURATION: `${opts.durationSec}s`,
        OFFERLOAD_POOL: poolPath,
        OFFERLOAD_SUMMARY: k6SummaryPath,
      },
      stdio: opts.quiet ? 'pipe' : 'inherit',
    });
    const endedAt = new Date();
    if (!existsSync(k6SummaryPath)) {
      throw new EnvironmentError(`k6 exited ${k6run.exitCode} without a summary${k6run.output ? `: ${k6run.output.trim().split('\n').slice(-3).join(' | ')}` : ''}`);
    }

    io.phase('collecting results');
    const data = JSON.parse(readFileSync(k6SummaryPath, 'utf8')) as K6SummaryData;
    const seconds = (data.state?.testRunDurationMs ?? endedAt.getTime() - startedAt.getTime()) / 1000;
    const operations = Object.fromEntries(SCENARIOS[opts.scenario]!.ops.map((op) => [op, summariseOperation(data, op, seconds)]));
    const sent = data.metrics.http_reqs?.values.count ?? 0;
    const stored = influx ? (await storedRequests(influx, opts.testid)).total : null;
    const received = await receivedByTarget(sim, targetUrl, opts.testid, false);
    const summary: RunSummary = {
      testid: opts.testid,
      scenario: opts.scenario,
      profile: opts.profile,
      target: { label: opts.targetLabel, url: targetUrl, embedded_simulator: sim !== undefined },
      load: { rate: opts.rate, duration_s: opts.durationSec, expected_iterations: planned },
      started_at: startedAt.toISOString(),
      ended_at: endedAt.toISOString(),
      duration_s: Math.round(seconds * 1000) / 1000,
      k6_exit_code: k6run.exitCode,
      dropped_iterations: data.metrics.dropped_iterations?.values.count ?? 0,
      operations,
      accounting: accounting(sent, received, stored),
      influx: influx ?? null,
    };
    writeFileSync(path.join(workDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    renameSync(workDir, finalDir);
    io.out(formatSummary(summary, finalDir));
    if (io.json) io.out(JSON.stringify(summary));
    return k6run.exitCode === 0 ? 0 : 1;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}
