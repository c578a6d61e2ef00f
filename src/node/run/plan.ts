/**
 * The plan of a run: a pure function from the parsed flag values (run/options.ts), the config file and the
 * environment to typed options, each problem a one-line UsageError. Precedence, for every setting that more
 * than one source can give: flags, then the config file (targets, slos, influx), then the environment
 * (credentials only), then the defaults (the profile's rate and duration, seed 42, reuse sessions).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CEILING_STEPS, getProfile, peakRate, PROFILES, type ProfileParams } from '../../shared/profiles.js';
import { loadRunConfig } from './config-file.js';
import { chooseTarget } from './target.js';
import { DEFAULT_CLEANUP_RATE } from '../cleanup/cleanup.js';
import { SCENARIOS, type Slo } from '../../shared/scenarios.js';
import { SESSION_MODES, type SessionMode } from '../../shared/sessions.js';
import type { Sweep } from '../../shared/sweep.js';
import { UsageError, withFlag } from '../errors.js';
import type { SimConfig } from '../sim/config.js';
import { loadSimConfig } from '../sim/settings.js';
import { influxBaseUrl, influxTarget, type InfluxTarget } from '../influx/connection.js';
import { defaultInfluxOptions } from '../influx/server.js';
import * as flag from '../values.js';
import { flagValue, type RunFlagValues } from './options.js';
import { ARRIVAL_MODES, type ArrivalMode } from '../../shared/arrivals.js';
import { forecastFrom, speedupOf } from '../forecast/flags.js';
import { type ContactCentreSettings, contactCentreFlagsGiven, contactCentreFrom } from '../contact-centre/settings.js';
import { type ForecastReplay, replayCurve, replayRates } from '../forecast/replay.js';

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
  /** the embedded simulator's settings from --sim-config (read and checked with the plan), without its users from the environment */
  readonly simConfig: SimConfig | undefined;
  readonly influx: InfluxTarget | 'local' | undefined;
  readonly influxDb: string;
  readonly sloOverrides: Slo;
  /** the worst-window figure beside each SLO: its window, seconds */
  readonly sloWindowSec: number;
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
  /** reuse the testid on purpose: its old points and results are deleted first */
  readonly replace: boolean;
  readonly seed: number;
  /** how iterations arrive (src/shared/arrivals.ts): Poisson made from the seed, or k6's evenly spaced starts */
  readonly arrivals: { readonly mode: ArrivalMode; readonly dispersion: number };
  readonly quiet: boolean;
  /** put back what the run left at its end (offerload cleanup), at most this many requests per second */
  readonly cleanup: { readonly ratePerSec: number } | undefined;
  /** the user's forecast as the load (--forecast), with the rate curve in params.curve; capacity: its ceiling */
  readonly forecast?: ForecastReplay;
  /** a scenario that plans contacts: the contact centre's settings, and how much faster than real time it runs */
  readonly contactCentre?: { readonly settings: ContactCentreSettings; readonly speedup: number };
  /** set for a capacity run's refinement probe (refine.ts): its documents start after those the run used before */
  readonly probe?: { readonly firstDocument: number };
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
    out[k] = k.endsWith('_rate')
      ? flag.share(`--slo ${k}`, value)
      : flag.positiveNumber(`--slo ${k}`, value, 'milliseconds');
  }
  return out;
}

/** Tags offerload sets itself, which --tag may not replace. */
const RESERVED_TAGS = [
  'testid',
  'profile',
  'target',
  'version',
  'scenario',
  'name',
  'op',
  'outcome',
  'outcome_class',
  'reason',
  'status',
  'method',
  'url',
];

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

/** The profile: --profile, or the forecast's with --forecast (capacity keeps its own: the forecast sets its ceiling). */
function profileOf(given: string | undefined, scenario: string, forecast: ForecastReplay | undefined): string {
  const info = SCENARIOS[scenario]!;
  const replays = (n: string): boolean => SCENARIOS[n]!.profiles.includes('forecast');
  if (forecast && !replays(scenario) && !info.profiles.some((p) => getProfile(p).ceiling))
    throw new UsageError(
      `--forecast does not apply to ${scenario}: it is the load of ${Object.keys(SCENARIOS).filter(replays).join(', ')}, and the ceiling of capacity`,
    );
  const name =
    given === undefined
      ? forecast && replays(scenario)
        ? 'forecast'
        : info.defaultProfile
      : flag.oneOf('--profile', given, info.profiles);
  const profile = getProfile(name);
  if (profile.forecast && !forecast) throw new UsageError('--profile forecast needs --forecast FILE');
  if (forecast && !profile.forecast && !profile.ceiling)
    throw new UsageError(`--forecast cannot go with --profile ${name}: the forecast is the load`);
  return name;
}

interface Values {
  readonly [name: string]: string | undefined;
}

