/**
 * A scenario's k6 options: the executor from its profile and the run's parameters, and the summary thresholds
 * from its operations. k6 reads options from the init run with __VU 0 only, so run.ts loads this file there
 * alone (a lazy require): the profiles, the scenario registry and the threshold tables are never evaluated in
 * the VUs that send requests, which would hold their functions and objects for nothing (bench/vu-memory.ts).
 */
import { DEFAULT_SEED, K6_ENV } from '../shared/k6-contract.js';
import { MEASUREMENTS } from '../shared/measurements.js';
import { OUTCOMES } from '../shared/outcome.js';
import { getProfile, k6ScenarioFor, type ProfileParams } from '../shared/profiles.js';
import { planScenario } from '../shared/arrivals.js';
import { arrivalWindows, contactLives } from './arrivals.js';
import { SCENARIOS } from '../shared/scenarios.js';
import { parseDuration } from '../shared/time.js';

function positiveNumber(name: string, fallback: number): number {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`invalid ${name}: expected a positive number, got "${raw}"`);
  return value;
}

function seconds(name: string, fallback: number): number {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const value = parseDuration(raw);
  if (value === undefined) throw new Error(`invalid ${name}: expected a duration such as 90s or 2m, got "${raw}"`);
  return value;
}

/**
 * Thresholds that always pass but make k6 keep per-operation and per-outcome submetrics for the
 * end-of-test data, which the CLI turns into summary.json (k6 reports only submetrics with thresholds).
 */
export function summaryThresholds(ops: readonly string[]): Record<string, string[]> {
  const thresholds: Record<string, string[]> = {};
  for (const op of ops) {
    thresholds[`${MEASUREMENTS.latency}{op:${op}}`] = ['max>=0'];
    thresholds[`http_reqs{op:${op}}`] = ['count>=0'];
    for (const outcome of OUTCOMES) thresholds[`${MEASUREMENTS.outcomes}{op:${op},outcome:${outcome}}`] = ['count>=0'];
  }
  return thresholds;
}

/** The k6 options of `scenario` for this run's profile and parameters; throws on a profile the scenario does not take. */
export function optionsFor(scenario: string, sessionsReused: boolean): Record<string, unknown> {
  const info = SCENARIOS[scenario];
  if (!info) throw new Error(`unknown scenario ${scenario}`);
  const profile = getProfile(__ENV[K6_ENV.profile] || 'smoke');
  if (!info.profiles.includes(profile.name)) {
    throw new Error(
      `invalid profile for ${scenario}: expected one of ${info.profiles.join(', ')}, got "${profile.name}"`,
    );
  }
  const params: ProfileParams = {
    rate: positiveNumber(K6_ENV.rate, profile.defaults.rate),
    durationSec: seconds(K6_ENV.duration, profile.defaults.durationSec),
    seed: positiveNumber(K6_ENV.seed, DEFAULT_SEED),
    ceiling: __ENV[K6_ENV.ceiling] ? positiveNumber(K6_ENV.ceiling, 1) : undefined,
    rampSec: __ENV[K6_ENV.ramp] ? seconds(K6_ENV.ramp, 1) : undefined,
  };
  const arrivalsPath = __ENV[K6_ENV.arrivals];
  const contactsPath = __ENV[K6_ENV.contacts];
  // a contact plan says how many contacts overlap and how long the longest lives
  const contacts = contactsPath ? contactLives(contactsPath) : undefined;
  const options: Record<string, unknown> = {
    scenarios: {
      [scenario]: arrivalsPath
        ? planScenario(
            arrivalWindows(arrivalsPath),
            contacts ? contacts.longestMs / 1000 : info.iterationSec,
            contacts?.peakConcurrent,
          )
        : k6ScenarioFor(profile, params, info.iterationSec),
    },
    summaryTrendStats: ['min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max', 'count'],
    // k6 empties each VU's cookie jar after every iteration unless told not to: reuse keeps the session
    noCookiesReset: sessionsReused,
  };
  // Scenarios summarised from InfluxDB keep no thresholds: k6 then holds no samples for the whole run.
  if (!info.summaryFromInflux) options.thresholds = summaryThresholds(info.ops);
  return options;
}
