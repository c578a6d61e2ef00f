import { describe, expect, it } from 'vitest';
import { MEASUREMENTS } from '../../shared/measurements.js';
import type { CapacitySection, Plateau } from '../results/model.js';
import { capacityPoints } from './capacity-points.js';

const plateau = (offered: number, phase: Plateau['phase'], inFlight: number | null): Plateau => ({
  offered_rps: offered,
  phase,
  achieved_rps: offered,
  served_rps: offered,
  in_flight: inFlight,
  latency_ms: { p50: 40, p90: 50, p95: 60, p99: 70, max: 90 },
  outcomes: { success: 1 },
  mix: { success: 1 },
  mix_shift_points: 0,
  mix_differs: false,
  rate_limited: 0,
  server_errors: 0,
  dropped_iterations: 0,
  max_vus: 1,
  stopped_here: false,
  latency_climb_ms: 0,
  shed_share: 0,
  meets_slo: true,
  generator_limited: false,
  generator_cpu_share: 0.2,
});

describe('capacityPoints', () => {
  it('writes one point per plateau and probe with its phase, and the fitted curve up to the busiest plateau', () => {
    const c = {
      plateaus: [plateau(10, 'coarse', 0.4), plateau(20, 'coarse', 4), plateau(15, 'refine', null)],
      usl: {
        lambda: 25,
        sigma: 0.05,
        kappa: 0.002,
        peak_rps: 197.5,
        peak_in_flight: 21.8,
        peak_interval_rps: null,
        r2: 1,
        points: 3,
      },
    } as unknown as CapacitySection;
    const points = capacityPoints('cap-1', new Date(1_000_000), c);
    const plateaus = points.filter((p) => p.measurement === MEASUREMENTS.capacityPlateaus);
    const fit = points.filter((p) => p.measurement === MEASUREMENTS.capacityFit);
    expect(plateaus.map((p) => [p.tags!.phase, p.fields.served_rps])).toEqual([
      ['coarse', 10],
      ['coarse', 20],
      ['refine', 15],
    ]);
    // mean latency by Little's law: 4 in flight at 20/s is 200 ms
    expect(plateaus[1]!.fields.mean_ms).toBeCloseTo(200, 6);
    expect(plateaus[2]!.fields.in_flight).toBeUndefined();
    expect(fit).toHaveLength(40);
    expect(fit.at(-1)!.fields.in_flight).toBeCloseTo(4, 6);
    // every point its own millisecond: none overwrites another
    expect(new Set(plateaus.map((p) => p.timestamp!.getTime())).size).toBe(3);
  });
});
