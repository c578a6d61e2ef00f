import { describe, expect, it } from 'vitest';
import { BURST_FACTOR, expectedIterations, getProfile, k6Scenario, peakRate, PROFILES } from './profiles.js';

describe('profiles', () => {
  it.each(Object.keys(PROFILES))('%s fills exactly the requested duration', (name) => {
    const p = getProfile(name);
    const total = p.segments({ rate: 10, durationSec: 97 }).reduce((a, s) => a + s.seconds, 0);
    expect(total).toBe(97);
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
    expect((s.stages as { target: number; duration: string }[]).map((x) => x.duration)).toEqual(['21s', '3s', '12s', '3s', '21s']);
  });

  it('names the allowed profiles when given an unknown one', () => {
    expect(() => getProfile('huge')).toThrow('invalid --profile: expected one of smoke, average, burst, got "huge"');
  });
});
