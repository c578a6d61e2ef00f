/**
 * A forecast as the run's load: the intervals chosen (--queue, --window), scaled (--scale) and compressed in
 * time (--speedup), as a rate curve of steps: each interval's contacts arrive at a constant rate over its
 * (compressed) length, the rate jumping at each interval's start, as a WFM forecast means its intervals. Within
 * an interval arrivals follow --arrivals (src/shared/arrivals.ts), the interval being the dispersion's too.
 */
import type { RateCurve, Segment } from '../../shared/profiles.js';
import { InputError, UsageError } from '../errors.js';
import { type Forecast, type ForecastInterval, wallText } from './model.js';

export interface ReplayOptions {
  /** one queue, skill or planning group; undefined sums them all */
  readonly queue?: string;
  /** `FROM..TO` on the forecast's own clock (see parseWindow) */
  readonly window?: string;
  /** contacts times this (1.5 = 150% of the forecast) */
  readonly scale: number;
  /** replay this many times faster than real time (1: real time) */
  readonly speedup: number;
}

/** One interval of the replay: the queues chosen summed, scaled. */
export interface ReplayInterval {
  readonly wallMs: number;
  readonly contacts: number;
  /** the contacts' average handle time, seconds, weighted by contacts (undefined when the file has none) */
  readonly ahtSec?: number;
  /** average after-call work, seconds, where the format has it */
  readonly acwSec?: number;
  readonly agents?: number;
}

