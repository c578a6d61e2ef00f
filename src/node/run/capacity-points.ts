/**
 * A capacity run's plateaus and fitted curve, written to InfluxDB after the run so the capacity dashboard can
 * draw what the report draws: latency against served throughput, per plateau and probe, with the fit. Points
 * are stamped a millisecond apart from the run's start (inside the run's time range, one point each).
 */
import { MEASUREMENTS } from '../../shared/measurements.js';
import { uslThroughput } from '../results/usl-curve.js';
import type { Point } from '../influx/client.js';
import { writePoints } from '../influx/writer.js';
import type { InfluxTarget } from '../influx/connection.js';
import type { CapacitySection } from '../results/model.js';

/** Points on the fitted curve, from one request in flight to the most any plateau held. */
const CURVE_POINTS = 40;

export function capacityPoints(testid: string, startedAt: Date, c: CapacitySection): Point[] {
  const at = (i: number): Date => new Date(startedAt.getTime() + i);
  const plateaus: Point[] = c.plateaus.map((p, i) => ({
    measurement: MEASUREMENTS.capacityPlateaus,
    tags: { testid, phase: p.phase },
    fields: {
      offered_rps: p.offered_rps,
      served_rps: p.served_rps,
      achieved_rps: p.achieved_rps,
      ...(p.latency_ms ? { p95_ms: p.latency_ms.p95, p50_ms: p.latency_ms.p50 } : {}),
      ...(p.in_flight !== null
        ? { in_flight: p.in_flight, mean_ms: p.achieved_rps > 0 ? (1000 * p.in_flight) / p.achieved_rps : 0 }
        : {}),
      meets_slo: p.meets_slo,
    },
    timestamp: at(i),
  }));
  const usl = c.usl;
  if (!usl) return plateaus;
  const most = Math.max(1, ...c.plateaus.map((p) => p.in_flight ?? 0));
  const curve: Point[] = [];
  for (let i = 1; i <= CURVE_POINTS; i++) {
    const n = (most * i) / CURVE_POINTS;
    const x = uslThroughput(usl, n);
    curve.push({
      measurement: MEASUREMENTS.capacityFit,
      tags: { testid },
      fields: {
        in_flight: n,
        served_rps: x,
        mean_ms: (1000 * n) / x,
        ...(usl.peak_rps !== null ? { peak_rps: usl.peak_rps } : {}),
      },
      timestamp: at(i),
    });
  }
  return [...plateaus, ...curve];
}

/** Writes them; a failure is a gap in the dashboard, never a failed run. */
export async function writeCapacityPoints(
  influx: InfluxTarget,
  testid: string,
  startedAt: Date,
  c: CapacitySection,
): Promise<string | undefined> {
  try {
    await writePoints(influx, capacityPoints(testid, startedAt, c));
    return undefined;
  } catch (e) {
    return `the capacity plateaus could not be written to InfluxDB (${(e as Error).message}): the capacity dashboard's fit panel will be empty`;
  }
}
