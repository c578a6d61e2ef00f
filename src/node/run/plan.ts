/**
 * The plan of a run: `offerload run` flags checked into typed options, each problem a one-line UsageError.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { getProfile, peakRate, type ProfileParams } from '../../shared/profiles.js';
import { credentialsFor, DEFAULT_CONFIG_FILE, loadRunConfig } from './config-file.js';
import { SCENARIOS, type Slo } from '../../shared/scenarios.js';
import { DEFAULT_SESSION_MODE, SESSION_MODES, type SessionMode } from '../../shared/sessions.js';
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
  --ramp D             length of each ramp of the profile, e.g. 20s (burst, shift-start, spike, capacity)
  --ceiling N          capacity profile: the highest plateau, per second (default: 8 x --rate)
  --target URL|NAME    target base URL, or a target named in the config file (default: start the embedded simulator)
  --target-label L     label for the target in tags and reports (default: sim, or the host)
  --version-label L    the target's platform version or build, for tags, annotations and compare (default: unknown)
  --fixtures FILE      agents, queues, documents and presence states (JSON, or CSV: kind,sys_id,name,table,presence,external_id,available)
  --discover           discover fixtures through the Table API even when the target is the simulator
  --config FILE        run configuration: targets (url, allow, production, max_rate, auth), slos, influx
                       (default: ./offerload.config.json when present)
  --production         allow a target the config marks as production (never by accident)
  --tag K=V            extra run tag on every point (repeatable)
  --dry-run            print the plan (executor, stages, peak rate, requests, outputs) and send nothing
  --insecure-skip-tls-verify  do not verify the target's TLS certificate (printed in the summary)
  --sim-config FILE    settings for the embedded simulator (see 'offerload sim --help')
  --influx URL         InfluxDB v1 base URL (default: start the local one on 127.0.0.1:8086)
  --influx-db NAME     database (default: offerload)
  --no-influx          no InfluxDB output (local results only; not for soak or capacity)
  --influx-optional    run with local results only when InfluxDB cannot be reached at the start
  --slo K=V            override an SLO for every operation: p95_ms, p99_ms, error_rate, conflict_rate (repeatable)
  --timeouts LIST      timeout-sweep: offer timeouts in seconds, e.g. 5,10,20,30
  --delays LIST        timeout-sweep: routing delays in ms, e.g. 300,2000
  --skews LIST         timeout-sweep: clock skews in ms (caller ahead of target), e.g. 0,2000
  --request-timeout D  per-request timeout, e.g. 10s (default 60s, the platform's transaction limit)
  --sessions MODE      reuse (default: each VU keeps its session cookies across iterations, as a connector's
                       HTTP client does) or per-request (no cookies kept: a new session on the instance for
                       every request, as a cookie-less integration does)
  --out DIR            results folder (default: results)
  --testid ID          run id (default: <scenario>-<time>-<random>)
  --seed N             seed for the test data and random shapes (default: 42)
  --quiet              no k6 progress output

credentials: OFFERLOAD_USERNAME and OFFERLOAD_PASSWORD (basic auth) or OFFERLOAD_TOKEN (bearer), or
OFFERLOAD_OAUTH_CLIENT_ID and OFFERLOAD_OAUTH_CLIENT_SECRET, from the environment or a config target's auth,
never from argv. With the embedded simulator and none set, a one-run credential is made up.

examples:
  offerload run offer-burst
  offerload run transfer-mix --profile average --rate 5 --duration 10m --testid before-upgrade
  offerload run capacity --target test --rate 10 --ceiling 150 --dry-run`;

const RUN_OPTIONS = {
  profile: { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  ceiling: { type: 'string' },
  ramp: { type: 'string' },
  target: { type: 'string' },
  'target-label': { type: 'string' },
  'version-label': { type: 'string' },
  fixtures: { type: 'string' },
  discover: { type: 'boolean' },
  config: { type: 'string' },
  production: { type: 'boolean' },
  tag: { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
  'insecure-skip-tls-verify': { type: 'boolean' },
  'sim-config': { type: 'string' },
  influx: { type: 'string' },
  'influx-db': { type: 'string' },
  'no-influx': { type: 'boolean' },
  'influx-optional': { type: 'boolean' },
  slo: { type: 'string', multiple: true },
  timeouts: { type: 'string' },
  delays: { type: 'string' },
  skews: { type: 'string' },
  'request-timeout': { type: 'string' },
  sessions: { type: 'string' },
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
  /** fixtures from the Table API, as on a real instance */
  readonly discover: boolean;
  readonly simConfig: string | undefined;
  readonly influx: InfluxTarget | 'local' | undefined;
  readonly influxDb: string;
  readonly sloOverrides: Slo;
  /** per-operation SLOs from the config file (`*` for every operation) */
  readonly configSlos: Readonly<Record<string, Slo>>;
  /** credentials a config target names (never printed) */
  readonly credentials: Readonly<Record<string, string>> | undefined;
  readonly extraTags: Readonly<Record<string, string>>;
  readonly dryRun: boolean;
  readonly influxOptional: boolean;
  /** per-request timeout, seconds */
  readonly requestTimeoutSec: number;
  /** how the run treats the platform's sessions */
  readonly sessions: SessionMode;
  readonly insecureSkipTlsVerify: boolean;
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

