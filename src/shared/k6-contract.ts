/**
 * The contract between offerload's Node side and its k6 scenario bundles, written once: the environment
 * variables a bundle reads (src/k6/config.ts reads them by these names), the run tags every point carries,
 * and the rule that sizes the test-data pool to the plan. `offerload run`, `offerload operator` and the
 * benchmarks build a bundle's environment with `k6Env`, never by hand.
 */
import type { ProfileParams } from './profiles.js';
import type { SessionMode } from './sessions.js';
import type { Sweep } from './sweep.js';
import { SCENARIOS } from './scenarios.js';

/** Every variable a scenario bundle reads, by what it carries. Credentials come from the process environment only. */
export const K6_ENV = {
  target: 'OFFERLOAD_TARGET',
  apiVersion: 'OFFERLOAD_API_VERSION',
  testid: 'OFFERLOAD_TESTID',
  profile: 'OFFERLOAD_PROFILE',
  rate: 'OFFERLOAD_RATE',
  duration: 'OFFERLOAD_DURATION',
  seed: 'OFFERLOAD_SEED',
  ceiling: 'OFFERLOAD_CEILING',
  ramp: 'OFFERLOAD_RAMP',
  pool: 'OFFERLOAD_POOL',
  summary: 'OFFERLOAD_SUMMARY',
  sweep: 'OFFERLOAD_SWEEP',
  requestTimeout: 'OFFERLOAD_REQUEST_TIMEOUT',
  sessions: 'OFFERLOAD_SESSIONS',
  generator: 'OFFERLOAD_GENERATOR',
  /** '1': log each record the run creates or changes (src/shared/run-records.ts) to k6's console output */
  records: 'OFFERLOAD_RECORDS',
  /** '1': the CLI serves the drain channel (src/shared/control.ts) as k6's secret source */
  control: 'OFFERLOAD_CONTROL',
  /** the arrival plan (src/shared/arrivals.ts) when arrivals are Poisson; absent: evenly spaced */
  arrivals: 'OFFERLOAD_ARRIVALS',
  /** the contact plan (src/shared/contact-plan.ts) of a scenario that plans contacts */
  contacts: 'OFFERLOAD_CONTACTS',
  username: 'OFFERLOAD_USERNAME',
  password: 'OFFERLOAD_PASSWORD',
  token: 'OFFERLOAD_TOKEN',
  oauthClientId: 'OFFERLOAD_OAUTH_CLIENT_ID',
  oauthClientSecret: 'OFFERLOAD_OAUTH_CLIENT_SECRET',
  oauthTokenUrl: 'OFFERLOAD_OAUTH_TOKEN_URL',
} as const;

/** The credential variables, as a run hands them on (never on a command line, never in a file it writes). */
export const CREDENTIAL_ENV = [
  K6_ENV.username,
  K6_ENV.password,
  K6_ENV.token,
  K6_ENV.oauthClientId,
  K6_ENV.oauthClientSecret,
  K6_ENV.oauthTokenUrl,
] as const;

/** The documented default seed of the test data and random shapes. */
export const DEFAULT_SEED = 42;

/** Most pool entries a run makes (the k6-operator's ConfigMap limit shrinks it further); longer runs wrap around. */
export const MAX_POOL_ENTRIES = 50_000;

/** Pool entries for a plan: every planned iteration, 5% and 100 to spare, at most MAX_POOL_ENTRIES. */
export function poolSizeFor(plannedIterations: number): number {
  return Math.min(MAX_POOL_ENTRIES, Math.ceil(plannedIterations * 1.05) + 100);
}

/** Fresh documents a plan needs when every iteration offers one (5% over the plan for overruns). */
export function freshDocumentsFor(plannedIterations: number): number {
  return Math.ceil(plannedIterations * 1.05);
}

/** What a bundle needs to know of a run. */
export interface BundleRun {
  readonly target: string;
  readonly testid: string;
  readonly profile: string;
  readonly params: ProfileParams;
  readonly poolPath: string;
  /** where handleSummary writes k6's end-of-test data; '' for none */
  readonly summaryPath: string;
  readonly scenario: string;
  readonly sweep: Sweep;
  readonly requestTimeoutSec: number;
  readonly sessions: SessionMode;
  readonly insecureSkipTlsVerify: boolean;
  /** the arrival plan's file, when arrivals are Poisson (undefined: k6's evenly spaced starts) */
  readonly arrivalsPath?: string;
  /** the contact plan's file, for a scenario that plans contacts */
  readonly contactsPath?: string;
}

/** A bundle's environment for a run (credentials are added by the caller, from the environment only). */
export function k6Env(r: BundleRun): Record<string, string> {
  const p = r.params;
  return {
    [K6_ENV.target]: r.target,
    [K6_ENV.testid]: r.testid,
    [K6_ENV.profile]: r.profile,
    [K6_ENV.rate]: String(p.rate),
    [K6_ENV.duration]: `${p.durationSec}s`,
    [K6_ENV.seed]: String(p.seed ?? DEFAULT_SEED),
    ...(p.ceiling ? { [K6_ENV.ceiling]: String(p.ceiling) } : {}),
    ...(p.rampSec ? { [K6_ENV.ramp]: `${p.rampSec}s` } : {}),
    ...(SCENARIOS[r.scenario]?.sweeps ? { [K6_ENV.sweep]: JSON.stringify(r.sweep) } : {}),
    ...(r.insecureSkipTlsVerify ? { K6_INSECURE_SKIP_TLS_VERIFY: 'true' } : {}),
    [K6_ENV.requestTimeout]: `${r.requestTimeoutSec}s`,
    [K6_ENV.sessions]: r.sessions,
    [K6_ENV.pool]: r.poolPath,
    ...(r.arrivalsPath ? { [K6_ENV.arrivals]: r.arrivalsPath } : {}),
    ...(r.contactsPath ? { [K6_ENV.contacts]: r.contactsPath } : {}),
    ...(r.summaryPath ? { [K6_ENV.summary]: r.summaryPath } : {}),
  };
}

/**
 * k6 arguments a scenario's runs need: one summarised from InfluxDB (a soak of hours) keeps no samples in k6
 * (no end-of-test summary, no thresholds), so its memory stays flat.
 */
export function scenarioArgs(scenario: string): string[] {
  return SCENARIOS[scenario]?.summaryFromInflux ? ['--summary-mode=disabled', '--no-thresholds'] : [];
}

/** The tags every point of a run carries (k6 --tag): the run's identity, and the user's own tags. */
export function runTags(r: {
  readonly testid: string;
  readonly profile: string;
  readonly targetLabel: string;
  readonly versionLabel: string;
  readonly extraTags: Readonly<Record<string, string>>;
}): Record<string, string> {
  return { ...r.extraTags, testid: r.testid, profile: r.profile, target: r.targetLabel, version: r.versionLabel };
}
