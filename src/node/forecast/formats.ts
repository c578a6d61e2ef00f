/**
 * The forecast files contact centres already export, read into one shape (model.ts). Each format's columns are
 * its vendor's published list:
 *
 * - csv: offerload's own, a header `interval_start,contacts[,aht_s][,queue]`, ISO 8601 starts with an offset;
 *   the interval is the gap between consecutive starts.
 * - amazon-connect: the forecast override CSV, header `QueueName,QueueId,ChannelType,TimeStamp,IntervalDuration,
 *   IncomingContactVolume,AverageHandleTime` (TimeStamp ISO 8601, UTC or with an offset; IntervalDuration 15mins
 *   or 30mins; `daily` rows are long-term and not replayed).
 * - genesys: Genesys Cloud WFM's short-term forecast data (BuForecastResultResponse, or its `result`):
 *   `referenceStartDate` and `planningGroups[]` of `planningGroupId`, `offeredPerInterval[]`,
 *   `averageHandleTimeSecondsPerInterval[]`, 15-minute intervals. Genesys does not publish that index 0 is the
 *   reference start: offerload takes it so.
 * - calabrio: Calabrio ONE's forecast import, no header: skill, interval start, interval end (`yyyyMMdd HH:mm`,
 *   the skill's local time, no offset), volume, average task time (s), after-task work (s), optional agents;
 *   comma-separated, or semicolon-separated (then a decimal comma is allowed) when the first line has a `;`.
 */
import { parse } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import { FORECAST_FORMATS, type Forecast, type ForecastFormat, type ForecastInterval, wallText } from './model.js';

const AMAZON_COLUMNS = [
  'QueueName',
  'QueueId',
  'ChannelType',
  'TimeStamp',
  'IntervalDuration',
  'IncomingContactVolume',
  'AverageHandleTime',
] as const;
const AMAZON_INTERVALS: Readonly<Record<string, number | 'daily'>> = { '15mins': 900, '30mins': 1800, daily: 'daily' };
const PLAIN_COLUMNS = ['interval_start', 'contacts', 'aht_s', 'queue'] as const;
const GENESYS_INTERVAL_SEC = 900;

/** What a row must say, for messages: an example of each value. */
const ISO_EXAMPLE = '2026-12-07T09:00:00+01:00';

class Rows {
  constructor(
    readonly file: string,
    readonly format: ForecastFormat,
  ) {}

  fail(at: string, problem: string): InputError {
    return new InputError(this.file, `${at}: ${problem}`);
  }

  number(at: string, column: string, raw: string | undefined, decimalComma = false): number {
    const text = (raw ?? '').trim();
    const value = Number(decimalComma ? text.replace(',', '.') : text);
    if (text === '' || !Number.isFinite(value) || value < 0)
      throw this.fail(at, `expected ${column} as a number >= 0, got "${raw ?? ''}"`);
    return value;
  }

  optionalNumber(at: string, column: string, raw: string | undefined, decimalComma = false): number | undefined {
    return raw === undefined || raw.trim() === '' ? undefined : this.number(at, column, raw, decimalComma);
  }

  /** ISO 8601 with an offset (Z or +hh:mm): the instant and the wall clock it was written in. */
  isoTime(at: string, column: string, raw: string | undefined): { startMs: number; wallMs: number } {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.exec(
      (raw ?? '').trim(),
    );
    const wallMs = m ? wall(m.slice(1, 7)) : Number.NaN;
    if (!m || Number.isNaN(wallMs))
      throw this.fail(at, `expected ${column} as ISO 8601 with an offset (${ISO_EXAMPLE}), got "${raw ?? ''}"`);
    const zone = m[7]!;
    const offsetMin =
      zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
    return { startMs: wallMs - offsetMin * 60_000, wallMs };
  }