/** Tags offerload sets itself, which --tag may not replace. */
const RESERVED_TAGS = ['testid', 'profile', 'target', 'version', 'scenario', 'name', 'op', 'outcome', 'outcome_class', 'reason', 'status', 'method', 'url'];

function extraTags(raw: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of raw) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid --tag: expected KEY=VALUE, got "${item}"`);
    const key = flag.label('--tag key', item.slice(0, eq));
    if (RESERVED_TAGS.includes(key)) throw new UsageError(`invalid --tag: "${key}" is set by offerload itself`);
    out[key] = flag.label(`--tag ${key}`, item.slice(eq + 1));
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
  const config = loadRunConfig(v.config);
  const named = v.target === undefined ? undefined : config.targets[v.target];
  const target = v.target === undefined ? undefined : flag.httpUrl(named ? `targets.${v.target}.url` : '--target', named?.url ?? v.target);
  const entry = named ?? (target ? Object.values(config.targets).find((t) => new URL(t.url).origin === target.origin) : undefined);
  if (target && !isLoopbackHost(target.hostname) && !entry?.allow) {
    throw new UsageError(`invalid --target: ${target.hostname} is not on loopback and no target in the config allows it (set "allow": true for it in ${config.source ?? DEFAULT_CONFIG_FILE})`);
  }
  if (entry?.production && !v.production) throw new UsageError(`invalid --target: ${target!.hostname} is marked production in the config; pass --production if you really mean to load it`);
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
  const influxFromConfig = config.influx?.url ? flag.httpUrl('influx.url', config.influx.url).origin : undefined;
  const influxUrlGiven = v.influx === undefined ? influxFromConfig : flag.httpUrl('--influx', v.influx).origin;
  const influx = v['no-influx'] ? undefined : influxUrlGiven === undefined ? 'local' : { url: influxUrlGiven, database: v['influx-db'] === undefined && config.influx?.database ? flag.label('influx.database', config.influx.database) : influxDb };
  const seed = v.seed === undefined ? DEFAULT_POOL_OPTIONS.seed : flag.integer('--seed', v.seed);
  const rate = v.rate === undefined ? profile.defaults.rate : flag.positiveNumber('--rate', v.rate, 'iterations per second');
  const ceiling = v.ceiling === undefined ? undefined : flag.positiveNumber('--ceiling', v.ceiling, 'iterations per second');
  if (ceiling !== undefined && ceiling < rate) throw new UsageError(`invalid --ceiling: expected at least --rate (${rate}), got "${v.ceiling}"`);
  const durationSec = v.duration === undefined ? profile.defaults.durationSec : flag.duration('--duration', v.duration);
  const rampSec = v.ramp === undefined ? undefined : flag.duration('--ramp', v.ramp);
  if (rampSec !== undefined && !profile.ramps) throw new UsageError(`--ramp does not apply to the ${profileName} profile: it has no ramps (burst, shift-start, spike and capacity do)`);
  if (rampSec !== undefined && rampSec * 2 >= durationSec) throw new UsageError(`invalid --ramp: expected less than half of --duration (${durationSec} s), got "${v.ramp}"`);
  const peak = peakRate(profile, { rate, durationSec, ceiling });
  if (entry?.max_rate !== undefined && peak > entry.max_rate) {
    throw new UsageError(`invalid --rate: the ${profileName} profile peaks at ${peak}/s, over this target's max_rate of ${entry.max_rate}/s`);
  }
  return {
    scenario,
    profile: profileName,
    params: {
      rate,
      durationSec,
      seed: Math.abs(seed) || 1,
      ceiling,
      rampSec,
    },
    target,
    targetLabel: v['target-label'] !== undefined ? flag.label('--target-label', v['target-label']) : entry?.label ? flag.label('label', entry.label) : named ? flag.label('--target', v.target!) : target ? target.hostname : 'sim',
    versionLabel: v['version-label'] === undefined ? 'unknown' : flag.label('--version-label', v['version-label']),
    fixturesFile: v.fixtures,
    discover: v.discover ?? false,
    simConfig: v['sim-config'],
    influx,
    influxDb,
    sloOverrides: sloOverrides(v.slo ?? []),
    configSlos: config.slos,
    credentials: entry?.auth ? credentialsFor(entry.auth, process.env) : undefined,
    extraTags: extraTags(v.tag ?? []),
    dryRun: v['dry-run'] ?? false,
    influxOptional: v['influx-optional'] ?? false,
    requestTimeoutSec: v['request-timeout'] === undefined ? 60 : flag.duration('--request-timeout', v['request-timeout']),
    sessions: v.sessions === undefined ? DEFAULT_SESSION_MODE : flag.oneOf('--sessions', v.sessions, SESSION_MODES),
    insecureSkipTlsVerify: v['insecure-skip-tls-verify'] ?? false,
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
