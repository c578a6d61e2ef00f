import { describe, expect, it } from 'vitest';
import type { ArrivalsSection, RunSummary } from '../results/model.js';
import { arrivalsNote } from './compare.js';

/** A summary whose arrivals are Poisson unless told otherwise; null: one without an arrivals section. */
const run = (arrivals: Partial<ArrivalsSection> | null = {}): RunSummary =>
  ({
    testid: 't',
    ...(arrivals
      ? {
          arrivals: {
            mode: 'poisson',
            dispersion: 1,
            interval_s: 60,
            seed: 1,
            late: 0,
            lateness_p95_ms: null,
            measured: null,
            ...arrivals,
          },
        }
      : {}),
  }) as unknown as RunSummary;

describe('compare says so when two runs arrived differently', () => {
  it('names both processes when the modes or the dispersions differ', () => {
    expect(arrivalsNote(run({ mode: 'even', dispersion: null }), run())).toMatch(
      /baseline's were even, the candidate's poisson/,
    );
    expect(arrivalsNote(run(), run({ dispersion: 3 }))).toMatch(/candidate's poisson with dispersion 3 per 60 s/);
  });

  it('takes a summary without an arrivals section (older offerload) as evenly spaced', () => {
    expect(arrivalsNote(run(), run(null))).toMatch(/the candidate's even/);
    expect(arrivalsNote(run(null), run({ mode: 'even', dispersion: null }))).toBeUndefined();
  });

  it('says nothing for runs alike, or when a summary is missing (a run named by testid in InfluxDB alone)', () => {
    expect(arrivalsNote(run({ seed: 1 }), run({ seed: 2 }))).toBeUndefined();
    expect(arrivalsNote(undefined, run())).toBeUndefined();
  });
});