  /** Calabrio's `yyyyMMdd HH:mm`, local time without an offset: read as UTC (only the intervals' order and length matter). */
  calabrioTime(at: string, column: string, raw: string | undefined): number {
    const m = /^(\d{4})(\d{2})(\d{2}) (\d{2}):(\d{2})$/.exec((raw ?? '').trim());
    const ms = m ? wall(m.slice(1, 6)) : Number.NaN;
    if (Number.isNaN(ms))
      throw this.fail(at, `expected ${column} as yyyyMMdd HH:mm (20261207 09:00), got "${raw ?? ''}"`);
    return ms;
  }
}

/** Date.UTC of year, month, day, hour, minute[, second], or NaN when a field is out of range (Feb 30, 25:00). */
function wall(fields: readonly (string | undefined)[]): number {
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = fields.map((f) => Number(f ?? 0));
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 && s < 60 ? ms : Number.NaN;
}

interface CsvRow {
  readonly cells: readonly string[];
  readonly line: number;
}

function csvRows(text: string, file: string, delimiter = ','): CsvRow[] {
  try {
    const records = parse(text, {
      bom: true,
      delimiter,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return records.map((r) => ({ cells: r.record, line: r.info.lines }));
  } catch (e) {
    throw new InputError(file, `is not readable CSV (${(e as Error).message})`);
  }
}

/** The format a file's content is in, or undefined when it is none of them. */
export function detectFormat(text: string): ForecastFormat | undefined {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body.startsWith('{')) return 'genesys';
  const first = body.split(/\r?\n/, 1)[0] ?? '';
  if (first.includes('IncomingContactVolume')) return 'amazon-connect';
  if (/^"?interval_start"?\s*[,;]/.test(first)) return 'csv';
  if (/^[^,;]*[,;]\s*"?\d{8} \d{2}:\d{2}/.test(first)) return 'calabrio';
  return undefined;
}

/** Reads a forecast's text in `format` (detected from the content when not given). */
export function parseForecast(text: string, file: string, format?: ForecastFormat): Forecast {
  const chosen = format ?? detectFormat(text);
  if (!chosen)
    throw new InputError(
      file,
      `is not a forecast offerload reads: expected one of ${FORECAST_FORMATS.join(', ')} (a header interval_start,contacts,...; Amazon Connect's QueueName,...,IncomingContactVolume,...; Genesys JSON with planningGroups; Calabrio rows skill,yyyyMMdd HH:mm,...)`,
    );
  const rows = new Rows(file, chosen);
  const read = { csv: plainCsv, 'amazon-connect': amazonConnect, genesys, calabrio }[chosen];
  const { intervals, skipped } = read(text, rows);
  return checked(rows, intervals, skipped);
}

/** One interval length per forecast, no queue's interval twice, at least one interval. */
function checked(rows: Rows, intervals: ForecastInterval[], skipped: string[]): Forecast {
  if (intervals.length === 0) throw new InputError(rows.file, 'holds no intervals to replay');
  const intervalSec = intervals[0]!.seconds;
  const seen = new Map<string, string>();
  for (const i of intervals) {
    if (i.seconds !== intervalSec)
      throw rows.fail(
        i.at,
        `interval of ${i.seconds / 60} min where the file's first is ${intervalSec / 60} min: expected one interval length per forecast`,
      );
    const key = `${i.queue}\u0000${i.startMs}`;
    const before = seen.get(key);
    if (before)
      throw rows.fail(i.at, `the interval starting ${wallText(i.wallMs)} of "${i.queue}" again (first at ${before})`);
    seen.set(key, i.at);
  }
  const sorted = [...intervals].sort((a, b) => a.startMs - b.startMs || a.queue.localeCompare(b.queue));
  return { file: rows.file, format: rows.format, intervalSec, intervals: sorted, skipped };
}

type Parsed = { intervals: ForecastInterval[]; skipped: string[] };

function plainCsv(text: string, rows: Rows): Parsed {
  const [header, ...body] = csvRows(text, rows.file);
  const names = header?.cells.map((c) => c.trim()) ?? [];
  if (
    names[0] !== 'interval_start' ||
    names[1] !== 'contacts' ||
    names.some((n) => !(PLAIN_COLUMNS as readonly string[]).includes(n))
  )
    throw rows.fail('line 1', `expected the header interval_start,contacts[,aht_s][,queue], got "${names.join(',')}"`);
  const col = (name: string): number => names.indexOf(name);
  const parsed = body.map((r) => {
    const at = `line ${r.line}`;
    const cell = (name: string): string | undefined => (col(name) < 0 ? undefined : r.cells[col(name)]);
    return {
      at,
      queue: (cell('queue') ?? '').trim(),
      ...rows.isoTime(at, 'interval_start', cell('interval_start')),
      contacts: rows.number(at, 'contacts', cell('contacts')),
      ahtSec: rows.optionalNumber(at, 'aht_s', cell('aht_s')),
    };
  });
  // the interval: the shortest gap between one queue's consecutive starts; every gap a whole number of them
  const gaps: { gap: number; at: string }[] = [];
  const byQueue = new Map<string, typeof parsed>();
  for (const p of parsed) byQueue.set(p.queue, [...(byQueue.get(p.queue) ?? []), p]);
  for (const list of byQueue.values()) {
    const sorted = [...list].sort((a, b) => a.startMs - b.startMs);
    for (let i = 1; i < sorted.length; i++)
      gaps.push({ gap: (sorted[i]!.startMs - sorted[i - 1]!.startMs) / 1000, at: sorted[i]!.at });
  }
  const positive = gaps.filter((g) => g.gap > 0);
  if (positive.length === 0)
    throw new InputError(
      rows.file,
      'has fewer than two intervals of one queue: expected at least two, to tell the interval length',
    );
  const intervalSec = Math.min(...positive.map((g) => g.gap));
  const odd = positive.find((g) => g.gap % intervalSec !== 0);
  if (odd)
    throw rows.fail(
      odd.at,
      `starts ${odd.gap / 60} min after the one before, not a whole number of the file's ${intervalSec / 60} min intervals: expected one interval length per forecast`,
    );
  return { intervals: parsed.map((p) => ({ ...p, seconds: intervalSec })), skipped: [] };
}

function amazonConnect(text: string, rows: Rows): Parsed {
  const [header, ...body] = csvRows(text, rows.file);
  const names = header?.cells.map((c) => c.trim()) ?? [];
  const missing = AMAZON_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0)
    throw rows.fail(
      'line 1',
      `expected Amazon Connect's header ${AMAZON_COLUMNS.join(',')}: ${missing.join(', ')} missing`,
    );
  const skipped: string[] = [];
  const intervals: ForecastInterval[] = [];
  for (const r of body) {
    const at = `line ${r.line}`;
    const cell = (name: (typeof AMAZON_COLUMNS)[number]): string => r.cells[names.indexOf(name)] ?? '';
    const length = AMAZON_INTERVALS[cell('IntervalDuration').trim()];
    if (length === undefined)
      throw rows.fail(at, `expected IntervalDuration 15mins, 30mins or daily, got "${cell('IntervalDuration')}"`);
    if (length === 'daily') {
      skipped.push(`${at}: a daily (long-term) row`);
      continue;
    }
    const channel = cell('ChannelType').trim();
    if (channel !== 'VOICE' && channel !== 'CHAT')
      throw rows.fail(at, `expected ChannelType VOICE or CHAT, got "${channel}"`);
    intervals.push({
      at,
      queue: cell('QueueName').trim() || cell('QueueId').trim(),
      ...rows.isoTime(at, 'TimeStamp', cell('TimeStamp')),
      seconds: length,
      contacts: rows.number(at, 'IncomingContactVolume', cell('IncomingContactVolume')),
      ahtSec: rows.optionalNumber(at, 'AverageHandleTime', cell('AverageHandleTime')),
    });
  }
  return { intervals, skipped };
}

interface GenesysGroup {
  readonly planningGroupId?: unknown;
  readonly offeredPerInterval?: unknown;
  readonly averageHandleTimeSecondsPerInterval?: unknown;
}

function genesys(text: string, rows: Rows): Parsed {
  let doc: { result?: { referenceStartDate?: unknown; planningGroups?: unknown }; downloadUrl?: unknown } & {
    referenceStartDate?: unknown;
    planningGroups?: unknown;
  };
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new InputError(rows.file, `is not readable JSON (${(e as Error).message})`);
  }
  const result = doc.result ?? doc;
  if (result.planningGroups === undefined && typeof doc.downloadUrl === 'string')
    throw new InputError(rows.file, 'holds only a downloadUrl: fetch that URL and give offerload the JSON it returns');
  if (!Array.isArray(result.planningGroups))
    throw rows.fail('result.planningGroups', 'expected an array of planning groups (Genesys Cloud forecast data)');
  const base = doc.result ? 'result.' : '';
  const start = rows.isoTime(
    `${base}referenceStartDate`,
    'referenceStartDate',
    String(result.referenceStartDate ?? ''),
  );
  const intervals: ForecastInterval[] = [];
  (result.planningGroups as GenesysGroup[]).forEach((g, gi) => {
    const at = `${base}planningGroups[${gi}]`;
    if (typeof g.planningGroupId !== 'string') throw rows.fail(at, 'expected a planningGroupId');
    if (!Array.isArray(g.offeredPerInterval)) throw rows.fail(at, 'expected offeredPerInterval as an array of numbers');
    const aht = Array.isArray(g.averageHandleTimeSecondsPerInterval) ? g.averageHandleTimeSecondsPerInterval : [];
    g.offeredPerInterval.forEach((offered, i) => {
      const here = `${at}.offeredPerInterval[${i}]`;
      const shift = i * GENESYS_INTERVAL_SEC * 1000;
      intervals.push({
        at: here,
        queue: g.planningGroupId as string,
        startMs: start.startMs + shift,
        wallMs: start.wallMs + shift,
        seconds: GENESYS_INTERVAL_SEC,
        contacts: rows.number(here, 'offeredPerInterval', String(offered)),
        ahtSec:
          aht[i] === undefined || aht[i] === null
            ? undefined
            : rows.number(
                `${at}.averageHandleTimeSecondsPerInterval[${i}]`,
                'averageHandleTimeSeconds',
                String(aht[i]),
              ),
      });
    });
  });
  return { intervals, skipped: [] };
}

