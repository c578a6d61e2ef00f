import { describe, expect, it } from 'vitest';
import type { Plateau } from '../results/model.js';
import { meetsSlo, mixDiffers, mixShift, requestMix, verdict } from './capacity.js';

const plateau = (offered: number, o: Partial<Plateau> = {}): Plateau => ({
  offered_rps: offered,
  achieved_rps: offered,
  served_rps: offered,
  latency_ms: { p50: 40, p90: 50, p95: 60, p99: 70, max: 90 },
  outcomes: { success: 100 },
  mix: { success: 1 },
  mix_shift_points: 0,
  mix_differs: false,
  rate_limited: 0,
  server_errors: 0,
  dropped_iterations: 0,
  max_vus: 10,
  stopped_here: false,
  meets_slo: true,
  generator_limited: false,
  ...o,
});
const slo = { p95_ms: 500, error_rate: 0.05 };

describe('the capacity verdict', () => {
  it('says the ceiling was reached only when every plateau ran and met the SLOs', () => {
    expect(verdict([plateau(10), plateau(20)], true, slo)).toEqual({ knee_rps: 20, limited_by: 'none: the ceiling was reached within the SLOs' });
    expect(verdict([plateau(10), plateau(20)], false, slo)).toEqual({ knee_rps: 20, limited_by: 'unknown: the run ended before its ceiling' });
  });

  it("puts the knee below the plateau the watchdog stopped, and blames the target when that plateau saw its 429s", () => {
    const stopped = plateau(30, { stopped_here: true, meets_slo: false, rate_limited: 40 });
    expect(verdict([plateau(10), plateau(20), stopped], false, slo)).toEqual({ knee_rps: 20, limited_by: 'target' });
  });

  it('blames the generator when it could not keep the rate and the target refused nothing', () => {
    expect(verdict([plateau(10), plateau(20, { generator_limited: true })], true, slo).limited_by).toBe('generator');
  });

  it('judges a plateau by the SLO it is given', () => {
    expect(meetsSlo(slo, 100, 5, 499)).toBe(true);
    expect(meetsSlo(slo, 100, 6, 100)).toBe(false);
    expect(meetsSlo({ p95_ms: 200 }, 100, 0, 250)).toBe(false);
    expect(meetsSlo(slo, 0, 0, 10)).toBe(false);
  });
});

describe('the request mix', () => {
  it('leaves out what load causes (429s, 5xx, timeouts) so a busier target keeps the same mix', () => {
    expect(requestMix({ success: 90, already_assigned: 10, rate_limited: 300, timeout: 50 })).toEqual({ success: 0.9, already_assigned: 0.1 });
    expect(mixShift({ success: 0.9, already_assigned: 0.1 }, { success: 0.8, already_assigned: 0.2 })).toBe(10);
  });

  it('flags a move of more than a few points that is more than noise, and not a few points of noise', () => {
    const first = { success: 0.92, document_inactive: 0.01, already_assigned: 0.07 };
    // the 90/s plateau: the run offering taken documents
    expect(mixDiffers(first, 150, { success: 0.1, document_inactive: 0.5, accepted_work_item: 0.34, already_assigned: 0.06 }, 900)).toBe(true);
    // six points on 150 answers: within three standard errors
    expect(mixDiffers(first, 150, { success: 0.86, document_inactive: 0.01, already_assigned: 0.13 }, 900)).toBe(false);
    // the same six points on 5,000 answers each: real
    expect(mixDiffers(first, 5000, { success: 0.86, document_inactive: 0.01, already_assigned: 0.13 }, 5000)).toBe(true);
  });
});
