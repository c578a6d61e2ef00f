/**
 * The arrivals section of every run: the arrival process asked for (mode, dispersion, seed), the arrivals that
 * started late and by how much (k6's counts), and the process measured on the requests InfluxDB stored: the
 * index of dispersion of the main operation's requests per 100 ms and per second (1 for Poisson, near 0 for
 * evenly spaced starts).
 */
import { DISPERSION_INTERVAL_SEC, localDispersion } from '../../shared/arrivals.js';
import { MEASUREMENTS } from '../../shared/measurements.js';
import { requestCountsOf } from '../influx/windows.js';
import type { ArrivalsSection, RunSummary } from '../results/model.js';
import type { SectionContext } from './section-context.js';
import { mainOperation } from './slo.js';

const round3 = (v: number | undefined): number | null => (v === undefined ? null : Math.round(v * 1000) / 1000);

/** Bins per chunk of the local index: 10 s of 100 ms bins, 20 s of 1 s bins (profiles step and ramp between chunks). */
const CHUNK_BINS: Readonly<Record<number, number>> = { 100: 100, 1000: 20 };

/** The local index per bin of `binMs`, leaving out the first and last bins (the run's edges are partial). */
async function measuredIndex(c: SectionContext, binMs: number): Promise<number | null> {
  const counts = await requestCountsOf(c.influx!, c.testid, mainOperation(c.scenario), binMs);
  return round3(localDispersion(counts.slice(1, -1), CHUNK_BINS[binMs]!));
}

export async function arrivalsSection(c: SectionContext): Promise<Pick<RunSummary, 'arrivals'>> {
  const poisson = c.arrivals.mode === 'poisson';
  // a soak keeps no end-of-test data: its late count is not known here
  const late = c.data ? (c.data.metrics[MEASUREMENTS.arrivalsLate]?.values.count ?? 0) : null;
  const lateness = c.data?.metrics[MEASUREMENTS.arrivalLateness]?.values['p(95)'];
  const section: ArrivalsSection = {
    mode: c.arrivals.mode,
    dispersion: poisson ? c.arrivals.dispersion : null,
    interval_s: poisson ? (c.forecast?.replaySec ?? DISPERSION_INTERVAL_SEC) : null,
    seed: c.seed,
    late,
    lateness_p95_ms: late !== null && late > 0 && lateness !== undefined ? Math.round(lateness) : null,
    measured: c.influx
      ? {
          per_100ms: await measuredIndex(c, 100).catch(() => null),
          per_1s: await measuredIndex(c, 1000).catch(() => null),
        }
      : null,
  };
  return { arrivals: section };
}