/** The plan from parsed flag values and the scenario word(s); reads the config file, never argv. */
export function planRun(
  values: RunFlagValues,
  positionals: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): RunOptions {
  const v = values as Values & { readonly [name: string]: any };
  if (positionals.length !== 1)
    throw new UsageError(
      `offerload run takes one scenario (one of ${Object.keys(SCENARIOS).join(', ')}), got ${positionals.length}`,
    );
  const scenario = flag.oneOf('scenario', positionals[0]!, Object.keys(SCENARIOS));
  const info = SCENARIOS[scenario]!;
  const forecast = forecastFrom(values, info.plansContacts === true);
  const contactFlags = contactCentreFlagsGiven(values);
  if (contactFlags.length > 0 && !info.plansContacts)
    throw new UsageError(
      `--${contactFlags[0]} applies to ${Object.keys(SCENARIOS)
        .filter((n) => SCENARIOS[n]!.plansContacts)
        .join(', ')} only`,
    );
  const contactCentre = info.plansContacts
    ? { settings: contactCentreFrom(values), speedup: forecast?.speedup ?? speedupOf(values) }
    : undefined;
  const profileName = profileOf(v.profile, scenario, forecast);
  const profile = getProfile(profileName);
  if (v.influx !== undefined && v['no-influx']) throw new UsageError('conflicting flags: --influx and --no-influx');
  if (v['no-influx'] && (info.summaryFromInflux || profile.needsInflux)) {
    throw new UsageError(
      `--no-influx cannot go with ${scenario}/${profileName}: its results are read back from InfluxDB`,
    );
  }
  const config = loadRunConfig(v.config);
  const chosen = chooseTarget(v.target, v.production ?? false, config, env);
  const { url: target, entry } = chosen;
  const named = chosen.name !== undefined;
  if (target === undefined && v.fixtures !== undefined)
    throw new UsageError('--fixtures needs --target: the embedded simulator serves its own fixtures');
  if (target !== undefined && v['sim-config'] !== undefined)
    throw new UsageError('--sim-config configures the embedded simulator: it cannot go with --target');
  for (const key of ['fixtures', 'sim-config'] as const) {
    const file = v[key];
    if (file !== undefined && !existsSync(file)) throw new UsageError(`invalid --${key}: file not found: ${file}`);
  }
  const sweepFlags = (['timeouts', 'delays', 'skews'] as const).filter((k) => v[k] !== undefined);
  if (sweepFlags.length > 0 && !info.sweeps)
    throw new UsageError(
      `--${sweepFlags[0]} applies to ${Object.keys(SCENARIOS)
        .filter((n) => SCENARIOS[n]!.sweeps)
        .join(', ')} only`,
    );
  if (v.ceiling !== undefined && !profile.ceiling)
    throw new UsageError(
      `--ceiling applies to the ${Object.values(PROFILES)
        .filter((p) => p.ceiling)
        .map((p) => p.name)
        .join(', ')} profile only`,
    );
  const influxDb = flag.label('--influx-db', flagValue(v, 'influx-db')!);
  // the path is kept: a reverse proxy's prefix (https://metrics.example.com/influx)
  const influxUrlGiven =
    v.influx !== undefined
      ? influxBaseUrl('--influx', v.influx)
      : config.influx?.url
        ? influxBaseUrl('influx.url', config.influx.url)
        : undefined;
  // the local InfluxDB's port comes from the environment: checked now, before anything starts
  if (!v['no-influx'] && influxUrlGiven === undefined) defaultInfluxOptions(env);
  const influx = v['no-influx']
    ? undefined
    : influxUrlGiven === undefined
      ? 'local'
      : influxTarget({
          url: influxUrlGiven,
          database:
            v['influx-db'] === undefined && config.influx?.database
              ? flag.label('influx.database', config.influx.database)
              : influxDb,
          section: config.influx,
          env,
          insecureSkipTlsVerify: v['insecure-skip-tls-verify'] ?? false,
          ...(v['influx-flavour'] !== undefined ? { flavour: v['influx-flavour'] } : {}),
        });
  const seed = flag.integer('--seed', flagValue(v, 'seed')!);
  // flags over the config file's arrivals over the table's defaults
  const arrivalMode =
    v.arrivals === undefined && config.arrivals?.mode !== undefined
      ? flag.oneOf('arrivals.mode', config.arrivals.mode, ARRIVAL_MODES)
      : flag.oneOf('--arrivals', flagValue(v, 'arrivals')!, ARRIVAL_MODES);
  const dispersion =
    v.dispersion === undefined && config.arrivals?.dispersion !== undefined
      ? config.arrivals.dispersion
      : flag.positiveNumber('--dispersion', flagValue(v, 'dispersion')!, 'variance-to-mean ratio');
  if (dispersion < 1)
    throw new UsageError(
      `invalid ${v.dispersion === undefined ? 'arrivals.dispersion' : '--dispersion'}: expected a variance-to-mean ratio of at least 1 (1 is Poisson), got "${dispersion}"`,
    );
  if (dispersion !== 1 && arrivalMode === 'even')
    throw new UsageError('a dispersion applies to poisson arrivals only: evenly spaced arrivals have none');
  const curve = forecast && profile.forecast ? replayCurve(forecast) : undefined;
  if (curve) {
    const given = (['rate', 'duration', 'ramp'] as const).find((k) => v[k] !== undefined);
    if (given) throw new UsageError(`--${given} cannot go with --forecast: the forecast sets the load`);
  }
  // a capacity run with a forecast climbs to the forecast's peak offer rate (one offer a contact), scaled
  const forecastCeiling =
    forecast && profile.ceiling ? Math.max(1, Math.round(Math.max(...replayRates(forecast)))) : undefined;
  if (forecastCeiling !== undefined && v.ceiling !== undefined)
    throw new UsageError('--ceiling cannot go with --forecast: the forecast peak (times --scale) is the ceiling');
  const ceiling =
    forecastCeiling ??
    (v.ceiling === undefined ? undefined : flag.positiveNumber('--ceiling', v.ceiling, 'iterations per second'));
  const rate = curve
    ? Math.max(...replayRates(forecast!))
    : v.rate === undefined
      ? forecastCeiling !== undefined
        ? forecastCeiling / DEFAULT_CEILING_STEPS
        : profile.defaults.rate
      : flag.positiveNumber('--rate', v.rate, 'iterations per second');
  if (ceiling !== undefined && ceiling < rate)
    throw new UsageError(`invalid --ceiling: expected at least --rate (${rate}), got "${v.ceiling ?? ceiling}"`);
  const durationSec = curve
    ? curve.segments.reduce((a, s) => a + s.seconds, 0)
    : v.duration === undefined
      ? profile.defaults.durationSec
      : flag.duration('--duration', v.duration);
  const rampSec = v.ramp === undefined ? undefined : flag.duration('--ramp', v.ramp);
  if (rampSec !== undefined && !profile.ramps)
    throw new UsageError(
      `--ramp does not apply to the ${profileName} profile: it has no ramps (burst, shift-start, spike and capacity do)`,
    );
  if (rampSec !== undefined && rampSec * 2 >= durationSec)
    throw new UsageError(`invalid --ramp: expected less than half of --duration (${durationSec} s), got "${v.ramp}"`);
  const peak = peakRate(profile, { rate, durationSec, ceiling });
  if (entry?.max_rate !== undefined && peak > entry.max_rate) {
    throw new UsageError(
      `invalid --rate: the ${profileName} profile peaks at ${peak}/s, over this target's max_rate of ${entry.max_rate}/s`,
    );
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
      curve,
    },
    ...(forecast ? { forecast } : {}),
    ...(contactCentre ? { contactCentre } : {}),
    target,
    targetLabel:
      v['target-label'] !== undefined
        ? flag.label('--target-label', v['target-label'])
        : entry?.label
          ? flag.label('label', entry.label)
          : named
            ? flag.label('--target', v.target!)
            : target
              ? target.hostname
              : 'sim',
    versionLabel: flag.label('--version-label', flagValue(v, 'version-label')!),
    fixturesFile: v.fixtures,
    discover: v.discover ?? false,
    simConfig:
      v['sim-config'] === undefined
        ? undefined
        : withFlag('--sim-config', v['sim-config'], () => loadSimConfig({ file: v['sim-config'] })),
    influx,
    influxDb,
    sloOverrides: sloOverrides(v.slo ?? []),
    sloWindowSec: flag.duration('--slo-window', flagValue(v, 'slo-window')!),
    configSlos: config.slos,
    credentials: chosen.credentials,
    extraTags: extraTags(v.tag ?? []),
    dryRun: v['dry-run'] ?? false,
    influxOptional: v['influx-optional'] ?? false,
    requestTimeoutSec: flag.duration('--request-timeout', flagValue(v, 'request-timeout')!),
    sessions: flag.oneOf('--sessions', flagValue(v, 'sessions')!, SESSION_MODES),
    insecureSkipTlsVerify: v['insecure-skip-tls-verify'] ?? false,
    sweep: {
      timeouts: flag.numberList('--timeouts', flagValue(v, 'timeouts')!, 'seconds', 1),
      delaysMs: flag.numberList('--delays', flagValue(v, 'delays')!, 'milliseconds', 0),
      skewsMs: flag.numberList('--skews', flagValue(v, 'skews')!, 'milliseconds', -Infinity),
    },
    outDir: path.resolve(flagValue(v, 'out')!),
    testid: v.testid === undefined ? defaultTestid(scenario) : flag.testid('--testid', v.testid),
    replace: v.replace ?? false,
    seed,
    arrivals: { mode: arrivalMode, dispersion },
    quiet: v.quiet ?? false,
    cleanup: v.cleanup
      ? { ratePerSec: Math.min(DEFAULT_CLEANUP_RATE, entry?.max_rate ?? DEFAULT_CLEANUP_RATE) }
      : undefined,
  };
}
