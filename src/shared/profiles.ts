/**
 * Named load profiles: the shape of the arrival rate over time. Open workload model only (arrival-rate
 * executors), so a slow target cannot slow the offered load down. The same maths serve the k6 scenario
 * (its `options.scenarios`) and the CLI (pool sizing, plans).
 */
import { seededRandom } from './random.js';
import { formatDuration } from './time.js';

export interface ProfileParams {
  /** baseline arrival rate, iterations per second (capacity: the first plateau and the step) */
  readonly rate: number;
  /** whole run length, seconds */
  readonly durationSec: number;
  /** seed for shapes with random parts (irregular bursts) */
  readonly seed?: number;
  /** capacity: the highest plateau, iterations per second (default 8 steps of `rate`) */
  readonly ceiling?: number;
  /** length of each ramp, seconds (profiles with ramps only; each has its own default) */
  readonly rampSec?: number;
  /** the forecast profile: the rate curve made from the user's forecast (src/node/forecast/replay.ts) */
  readonly curve?: RateCurve;
}

/** One segment of the shape: ramp linearly to `rate` (per second) over `seconds`. */
export interface Segment {
  readonly rate: number;
  readonly seconds: number;
}

/** A rate curve, piecewise linear: starting at `startRate`, each segment moves to its rate over its seconds. */
export interface RateCurve {
  readonly startRate: number;
  readonly segments: readonly Segment[];
}

