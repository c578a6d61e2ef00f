/**
 * The forecast section of a run that replayed one: per interval, the contacts the forecast holds (scaled), the
 * arrivals the plan drew for it, and the iterations offered, counted from the requests InfluxDB stored (the main
 * operation's sends, from the first one).
 */
import { MEASUREMENTS } from '../../shared/measurements.js';
import { wallText } from '../forecast/model.js';
import type { Point } from '../influx/client.js';
import { writePoints } from '../influx/writer.js';
import type { InfluxTarget } from '../influx/connection.js';
import { requestCountsOf } from '../influx/windows.js';
import type { ForecastSection, RunSummary } from '../results/model.js';
import { arrivalPlanOf } from './arrival-plan.js';
import type { SectionContext } from './section-context.js';
import { mainOperation } from './slo.js';

export async function forecastSection(c: SectionContext): Promise<Pick<RunSummary, 'forecast'> | undefined> {
  const r = c.forecast;
  if (!r || !c.params.curve) return undefined;
  const binMs = r.replaySec * 1000;
  const plan = arrivalPlanOf(c);
  const planned = new Array<number>(r.intervals.length).fill(0);
  for (const t of plan?.offsetsMs ?? []) {
    const k = Math.min(r.intervals.length - 1, Math.floor(t / binMs));
    planned[k]!++;
  }
  const offered = c.influx
    ? await requestCountsOf(c.influx, c.testid, mainOperation(c.scenario), binMs).catch(() => null)
    : null;
  const section: ForecastSection = {
    file: r.file,
    format: r.format,
    queue: r.queue ?? null,
    window: r.window ?? null,
    scale: r.scale,
    speedup: r.speedup,
    interval_s: r.intervalSec,
    replay_s: r.replaySec,
    intervals: r.intervals.map((iv, k) => ({
      start: wallText(iv.wallMs),
      forecast: Math.round(iv.contacts * 100) / 100,
      planned: planned[k]!,
      offered: offered ? (offered[k] ?? 0) : null,
    })),
  };
  return { forecast: section };
}

/** The section's intervals as points, one per interval at its start in the run, for the overview dashboard. */
export function forecastPoints(testid: string, startedAt: Date, f: ForecastSection): Point[] {
  return f.intervals.map((i, k) => ({
    measurement: MEASUREMENTS.forecast,
    tags: { testid },
    fields: { forecast: i.forecast, planned: i.planned, ...(i.offered === null ? {} : { offered: i.offered }) },
    timestamp: new Date(startedAt.getTime() + Math.round(k * f.replay_s * 1000)),
  }));
}

/** Writes them; a failure is a gap in the dashboard, never a failed run. */
export async function writeForecastPoints(
  influx: InfluxTarget,
  testid: string,
  startedAt: Date,
  f: ForecastSection,
): Promise<string | undefined> {
  try {
    await writePoints(influx, forecastPoints(testid, startedAt, f));
    return undefined;
  } catch (e) {
    return `the forecast's intervals could not be written to InfluxDB (${(e as Error).message}): the overview's forecast panel will be empty`;
  }
}
