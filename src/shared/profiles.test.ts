import { describe, expect, it } from 'vitest';
import {
  BURST_FACTOR,
  capacityPlateaus,
  expectedIterations,
  getProfile,
  k6Scenario,
  peakRate,
  PROFILES,
  SPIKE_FACTOR,
} from './profiles.js';

describe('profiles', () => {
  it.each(Object.keys(PROFILES).filter((n) => n !== 'capacity' && !PROFILES[n]!.forecast))(
    '%s fills exactly the requested duration',
    (name) => {
      const p = getProfile(name);
      const total = p.segments({ rate: 10, durationSec: 97 }).reduce((a, s) => a + s.seconds, 0);
      expect(total).toBe(97);
    },
  );

  it('forecast follows the curve it is given, and is empty without one', () => {
    const p = getProfile('forecast');
    const curve = {
      startRate: 2,
      segments: [
        { rate: 2, seconds: 60 },
        { rate: 5, seconds: 0 },
        { rate: 5, seconds: 60 },
      ],
    };
    expect(p.segments({ rate: 5, durationSec: 120, curve })).toEqual(curve.segments);
    expect(peakRate(p, { rate: 5, durationSec: 120, curve })).toBe(5);
    expect(expectedIterations(p, { rate: 5, durationSec: 120, curve })).toBe(420);
    expect(p.segments({ rate: 5, durationSec: 120 })).toEqual([]);
  });

  it('burst peaks at BURST_FACTOR times the baseline and comes back to it', () => {
    const p = getProfile('burst');
    const segs = p.segments({ rate: 10, durationSec: 100 });
    expect(peakRate(p, { rate: 10, durationSec: 100 })).toBe(10 * BURST_FACTOR);
    expect(segs.at(-1)!.rate).toBe(10);
    expect(segs.map((s) => s.seconds)).toEqual([35, 5, 20, 5, 35]);
  });

  it('counts expected iterations as the integral of the rate', () => {
    // 35s*10 + 5s ramp 10->40 (125) + 20s*40 + 5s ramp 40->10 (125) + 35s*10
    expect(expectedIterations(getProfile('burst'), { rate: 10, durationSec: 100 })).toBe(350 + 125 + 800 + 125 + 350);
    expect(expectedIterations(getProfile('smoke'), { rate: 2, durationSec: 10 })).toBe(20);
  });

  it('builds a ramping-arrival-rate k6 scenario with stages in whole seconds', () => {
    const s = k6Scenario(getProfile('burst'), { rate: 5, durationSec: 60 });
    expect(s).toMatchObject({ executor: 'ramping-arrival-rate', startRate: 5, timeUnit: '1s' });
    expect((s.stages as { target: number; duration: string }[]).map((x) => x.duration)).toEqual([
      '21s',
      '3s',
      '12s',
      '3s',
      '21s',
    ]);
  });

  it('names the allowed profiles when given an unknown one', () => {
    expect(() => getProfile('huge')).toThrow(
      'invalid --profile: expected one of smoke, average, burst, shift-start, spike, irregular, soak, capacity, forecast, got "huge"',
    );
  });

  it.each(['burst', 'shift-start', 'spike', 'capacity'])('%s takes --ramp and still fills the run', (name) => {
    const p = getProfile(name);
    const params = { rate: 10, durationSec: 120, ceiling: 40, rampSec: 12 };
    expect(p.segments(params).reduce((a, s) => a + s.seconds, 0)).toBe(120);
    expect(p.segments(params).some((s) => s.seconds === 12)).toBe(true);
  });

  it('capacity steps up from the rate to the ceiling in equal plateaus', () => {
    expect(capacityPlateaus({ rate: 10, durationSec: 100, ceiling: 50 })).toEqual(
      [10, 20, 30, 40, 50].map((rate, i) => ({ rate, startSec: i * 20, seconds: 20 })),
    );
    const p = getProfile('capacity');
    expect(p.segments({ rate: 10, durationSec: 100, ceiling: 50 }).reduce((a, s) => a + s.seconds, 0)).toBe(100);
    expect(peakRate(p, { rate: 10, durationSec: 100, ceiling: 50 })).toBe(50);
  });

  it('spike jumps to SPIKE_FACTOR times the baseline within a second', () => {
    const segs = getProfile('spike').segments({ rate: 5, durationSec: 62 });
    expect(segs[1]).toEqual({ rate: 5 * SPIKE_FACTOR, seconds: 1 });
    expect(segs.at(-1)!.rate).toBe(5);
  });

  it('shift-start ramps from a tenth of the rate to a plateau', () => {
    const p = getProfile('shift-start');
    expect(p.startRate({ rate: 30, durationSec: 100 })).toBe(3);
    expect(p.segments({ rate: 30, durationSec: 100 })).toEqual([
      { rate: 30, seconds: 15 },
      { rate: 30, seconds: 85 },
    ]);
  });

  it('irregular bursts are random but the same for the same seed, with uneven gaps', () => {
    const p = getProfile('irregular');
    const a = p.segments({ rate: 10, durationSec: 300, seed: 3 });
    expect(p.segments({ rate: 10, durationSec: 300, seed: 3 })).toEqual(a);
    expect(p.segments({ rate: 10, durationSec: 300, seed: 4 })).not.toEqual(a);
    const holds = a.filter((s) => s.seconds > 1).map((s) => s.seconds);
    expect(new Set(holds).size).toBeGreaterThan(4);
    expect(Math.max(...a.map((s) => s.rate))).toBeGreaterThan(20);
  });
});