export interface ForecastReplay {
  readonly file: string;
  readonly format: Forecast['format'];
  readonly queues: readonly string[];
  readonly queue: string | undefined;
  readonly window: string | undefined;
  readonly scale: number;
  readonly speedup: number;
  /** the forecast's interval, seconds of real time */
  readonly intervalSec: number;
  /** an interval's length in the run, seconds */
  readonly replaySec: number;
  readonly intervals: readonly ReplayInterval[];
  readonly skipped: readonly string[];
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_MS = 86_400_000;

/**
 * A window bound on the forecast's own clock: `2026-12-07T08:00`, `08:00` (the forecast's first day, or FROM's
 * day for TO) or `Mon 08:00` / `Monday 08:00` (the first such day from the forecast's start).
 */
function bound(raw: string, firstWallMs: number, dayOf?: number): number | undefined {
  const text = raw.trim().toLowerCase();
  const full = /^(\d{4})-(\d{2})-(\d{2})[t ](\d{2}):(\d{2})$/.exec(text);
  if (full) {
    const [y, mo, d, h, mi] = full.slice(1).map(Number) as [number, number, number, number, number];
    return Date.UTC(y, mo - 1, d, h, mi);
  }
  const m = /^(?:([a-z]{3})[a-z]*\s+)?(\d{1,2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [h, mi] = [Number(m[2]), Number(m[3])];
  if (h > 24 || mi > 59 || (h === 24 && mi > 0)) return undefined;
  const firstDay = Math.floor(firstWallMs / DAY_MS) * DAY_MS;
  let day = dayOf ?? firstDay;
  if (m[1]) {
    const want = DAYS.indexOf(m[1]);
    if (want < 0) return undefined;
    day = firstDay;
    while (new Date(day).getUTCDay() !== want) day += DAY_MS;
  }
  return day + (h * 60 + mi) * 60_000;
}

/** `FROM..TO` as wall-clock ms, TO exclusive. */
export function parseWindow(raw: string, firstWallMs: number): { fromMs: number; toMs: number } {
  const expected =
    'expected FROM..TO on the forecast\'s clock, each 2026-12-07T08:00, 08:00 or Mon 08:00 (e.g. "Mon 08:00..12:00")';
  const [from, to, ...rest] = raw.split('..');
  if (from === undefined || to === undefined || rest.length > 0)
    throw new UsageError(`invalid --window: ${expected}, got "${raw}"`);
  const fromMs = bound(from, firstWallMs);
  const toMs = fromMs === undefined ? undefined : bound(to, firstWallMs, Math.floor(fromMs / DAY_MS) * DAY_MS);
  if (fromMs === undefined || toMs === undefined) throw new UsageError(`invalid --window: ${expected}, got "${raw}"`);
  if (toMs <= fromMs) throw new UsageError(`invalid --window: TO must come after FROM, got "${raw}"`);
  return { fromMs, toMs };
}

/** The intervals a run replays: the queue(s) and window chosen, summed per interval, scaled; gaps as empty intervals. */
export function replayOf(forecast: Forecast, o: ReplayOptions): ForecastReplay {
  const queues = [...new Set(forecast.intervals.map((i) => i.queue))];
  if (o.queue !== undefined && !queues.includes(o.queue))
    throw new UsageError(
      `invalid --queue: ${forecast.file} has no queue "${o.queue}" (it has ${queues.map((q) => `"${q}"`).join(', ')})`,
    );
  let chosen = forecast.intervals.filter((i) => o.queue === undefined || i.queue === o.queue);
  if (o.window !== undefined) {
    const { fromMs, toMs } = parseWindow(o.window, chosen[0]!.wallMs);
    const all = chosen;
    chosen = chosen.filter((i) => i.wallMs >= fromMs && i.wallMs < toMs);
    if (chosen.length === 0)
      throw new InputError(
        forecast.file,
        `has no interval in --window ${o.window} (${wallText(fromMs)} to ${wallText(toMs)}); its intervals run from ${wallText(all[0]!.wallMs)} to ${wallText(all.at(-1)!.wallMs + forecast.intervalSec * 1000)}`,
      );
  }
  const step = forecast.intervalSec * 1000;
  const first = chosen[0]!.wallMs;
  const count = Math.round((chosen.at(-1)!.wallMs - first) / step) + 1;
  const slots: ForecastInterval[][] = Array.from({ length: count }, () => []);
  for (const i of chosen) slots[Math.round((i.wallMs - first) / step)]!.push(i);
  const intervals = slots.map((list, k): ReplayInterval => {
    const contacts = list.reduce((a, i) => a + i.contacts, 0);
    const weighted = (f: (i: ForecastInterval) => number | undefined): number | undefined => {
      const known = list.filter((i) => f(i) !== undefined);
      if (known.length === 0) return undefined;
      const w = known.reduce((a, i) => a + i.contacts, 0);
      return w > 0
        ? known.reduce((a, i) => a + f(i)! * i.contacts, 0) / w
        : known.reduce((a, i) => a + f(i)!, 0) / known.length;
    };
    const agents = list.some((i) => i.agents !== undefined) ? list.reduce((a, i) => a + (i.agents ?? 0), 0) : undefined;
    return {
      wallMs: first + k * step,
      contacts: contacts * o.scale,
      ahtSec: weighted((i) => i.ahtSec),
      acwSec: weighted((i) => i.acwSec),
      agents,
    };
  });
  return {
    file: forecast.file,
    format: forecast.format,
    queues,
    queue: o.queue,
    window: o.window,
    scale: o.scale,
    speedup: o.speedup,
    intervalSec: forecast.intervalSec,
    replaySec: forecast.intervalSec / o.speedup,
    intervals,
    skipped: forecast.skipped,
  };
}

/** The replay's arrival rate per interval, per second of the run. */
export const replayRates = (r: ForecastReplay): number[] => r.intervals.map((i) => i.contacts / r.replaySec);

/** The replay as a rate curve of steps (a 0 s segment jumps to each interval's rate, a segment holds it). */
export function replayCurve(r: ForecastReplay): RateCurve {
  const rates = replayRates(r);
  const segments: Segment[] = [];
  rates.forEach((rate, k) => {
    if (k > 0) segments.push({ rate, seconds: 0 });
    segments.push({ rate, seconds: r.replaySec });
  });
  return { startRate: rates[0] ?? 0, segments };
}
