/**
 * The plan of a run: `offerload run` flags checked into typed options, each problem a one-line UsageError.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { getProfile, type ProfileParams } from '../../shared/profiles.js';
import { SCENARIOS, type Slo } from '../../shared/scenarios.js';
import { DEFAULT_SWEEP, type Sweep } from '../../shared/sweep.js';
import { DEFAULT_POOL_OPTIONS } from '../data/pool.js';
import { UsageError } from '../errors.js';
import { DEFAULT_DATABASE, type InfluxTarget } from '../influx/store.js';
import { isLoopbackHost } from '../net.js';
import * as flag from '../cli/flags.js';
import { parseFlags } from '../cli/flags.js';

export const RUN_HELP = `usage: offerload run <scenario> [options]

Runs a scenario with the real k6 against a target (default: an embedded simulator on loopback),
streams every request into InfluxDB and writes <out>/<testid>/.

options:
  --profile NAME       load profile (default: the scenario's; see README)
  --rate N             baseline arrival rate, iterations per second (default: the profile's)
  --duration D         run length, e.g. 90s, 2m (default: the profile's)
  --ceiling N          capacity profile: the highest plateau, per second (default: 8 x --rate)
  --target URL         target base URL (default: start the embedded simulator)
  --target-label L     label for the target in tags and reports (default: sim, or the host)
  --version-label L    the target's platform version or build, for tags, annotations and compare (default: unknown)
  --fixtures FILE      agents, queues, documents and presence states (JSON) for a target that is not the simulator
  --allow-remote       allow a target that is not on loopback (never point load at production)
  --sim-config FILE    settings for the embedded simulator (see 'offerload sim --help')
  --influx URL         InfluxDB v1 base URL (default: start the local one on 127.0.0.1:8086)
  --influx-db NAME     database (default: offerload)
  --no-influx          no InfluxDB output (local results only; not for soak or capacity)
  --slo K=V            override an SLO for every operation: p95_ms, p99_ms, error_rate, conflict_rate (repeatable)
  --timeouts LIST      timeout-sweep: offer timeouts in seconds, e.g. 5,10,20,30
  --delays LIST        timeout-sweep: routing delays in ms, e.g. 300,2000
  --skews LIST         timeout-sweep: clock skews in ms (caller ahead of target), e.g. 0,2000
  --out DIR            results folder (default: results)
  --testid ID          run id (default: <scenario>-<time>-<random>)
  --seed N             seed for the test data and random shapes (default: 42)
  --quiet              no k6 progress output

credentials: OFFERLOAD_USERNAME and OFFERLOAD_PASSWORD (basic auth) or OFFERLOAD_TOKEN (bearer), from the
environment only. With the embedded simulator and none set, a one-run credential is made up.`;

const RUN_OPTIONS = {
  profile: { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  ceiling: { type: 'string' },
  target: { type: 'string' },
  'target-label': { type: 'string' },
  'version-label': { type: 'string' },
  fixtures: { type: 'string' },
  'allow-remote': { type: 'boolean' },
  'sim-config': { type: 'string' },
  influx: { type: 'string' },
  'influx-db': { type: 'string' },
  'no-influx': { type: 'boolean' },
  slo: { type: 'string', multiple: true },
  timeouts: { type: 'string' },
  delays: { type: 'string' },
  skews: { type: 'string' },
  out: { type: 'string' },
  testid: { type: 'string' },
  seed: { type: 'string' },
  quiet: { type: 'boolean' },
} as const;

export interface RunOptions {
  readonly scenario: string;
  readonly profile: string;
  readonly params: ProfileParams;
  readonly target: URL | undefined;
  readonly targetLabel: string;
  readonly versionLabel: string;
  readonly fixturesFile: string | undefined;
  readonly simConfig: string | undefined;
  readonly influx: InfluxTarget | 'local' | undefined;
  readonly influxDb: string;
  readonly sloOverrides: Slo;
  readonly sweep: Sweep;
  readonly outDir: string;
  readonly testid: string;
  readonly seed: number;
  readonly quiet: boolean;
}

const SLO_KEYS = ['p95_ms', 'p99_ms', 'error_rate', 'conflict_rate'] as const;

function defaultTestid(scenario: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${scenario}-${stamp}-${randomBytes(2).toString('hex')}`;
}

function sloOverrides(raw: readonly string[]): Slo {
  const out: Record<string, number> = {};
  for (const item of raw) {
    const [key = '', value = ''] = item.split('=', 2);
    const k = flag.oneOf('--slo key', key, SLO_KEYS);
    out[k] = k.endsWith('_rate') ? flag.share(`--slo ${k}`, value) : flag.positiveNumber(`--slo ${k}`, value, 'milliseconds');
  }
  return out;
}

/** Validates argv into run options. */
export function parseRunArgs(argv: readonly string[]): RunOptions {
  const { values: v, positionals } = parseFlags('run', argv, RUN_OPTIONS, true);
  if (positionals.length !== 1) throw new UsageError(`offerload run takes one scenario (one of ${Object.keys(SCENARIOS).join(', ')}), got ${positionals.length}`);
  const scenario = flag.oneOf('scenario', positionals[0]!, Object.keys(SCENARIOS));
  const info = SCENARIOS[scenario]!;
  const profileName = v.profile === undefined ? info.defaultProfile : flag.oneOf('--profile', v.profile, info.profiles);
  const profile = getProfile(profileName);
  if (v.influx !== undefined && v['no-influx']) throw new UsageError('conflicting flags: --influx and --no-influx');
  if (v['no-influx'] && (info.summaryFromInflux || profileName === 'capacity')) {
    throw new UsageError(`--no-influx cannot go with ${scenario}/${profileName}: its results are read back from InfluxDB`);
  }
  const target = v.target === undefined ? undefined : flag.httpUrl('--target', v.target);
  if (target && !isLoopbackHost(target.hostname) && !v['allow-remote']) {
    throw new UsageError(`invalid --target: ${target.hostname} is not on loopback; pass --allow-remote to load a remote instance you are allowed to load`);
  }
  if (target === undefined && v.fixtures !== undefined) throw new UsageError('--fixtures needs --target: the embedded simulator serves its own fixtures');
  if (target !== undefined && v['sim-config'] !== undefined) throw new UsageError('--sim-config configures the embedded simulator: it cannot go with --target');
  for (const key of ['fixtures', 'sim-config'] as const) {
    const file = v[key];
    if (file !== undefined && !existsSync(file)) throw new UsageError(`invalid --${key}: file not found: ${file}`);
  }
  const sweepFlags = (['timeouts', 'delays', 'skews'] as const).filter((k) => v[k] !== undefined);
  if (sweepFlags.length > 0 && scenario !== 'timeout-sweep') throw new UsageError(`--${sweepFlags[0]} applies to timeout-sweep only`);
  if (v.ceiling !== undefined && profileName !== 'capacity') throw new UsageError('--ceiling applies to the capacity profile only');
  const influxDb = v['influx-db'] === undefined ? DEFAULT_DATABASE : flag.label('--influx-db', v['influx-db']);
  const influx = v['no-influx'] ? undefined : v.influx === undefined ? 'local' : { url: flag.httpUrl('--influx', v.influx).origin, database: influxDb };
  const seed = v.seed === undefined ? DEFAULT_POOL_OPTIONS.seed : flag.integer('--seed', v.seed);
  const rate = v.rate === undefined ? profile.defaults.rate : flag.positiveNumber('--rate', v.rate, 'iterations per second');
  const ceiling = v.ceiling === undefined ? undefined : flag.positiveNumber('--ceiling', v.ceiling, 'iterations per second');
  if (ceiling !== undefined && ceiling < rate) throw new UsageError(`invalid --ceiling: expected at least --rate (${rate}), got "${v.ceiling}"`);
  return {
    scenario,
    profile: profileName,
    params: {
      rate,
      durationSec: v.duration === undefined ? profile.defaults.durationSec : flag.duration('--duration', v.duration),
      seed: Math.abs(seed) || 1,
      ceiling,
    },
    target,
    targetLabel: v['target-label'] === undefined ? (target ? target.hostname : 'sim') : flag.label('--target-label', v['target-label']),
    versionLabel: v['version-label'] === undefined ? 'unknown' : flag.label('--version-label', v['version-label']),
    fixturesFile: v.fixtures,
    simConfig: v['sim-config'],
    influx,
    influxDb,
    sloOverrides: sloOverrides(v.slo ?? []),
    sweep: {
      timeouts: v.timeouts === undefined ? DEFAULT_SWEEP.timeouts : flag.numberList('--timeouts', v.timeouts, 'seconds', 1),
      delaysMs: v.delays === undefined ? DEFAULT_SWEEP.delaysMs : flag.numberList('--delays', v.delays, 'milliseconds', 0),
      skewsMs: v.skews === undefined ? DEFAULT_SWEEP.skewsMs : flag.numberList('--skews', v.skews, 'milliseconds', -Infinity),
    },
    outDir: path.resolve(v.out ?? 'results'),
    testid: v.testid === undefined ? defaultTestid(scenario) : flag.testid('--testid', v.testid),
    seed,
    quiet: v.quiet ?? false,
  };
}
