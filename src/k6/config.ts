/**
 * The k6-side configuration: everything a scenario reads from its environment, read once in the init
 * context. The CLI sets these; credentials come only from the process environment, never from argv.
 */
import { SESSION_MODES, type SessionMode } from '../shared/sessions.js';
import { K6_ENV } from '../shared/k6-contract.js';
import { Authentication, authScheme } from '../shared/auth.js';

export interface RunConfig {
  readonly target: string;
  readonly apiVersion: string | undefined;
  readonly testid: string;
  readonly poolPath: string;
  /** the arrival plan (Poisson arrivals), or undefined for k6's evenly spaced starts */
  readonly arrivalsPath: string | undefined;
  readonly summaryPath: string;
  /** per-request timeout, k6 duration string */
  readonly requestTimeout: string;
  /** reuse: each VU keeps its session cookies across iterations (a connector's HTTP client); per-request: none kept */
  readonly sessions: SessionMode;
  /** log what the run creates and changes (run-records.ts): set by `offerload run`, which sends k6's console output to its records file */
  readonly records: boolean;
  /** the CLI serves the drain channel (src/k6/control.ts): ask it once a second whether to stop starting work */
  readonly control: boolean;
  /** this VU's authentication (src/shared/auth.ts): a fixed header, or OAuth tokens it fetches and renews */
  readonly auth: Authentication;
}

/**
 * This load generator's id when a run is split across several (the k6-operator's runner pod name). It goes on
 * each request and metric as the `generator` tag: run-wide tags cannot carry it, because k6 lets command-line
 * --tag flags (the operator adds its own) replace a script's `options.tags` entirely.
 */
export const GENERATOR: string | undefined = __ENV[K6_ENV.generator] || undefined;
export const GENERATOR_TAG: Readonly<Record<string, string>> = GENERATOR ? { generator: GENERATOR } : {};

function required(name: string): string {
  const value = __ENV[name];
  if (value === undefined || value === '') throw new Error(`missing ${name}: run scenarios through 'offerload run'`);
  return value;
}

function sessionMode(): SessionMode {
  const raw = __ENV[K6_ENV.sessions] || 'reuse';
  if (!(SESSION_MODES as readonly string[]).includes(raw))
    throw new Error(`invalid ${K6_ENV.sessions}: expected one of ${SESSION_MODES.join(', ')}, got "${raw}"`);
  return raw as SessionMode;
}

/** Reads the run configuration; `encodeBasic` turns "user:password" into base64 (k6/encoding in k6). */
export function readConfig(encodeBasic: (userPass: string) => string): RunConfig {
  let target = required(K6_ENV.target);
  // trailing slashes cut without a regular expression, which would cost memory in every VU
  while (target.endsWith('/')) target = target.slice(0, -1);
  return {
    target,
    apiVersion: __ENV[K6_ENV.apiVersion] || undefined,
    testid: required(K6_ENV.testid),
    poolPath: required(K6_ENV.pool),
    arrivalsPath: __ENV[K6_ENV.arrivals] || undefined,
    summaryPath: __ENV[K6_ENV.summary] ?? '',
    requestTimeout: __ENV[K6_ENV.requestTimeout] || '60s',
    sessions: sessionMode(),
    records: __ENV[K6_ENV.records] === '1',
    control: __ENV[K6_ENV.control] === '1',
    auth: new Authentication(authScheme(__ENV, target), encodeBasic),
  };
}
