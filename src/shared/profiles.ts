/**
 * Named load profiles: the shape of the arrival rate over time. Open workload model only (arrival-rate
 * executors), so a slow target cannot slow the offered load down. The same maths serve the k6 scenario
 * (its `options.scenarios`) and the CLI (pool sizing, plans).
 */
import { formatDuration } from './time.js';

export interface ProfileParams {
  /** baseline arrival rate, offers per second */
  readonly rate: number;
  /** whole run length, seconds */
  readonly durationSec: number;
}

/** One segment of the shape: ramp linearly to `rate` (per second) over `seconds`. */
export interface Segment {
  readonly rate: number;
  readonly seconds: number;
}

export interface Profile {
  readonly name: string;
  readonly description: string;
  readonly defaults: ProfileParams;
  /** the arrival rate at t=0, offers per second */
  readonly startRate: (p: ProfileParams) => number;
  readonly segments: (p: ProfileParams) => Segment[];
}

/** Splits the run into parts by weight, whole seconds each, summing to the run length. */
function split(durationSec: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.max(1, Math.floor((durationSec * w) / total)));
  const used = parts.reduce((a, b) => a + b, 0);
  parts[parts.length - 1] = Math.max(1, (parts[parts.length - 1] ?? 1) + Math.round(durationSec) - used);
  return parts;
}

/** Peak multiplier of the burst profile over its baseline. */
export const BURST_FACTOR = 4;

export const PROFILES: Readonly<Record<string, Profile>> = {
  smoke: {
    name: 'smoke',
    description: 'a few offers per second for a few seconds: does the scenario work against this target at all',
    defaults: { rate: 2, durationSec: 10 },
    startRate: (p) => p.rate,
    segments: (p) => [{ rate: p.rate, seconds: Math.round(p.durationSec) }],
  },
  average: {
    name: 'average',
    description: 'a steady baseline rate: the everyday load, for latency baselines and regressions',
    defaults: { rate: 20, durationSec: 120 },
    startRate: (p) => p.rate,
    segments: (p) => [{ rate: p.rate, seconds: Math.round(p.durationSec) }],
  },
  burst: {
    name: 'burst',
    description: `baseline, a fast ramp to ${BURST_FACTOR}x baseline held for a fifth of the run, then recovery at baseline`,
    defaults: { rate: 20, durationSec: 120 },
    startRate: (p) => p.rate,
    segments: (p) => {
      const [base, up, peak, down, recovery] = split(p.durationSec, [35, 5, 20, 5, 35]) as [number, number, number, number, number];
      const high = p.rate * BURST_FACTOR;
      return [
        { rate: p.rate, seconds: base },
        { rate: high, seconds: up },
        { rate: high, seconds: peak },
        { rate: p.rate, seconds: down },
        { rate: p.rate, seconds: recovery },
      ];
    },
  },
};

export type ProfileName = keyof typeof PROFILES;

/** The profile by name, or an error naming the allowed ones. */
export function getProfile(name: string): Profile {
  const profile = PROFILES[name];
  if (!profile) throw new Error(`invalid --profile: expected one of ${Object.keys(PROFILES).join(', ')}, got "${name}"`);
  return profile;
}

/** Expected iterations of a profile run: the integral of the arrival rate over time (linear ramps). */
export function expectedIterations(profile: Profile, p: ProfileParams): number {
  let from = profile.startRate(p);
  let total = 0;
  for (const s of profile.segments(p)) {
    total += ((from + s.rate) / 2) * s.seconds;
    from = s.rate;
  }
  return Math.round(total);
}

/** The highest arrival rate of a profile run, per second. */
export function peakRate(profile: Profile, p: ProfileParams): number {
  return Math.max(profile.startRate(p), ...profile.segments(p).map((s) => s.rate));
}

/** VUs to pre-allocate for an arrival rate, given the latency the target is expected to have at worst (seconds). */
export function vusFor(rate: number, worstLatencySec = 0.5): { preAllocatedVUs: number; maxVUs: number } {
  const pre = Math.ceil(rate * worstLatencySec) + 5;
  return { preAllocatedVUs: pre, maxVUs: Math.min(5000, Math.max(pre * 4, 50)) };
}

/** A k6 scenario (ramping-arrival-rate) for a profile run; `exec` names the exported function to run. */
export function k6Scenario(profile: Profile, p: ProfileParams, exec = 'default'): Record<string, unknown> {
  const segments = profile.segments(p);
  return {
    executor: 'ramping-arrival-rate',
    exec,
    startRate: profile.startRate(p),
    timeUnit: '1s',
    stages: segments.map((s) => ({ target: s.rate, duration: formatDuration(s.seconds) })),
    ...vusFor(peakRate(profile, p)),
    gracefulStop: '10s',
  };
}
