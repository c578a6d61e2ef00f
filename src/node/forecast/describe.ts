/** A forecast replay in words and tables: the dry run's per-interval plan and the summary's line. */
import { requestsPerIteration, type ScenarioInfo } from '../../shared/scenarios.js';
import { wallText } from './model.js';
import { busiestHour } from '../../shared/arrivals.js';
import { type ForecastReplay, replayCurve, replayRates } from './replay.js';

const round = (x: number, digits: number): string => x.toFixed(digits);

/** One line: the file, its format, the queue(s), the window, the scale and the speedup. */
export function describeReplay(r: ForecastReplay): string {
  const queues = r.queue === undefined ? `all ${r.queues.length} queue(s) summed` : `queue "${r.queue}"`;
  const window = r.window === undefined ? 'the whole forecast' : `window ${r.window}`;
  const minutes = r.intervalSec / 60;
  const replayed =
    r.speedup === 1 ? 'in real time' : `each replayed in ${round(r.replaySec, 1)} s (speedup ${r.speedup})`;
  const skipped = r.skipped.length > 0 ? `; ${r.skipped.length} row(s) not replayed (${r.skipped[0]})` : '';
  return `${r.file} (${r.format}): ${queues}, ${window}, scale ${r.scale}: ${r.intervals.length} interval(s) of ${minutes} min, ${replayed}${skipped}`;
}

/** The dry run's table: per interval, contacts and the requests per second per operation the instance will get. */
export function forecastTable(r: ForecastReplay, info: ScenarioInfo): string {
  const rates = replayRates(r);
  const ops = Object.keys(info.requestsPerOp);
  const perContact = requestsPerIteration(info);
  const header = ['interval', 'contacts', 'aht_s', 'contacts/s', ...ops.map((op) => `${op}/s`), 'requests/s'];
  const rows = r.intervals.map((iv, k) => [
    wallText(iv.wallMs),
    round(iv.contacts, 1),
    iv.ahtSec === undefined ? '-' : round(iv.ahtSec + (iv.acwSec ?? 0), 0),
    round(rates[k]!, 3),
    ...ops.map((op) => round(rates[k]! * info.requestsPerOp[op]!, 3)),
    round(rates[k]! * perContact, 3),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: readonly string[]): string =>
    `  ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}`;
  const peak = rates.indexOf(Math.max(...rates));
  const contacts = r.intervals.reduce((a, i) => a + i.contacts, 0);
  const hour = busiestHour(replayCurve(r)) * perContact;
  return [
    `forecast   ${describeReplay(r)}`,
    line(header),
    ...rows.map(line),
    `  peak       ${wallText(r.intervals[peak]!.wallMs)}: ${round(rates[peak]!, 3)} contacts/s, ${round(rates[peak]! * perContact, 2)} requests/s`,
    `  total      ${round(contacts, 0)} contacts, about ${Math.round(contacts * perContact)} requests over ${round((r.intervals.length * r.replaySec) / 60, 1)} min`,
    `  hour       about ${Math.round(hour)} requests in the run's busiest hour: a rate-limit rule counts requests per hour, and the run checks the target's rule before any load`,
  ].join('\n');
}
