/** `offerload run --dry-run`: the plan of a run, printed, with nothing started and nothing sent. */
import path from 'node:path';
import { expectedIterations, getProfile, k6ScenarioFor, peakRate } from '../../shared/profiles.js';
import { requestsPerIteration, SCENARIOS } from '../../shared/scenarios.js';
import { describeSessions } from '../../shared/sessions.js';
import { DEFAULT_RULES } from './watchdog.js';
import { plannedPerHour } from './preflight.js';
import type { RunOptions } from './plan.js';
import { arrivalPlanOf } from './arrival-plan.js';
import { planScenario } from '../../shared/arrivals.js';
import { describeReplay, forecastTable } from '../forecast/describe.js';
import { describeContacts } from './contacts.js';

/** The arrival process in a line: Poisson with its dispersion, seed and count, or k6's even spacing. */
function describeArrivals(opts: RunOptions): string {
  const plan = arrivalPlanOf(opts);
  if (!plan) return "even: k6's arrival-rate executor starts iterations evenly spaced (--arrivals even)";
  const how = `k6 starts each ${plan.windowMs} ms window's arrivals ${plan.leadMs} ms ahead and each waits for its own time`;
  if (plan.mode === 'even') return `even along the forecast: ${plan.offsetsMs.length} arrivals; ${how}`;
  const dispersion =
    plan.dispersion === 1 ? 'Poisson' : `variance-to-mean ratio ${plan.dispersion} per ${plan.intervalSec} s interval`;
  return `poisson (${dispersion}, seed ${plan.seed}): ${plan.offsetsMs.length} arrivals; ${how}`;
}

export function describePlan(opts: RunOptions): string {
  const info = SCENARIOS[opts.scenario]!;
  const profile = getProfile(opts.profile);
  const plan = arrivalPlanOf(opts);
  // the profile's shape in its own stages; the executor (and its VUs) k6 will run: the plan's, when there is one
  const shape = k6ScenarioFor(profile, opts.params, info.iterationSec) as {
    stages: { target: number; duration: string }[];
  };
  const k6 = (plan ? planScenario(plan, info.iterationSec) : shape) as {
    executor: string;
    startRate: number;
    preAllocatedVUs: number;
    maxVUs: number;
  };
  const iterations = expectedIterations(profile, opts.params);
  const influx =
    opts.influx === undefined
      ? 'none (--no-influx)'
      : opts.influx === 'local'
        ? 'the local InfluxDB on 127.0.0.1:8086 (started if needed), database offerload'
        : `${opts.influx.url}, database ${opts.influx.database}`;
  const credentialNames = opts.credentials
    ? Object.keys(opts.credentials).join(', ')
    : 'OFFERLOAD_USERNAME/OFFERLOAD_PASSWORD or OFFERLOAD_TOKEN from the environment';
  return [
    `plan for ${opts.testid} (dry run: nothing is started or sent)`,
    `  scenario   ${opts.scenario}: ${info.description}`,
    `  profile    ${opts.profile}: ${profile.description}`,
    `  executor   ${k6.executor}, start ${k6.startRate}/s, VUs ${k6.preAllocatedVUs} pre-allocated, ${k6.maxVUs} at most`,
    opts.params.curve && opts.forecast
      ? `  stages     the forecast's ${opts.forecast.intervals.length} intervals as steps (below)`
      : `  stages     ${shape.stages.map((s) => `${s.target}/s for ${s.duration}`).join(', ')}${plan ? ` (the shape; k6 runs it as ${plan.counts.length} windows of ${plan.windowMs} ms)` : ''}`,
    `  peak rate  ${peakRate(profile, opts.params)} iterations/s`,
    `  duration   ${opts.params.durationSec} s`,
    `  expected   ${iterations} iterations, about ${Math.round(iterations * requestsPerIteration(info))} requests`,
    `  arrivals   ${describeArrivals(opts)}`,
    `  target     ${opts.target ? opts.target.origin : 'the embedded simulator on 127.0.0.1 (a free port)'} (label ${opts.targetLabel}, version ${opts.versionLabel})`,
    `  auth       ${credentialNames}`,
    `  ratelimit  the plan sends about ${plannedPerHour(opts)} requests in its hour; the run checks the target's rule before any load (a dry run sends nothing: 'offerload doctor --target URL --rate N' checks it now)`,
    `  sessions   ${describeSessions(opts.sessions, { maxVUs: k6.maxVUs, requests: iterations * requestsPerIteration(info) })}`,
    `  tls        ${opts.insecureSkipTlsVerify ? 'certificates NOT verified, target and InfluxDB (--insecure-skip-tls-verify)' : 'certificates verified'}`,
    `  influxdb   ${influx}`,
    `  watchdog   stops the run when 5xx, 429 and timeouts pass ${DEFAULT_RULES.stormShare * 100}% of answers for ${DEFAULT_RULES.sustainSec} s${getProfile(opts.profile).sloWatchdog ? ', or the SLOs stay broken as long' : ''}`,
    `  writes     ${path.join(opts.outDir, opts.testid)}/: summary.json, report.html, junit.xml, summary.md, k6-report.html, windows.json, inputs/pool.json`,
    ...(opts.contactCentre ? ['', describeContacts(opts)] : []),
    ...(opts.forecast && opts.params.curve && !opts.contactCentre ? ['', forecastTable(opts.forecast, info)] : []),
    ...(opts.forecast && !opts.params.curve
      ? [`  forecast   ceiling ${opts.params.ceiling}/s: the peak offer rate of ${describeReplay(opts.forecast)}`]
      : []),
  ].join('\n');
}
