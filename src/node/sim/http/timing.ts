/**
 * The simulator's own time per request, opt in (setting `timing.report`, or a request's
 * `X-Offerload-Sim-Timing: 1`): from the request handler's start (headers parsed) to the answer rendered, just
 * before its headers are written. A benchmark subtracts it from the latency its load generator recorded to
 * find what the generator itself added. Per run (testid), kept as a histogram: 1 µs buckets below 1 ms, then
 * three significant digits (at most 1% off), so a long run costs a fixed 26 KiB per testid.
 */
import { incoming, WIRE_HEADERS } from '../../../shared/wire.js';

/** Response header with the simulator's time on the request, milliseconds with µs precision. */
export const SIM_MS_HEADER = WIRE_HEADERS.simMs;
/** Request header asking for SIM_MS_HEADER on this answer alone ("1"), as Node keys it. */
export const SIM_TIMING_REQUEST_HEADER = incoming(WIRE_HEADERS.simTiming);

/** Buckets: 0..999 µs one each, then 900 per decade (100..999 x 10^e µs) for e = 1..6 (up to 1000 s). */
const DECADES = 6;
const BUCKETS = 1000 + DECADES * 900;

function bucketOf(us: number): number {
  if (us < 1000) return Math.max(0, Math.floor(us));
  const e = Math.min(DECADES, Math.floor(Math.log10(us)) - 2);
  const lead = Math.min(999, Math.max(100, Math.floor(us / 10 ** e)));
  return 1000 + (e - 1) * 900 + lead - 100;
}

/** The lower bound of a bucket, µs. */
function lowerUs(bucket: number): number {
  if (bucket < 1000) return bucket;
  const e = Math.floor((bucket - 1000) / 900) + 1;
  return (((bucket - 1000) % 900) + 100) * 10 ** e;
}

export interface TimingSummary {
  readonly count: number;
  readonly mean_ms: number;
  readonly p50_ms: number;
  readonly p95_ms: number;
  readonly p99_ms: number;
  readonly max_ms: number;
}

class Histogram {
  readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  sumMs = 0;
  maxMs = 0;

  add(ms: number): void {
    this.counts[bucketOf(ms * 1000)]!++;
    this.count++;
    this.sumMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** The q-quantile (0..1), ms: the lower bound of the bucket holding it. */
  quantile(q: number): number {
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.counts[b]!;
      if (seen >= rank && seen > 0) return lowerUs(b) / 1000;
    }
    return 0;
  }
}

/** The simulator's time per request, by run (testid; '-' for requests that name none). */
export class SimTimings {
  private readonly byRun = new Map<string, Histogram>();

  /** Notes `ms` spent on one request of run `testid`. */
  record(testid: string | undefined, ms: number): void {
    const run = testid || '-';
    let h = this.byRun.get(run);
    if (!h) this.byRun.set(run, (h = new Histogram()));
    h.add(ms);
  }

  /** A run's requests: count, mean, p50, p95, p99 and max of the simulator's own time, ms; undefined when none. */
  of(testid: string): TimingSummary | undefined {
    const h = this.byRun.get(testid);
    if (!h || h.count === 0) return undefined;
    const r = (ms: number) => Number(ms.toFixed(3));
    return {
      count: h.count,
      mean_ms: r(h.sumMs / h.count),
      p50_ms: r(h.quantile(0.5)),
      p95_ms: r(h.quantile(0.95)),
      p99_ms: r(h.quantile(0.99)),
      max_ms: r(h.maxMs),
    };
  }

  reset(): void {
    this.byRun.clear();
  }
}