export interface Profile {
  readonly name: string;
  readonly description: string;
  readonly defaults: ProfileParams;
  /** whether the shape has ramps that --ramp can lengthen or shorten */
  readonly ramps?: boolean;
  /** the shape climbs to a ceiling that --ceiling sets */
  readonly ceiling?: boolean;
  /** the run's results are read back from InfluxDB (per plateau): --no-influx cannot go with it */
  readonly needsInflux?: boolean;
  /** the watchdog also stops the run once its SLOs stay broken (not only on a storm) */
  readonly sloWatchdog?: boolean;
  /** plateaus judged one by one, the knee narrowed by refinement probes (runs of their own) and a scalability fit */
  readonly plateaus?: boolean;
  /** the shape is the user's forecast (--forecast), not a rate and a duration */
  readonly forecast?: boolean;
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
    ramps: true,
    segments: (p) => {
      const [base0, up0, peak, down0, recovery0] = split(p.durationSec, [35, 5, 20, 5, 35]) as [
        number,
        number,
        number,
        number,
        number,
      ];
      // --ramp moves time between the ramps and the flat parts around them; the peak keeps its length
      const ramp = p.rampSec === undefined ? up0 : Math.max(1, Math.round(p.rampSec));
      const shift = ramp - up0;
      const [base, up, down, recovery] = [
        Math.max(1, base0 - shift),
        ramp,
        ramp + (down0 - up0),
        Math.max(1, recovery0 - shift),
      ];
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

/** Ramps and holds: [seconds, rate] pairs as segments. */
const hold = (rate: number, seconds: number): Segment => ({ rate, seconds });

/** Peak multiplier of the spike profile. */
export const SPIKE_FACTOR = 8;

/** The capacity profile's ceiling without --ceiling: this many steps of the rate. */
export const DEFAULT_CEILING_STEPS = 8;

/** Capacity plateaus: rates from `rate` up to the ceiling in steps of `rate`, each held for an equal share. */
export function capacityPlateaus(p: ProfileParams): { rate: number; startSec: number; seconds: number }[] {
  const ceiling = p.ceiling ?? p.rate * DEFAULT_CEILING_STEPS;
  const steps = Math.max(1, Math.floor(ceiling / p.rate));
  const seconds = Math.max(2, Math.floor(p.durationSec / steps));
  return Array.from({ length: steps }, (_, i) => ({ rate: p.rate * (i + 1), startSec: i * seconds, seconds }));
}

Object.assign(PROFILES, {
  'shift-start': {
    name: 'shift-start',
    description: 'a shift opens: from a tenth of the rate, a steep ramp over 15% of the run to a plateau at the rate',
    defaults: { rate: 30, durationSec: 180 },
    startRate: (p: ProfileParams) => p.rate / 10,
    ramps: true,
    segments: (p: ProfileParams) => {
      const [ramp0] = split(p.durationSec, [15, 85]) as [number, number];
      const ramp =
        p.rampSec === undefined ? ramp0 : Math.max(1, Math.min(Math.round(p.rampSec), Math.round(p.durationSec) - 1));
      return [hold(p.rate, ramp), hold(p.rate, Math.round(p.durationSec) - ramp)];
    },
  },
  spike: {
    name: 'spike',
    description: `outage recovery: baseline, then ${SPIKE_FACTOR}x within a second, held for a tenth of the run, dropped back as fast`,
    defaults: { rate: 10, durationSec: 120 },
    startRate: (p: ProfileParams) => p.rate,
    ramps: true,
    segments: (p: ProfileParams) => {
      const jump = p.rampSec === undefined ? 1 : Math.max(1, Math.round(p.rampSec));
      const [base, peak, recovery] = split(Math.max(3, p.durationSec - 2 * jump), [45, 10, 45]) as [
        number,
        number,
        number,
      ];
      const high = p.rate * SPIKE_FACTOR;
      return [hold(p.rate, base), hold(high, jump), hold(high, peak), hold(p.rate, jump), hold(p.rate, recovery)];
    },
  },
  irregular: {
    name: 'irregular',
    description: 'bursts of random height (2-5x) and length at random gaps: real traffic, not a metronome (seeded)',
    defaults: { rate: 10, durationSec: 180 },
    startRate: (p: ProfileParams) => p.rate,
    segments: (p: ProfileParams) => {
      const random = seededRandom(p.seed ?? 7);
      const out: Segment[] = [];
      let left = Math.round(p.durationSec);
      let burst = false;
      while (left > 0) {
        const length = Math.min(left, burst ? 3 + Math.floor(random() * 10) : 5 + Math.floor(random() * 20));
        const rate = burst ? p.rate * (2 + random() * 3) : p.rate * (0.6 + random() * 0.6);
        const ramp = Math.min(1, length);
        out.push(hold(Math.round(rate * 100) / 100, ramp));
        if (length - ramp > 0) out.push(hold(Math.round(rate * 100) / 100, length - ramp));
        left -= length;
        burst = !burst;
      }
      return out;
    },
  },
  soak: {
    name: 'soak',
    description: 'a steady realistic rate for hours: leaks, drift and slow degradation',
    defaults: { rate: 10, durationSec: 2 * 3600 },
    startRate: (p: ProfileParams) => p.rate,
    segments: (p: ProfileParams) => [hold(p.rate, Math.round(p.durationSec))],
  },
  capacity: {
    name: 'capacity',
    description:
      'stepped plateaus from the rate up to a ceiling (default 8 steps): where does the target stop keeping up',
    defaults: { rate: 20, durationSec: 320 },
    startRate: (p: ProfileParams) => p.rate,
    ramps: true,
    ceiling: true,
    needsInflux: true,
    sloWatchdog: true,
    plateaus: true,
    segments: (p: ProfileParams) => {
      const step = p.rampSec === undefined ? 1 : Math.max(1, Math.round(p.rampSec));
      return capacityPlateaus(p).flatMap((pl, i) =>
        i === 0
          ? [hold(pl.rate, pl.seconds)]
          : [hold(pl.rate, Math.min(step, pl.seconds - 1)), hold(pl.rate, pl.seconds - Math.min(step, pl.seconds - 1))],
      );
    },
  },
  forecast: {
    name: 'forecast',
    description:
      "the user's workforce-management forecast (--forecast FILE): each interval's contacts, scaled and sped up, as steps",
    defaults: { rate: 1, durationSec: 0 },
    startRate: (p: ProfileParams) => p.curve?.startRate ?? 0,
    forecast: true,
    segments: (p: ProfileParams) => [...(p.curve?.segments ?? [])],
  },
} satisfies Record<string, Profile>);

export type ProfileName = keyof typeof PROFILES;

/** The profile by name, or an error naming the allowed ones. */
export function getProfile(name: string): Profile {
  const profile = PROFILES[name];
  if (!profile)
    throw new Error(`invalid --profile: expected one of ${Object.keys(PROFILES).join(', ')}, got "${name}"`);
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

/** Extends the worst latency an iteration can take (several requests, waits) for VU sizing. */
export function k6ScenarioFor(
  profile: Profile,
  p: ProfileParams,
  iterationSec: number,
  exec = 'default',
): Record<string, unknown> {
  // iterations that wait (a timeout sweep follows each offer to its fate) must be let finish
  const gracefulStop = `${Math.max(10, Math.ceil(iterationSec) + 5)}s`;
  return { ...k6Scenario(profile, p, exec), ...vusFor(peakRate(profile, p), iterationSec), gracefulStop };
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