function calabrio(text: string, rows: Rows): Parsed {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const semicolons = firstLine.includes(';');
  const intervals = csvRows(text, rows.file, semicolons ? ';' : ',').map((r): ForecastInterval => {
    const at = `line ${r.line}`;
    if (r.cells.length !== 6 && r.cells.length !== 7)
      throw rows.fail(
        at,
        `expected 6 or 7 columns (skill, interval start, interval end, volume, average task time, after-task work[, agents]), got ${r.cells.length}`,
      );
    const [skill, from, to, volume, task, after, agents] = r.cells;
    const startMs = rows.calabrioTime(at, 'interval start', from);
    const endMs = rows.calabrioTime(at, 'interval end', to);
    if (endMs <= startMs) throw rows.fail(at, `expected the interval end after its start, got ${from} to ${to}`);
    return {
      at,
      queue: (skill ?? '').trim(),
      startMs,
      wallMs: startMs,
      seconds: (endMs - startMs) / 1000,
      contacts: rows.number(at, 'volume', volume, semicolons),
      ahtSec: rows.number(at, 'average task time', task, semicolons),
      acwSec: rows.number(at, 'after-task work', after, semicolons),
      agents: rows.optionalNumber(at, 'agents', agents, semicolons),
    };
  });
  return { intervals, skipped: [] };
}
