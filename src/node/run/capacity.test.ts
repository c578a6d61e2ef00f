import { describe, expect, it } from 'vitest';
import type { Plateau } from '../results/model.js';
import type { Slo } from '../../shared/scenarios.js';
import {
  keepsUp,
  kneeBracket,
  kneeFields,
  meetsSlo,
  queueGrowing,
  mixDiffers,
  mixShift,
  requestMix,
  verdict,
} from './capacity.js';

const plateau = (offered: number, o: Partial<Plateau> = {}): Plateau => ({
  offered_rps: offered,
  phase: 'coarse',
  achieved_rps: offered,
  served_rps: offered,
  in_flight: offered * 0.04,
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
  latency_climb_ms: 0,
  shed_share: 0,
  meets_slo: true,
  generator_limited: false,
  generator_cpu_share: 0.2,
  ...o,
});
const slo: Slo = { p95_ms: 500, error_rate: 0.05 };

describe('the capacity verdict', () => {
  it('says the ceiling was reached only when every plateau ran and met the SLOs', () => {
    expect(verdict([plateau(10), plateau(20)], true)).toEqual({
      knee_rps: 20,
      limited_by: 'none: the ceiling was reached within the SLOs',
    });
    expect(verdict([plateau(10), plateau(20)], false)).toEqual({
      knee_rps: 20,
      limited_by: 'unknown: the run ended before its ceiling',
    });
  });

  it('puts the knee below the plateau the watchdog stopped, and blames the target when that plateau saw its 429s', () => {
    const stopped = plateau(30, { stopped_here: true, meets_slo: false, rate_limited: 40 });
    expect(verdict([plateau(10), plateau(20), stopped], false)).toEqual({ knee_rps: 20, limited_by: 'target' });
  });

  it('blames the generator when it could not keep the rate and the target refused nothing', () => {
    expect(verdict([plateau(10), plateau(20, { generator_limited: true })], true).limited_by).toBe('generator');
  });

  it('calls a plateau whose latency climbs through it a target falling behind', () => {
    // below capacity the thirds agree; past it the queue, and so the latency, grows for as long as the plateau lasts
    expect(queueGrowing(52, 58)).toBe(false);
    expect(queueGrowing(60, 110)).toBe(false);
    expect(queueGrowing(60, 300)).toBe(true);
    expect(queueGrowing(undefined, 300)).toBe(false);
  });

  it('calls a plateau where the target shed more than 2% of its answers one it did not keep up with', () => {
    // a full queue refusing 3% stays under a 5% error budget, but more load would only be refused
    expect(keepsUp({ success: 970, rate_limited: 30 })).toBe(false);
    expect(keepsUp({ success: 985, already_assigned: 5, rate_limited: 10 })).toBe(true);
    // conflicts are answers the request decided, not load shed
    expect(keepsUp({ success: 800, already_assigned: 200 })).toBe(true);
    expect(keepsUp({})).toBe(false);
  });

  const lat = (p95: number, p99 = p95) => ({ p50: p95 / 2, p90: p95, p95, p99, max: p99 });

  it('judges a plateau by the SLO it is given', () => {
    expect(meetsSlo(slo, { success: 95, server_error: 5 }, lat(499))).toBe(true);
    expect(meetsSlo(slo, { success: 94, timeout: 6 }, lat(100))).toBe(false);
    expect(meetsSlo({ p95_ms: 200 }, { success: 100 }, lat(250))).toBe(false);
    expect(meetsSlo(slo, {}, lat(10))).toBe(false);
    // conflicts are not failures, but a conflict-rate objective judges them
    expect(meetsSlo(slo, { success: 50, already_assigned: 50 }, lat(10))).toBe(true);
    expect(meetsSlo({ conflict_rate: 0.4 }, { success: 50, already_assigned: 50 }, lat(10))).toBe(false);
  });

  it('moves the knee when only a p99 objective is set: every objective counts, not just p95 and errors', () => {
    // a target whose tail grows with load while its p95 stays well under 500 ms
    const figures = [10, 20, 30, 40].map((rate) => ({
      rate,
      outcomes: { success: 1000 },
      latency: lat(100 + rate, 200 + rate * 20),
    }));
    const knee = (s: typeof slo) =>
      verdict(
        figures.map((f) => plateau(f.rate, { meets_slo: meetsSlo(s, f.outcomes, f.latency) })),
        true,
      ).knee_rps;
    expect(knee({ p95_ms: 500, error_rate: 0.05 })).toBe(40);
    expect(knee({ p95_ms: 500, p99_ms: 700, error_rate: 0.05 })).toBe(20);
  });
});

describe('the request mix', () => {
  it('leaves out what load causes (429s, 5xx, timeouts) so a busier target keeps the same mix', () => {
    expect(requestMix({ success: 90, already_assigned: 10, rate_limited: 300, timeout: 50 })).toEqual({
      success: 0.9,
      already_assigned: 0.1,
    });
    expect(mixShift({ success: 0.9, already_assigned: 0.1 }, { success: 0.8, already_assigned: 0.2 })).toBe(10);
  });

  it('flags a move of more than a few points that is more than noise, and not a few points of noise', () => {
    const first = { success: 0.92, document_inactive: 0.01, already_assigned: 0.07 };
    // the 90/s plateau: the run offering taken documents
    expect(
      mixDiffers(
        first,
        150,
        { success: 0.1, document_inactive: 0.5, accepted_work_item: 0.34, already_assigned: 0.06 },
        900,
      ),
    ).toBe(true);
    // six points on 150 answers: within three standard errors
    expect(mixDiffers(first, 150, { success: 0.86, document_inactive: 0.01, already_assigned: 0.13 }, 900)).toBe(false);
    // the same six points on 5,000 answers each: real
    expect(mixDiffers(first, 5000, { success: 0.86, document_inactive: 0.01, already_assigned: 0.13 }, 5000)).toBe(
      true,
    );
  });
});

describe('the knee bracket', () => {
  it('brackets the knee between the highest rate that met the SLOs and the lowest that missed, probes included', () => {
    const coarse = [
      plateau(75),
      plateau(90),
      plateau(105, { meets_slo: false }),
      plateau(120, { meets_slo: false, stopped_here: true }),
    ];
    expect(kneeBracket(coarse)).toEqual({ met: 90, missed: 105 });
    const probed = [...coarse, plateau(98, { phase: 'refine' }), plateau(102, { phase: 'refine', meets_slo: false })];
    expect(kneeFields(probed)).toEqual({ knee_rps: 98, knee_bracket_rps: [98, 102], knee_precision: 0.041 });
  });

  it('gives no bracket before a miss, nor when the generator could not keep the rate first', () => {
    expect(kneeBracket([plateau(10), plateau(20)])).toBeUndefined();
    expect(
      kneeBracket([plateau(10), plateau(20, { generator_limited: true }), plateau(30, { meets_slo: false })]),
    ).toBeUndefined();
    expect(kneeFields([plateau(10, { meets_slo: false })])).toEqual({ knee_bracket_rps: null, knee_precision: null });
  });
});
