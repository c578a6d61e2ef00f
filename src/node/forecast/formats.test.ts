/**
 * Each forecast format from its fixture (test/fixtures/forecast/, made from the vendors' published column
 * lists): the same Monday morning, 4,000 contacts in two queues, read the same whatever the format; and every bad
 * input named with its file and line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, parseForecast } from './formats.js';
import { type ForecastFormat, wallText } from './model.js';
import { parseWindow, replayCurve, replayOf, replayRates } from './replay.js';

const DIR = path.join(import.meta.dirname, '../../../test/fixtures/forecast');
const FILES: Record<ForecastFormat, string> = {
  csv: 'plain.csv',
  'amazon-connect': 'amazon-connect.csv',
  genesys: 'genesys.json',
  calabrio: 'calabrio.csv',
};
const read = (format: ForecastFormat) => {
  const file = path.join(DIR, FILES[format]);
  return parseForecast(readFileSync(file, 'utf8'), file);
};
// Sales then Support, per 30 minutes from 08:00 (+01:00; 07:00 UTC)
const SALES = [180, 260, 340, 420, 380, 330, 300, 280];
const SUPPORT = [120, 150, 200, 240, 230, 210, 190, 170];
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

describe('forecast formats', () => {
  it('detects each format from its content', () => {
    for (const [format, name] of Object.entries(FILES))
      expect(detectFormat(readFileSync(path.join(DIR, name), 'utf8'))).toBe(format);
    expect(detectFormat('time;calls\n09:00;3\n')).toBeUndefined();
  });

  it('reads the same forecast from every format: 4,000 contacts, the peak at 09:30, the handle times', () => {
    for (const format of Object.keys(FILES) as ForecastFormat[]) {
      const f = read(format);
      expect(f.format).toBe(format);
      const r = replayOf(f, { scale: 1, speedup: 1 });
      expect(sum(r.intervals.map((i) => i.contacts)), format).toBeCloseTo(4000, 6);
      expect(r.queues, format).toHaveLength(2);
      // per 30 minutes whatever the file's interval (Genesys has 15)
      const perHalfHour =
        f.intervalSec === 900
          ? r.intervals
              .map((i) => i.contacts)
              .reduce<number[]>((acc, c, k) => {
                if (k % 2 === 0) acc.push(c);
                else acc[acc.length - 1]! += c;
                return acc;
              }, [])
          : r.intervals.map((i) => i.contacts);
      expect(perHalfHour, format).toEqual(SALES.map((s, k) => s + SUPPORT[k]!));
      const sales = replayOf(f, { scale: 1, speedup: 1, queue: f.intervals[0]!.queue });
      expect(sum(sales.intervals.map((i) => i.contacts)), format).toBeCloseTo(sum(SALES), 6);
      // handle time: Sales 300 s in the first interval (Calabrio: 240 s task + 60 s after-task work)
      expect((sales.intervals[0]!.ahtSec ?? 0) + (sales.intervals[0]!.acwSec ?? 0), format).toBe(300);
    }
  });

  it('keeps each file on its own clock and skips Amazon Connect daily rows', () => {
    expect(wallText(read('csv').intervals[0]!.wallMs)).toBe('2026-12-07 08:00');
    expect(read('csv').intervals[0]!.startMs).toBe(Date.parse('2026-12-07T07:00:00Z'));
    expect(wallText(read('amazon-connect').intervals[0]!.wallMs)).toBe('2026-12-07 07:00');
    expect(read('amazon-connect').skipped).toEqual(['line 18: a daily (long-term) row']);
    expect(read('genesys').intervalSec).toBe(900);
    expect(read('calabrio').intervals.find((i) => i.agents !== undefined)?.agents).toBeCloseTo(34.5, 6);
  });

  it('replays a window, scaled and sped up, as steps of the interval rates', () => {
    const f = read('csv');
    const r = replayOf(f, { scale: 1.5, speedup: 10, window: 'Mon 09:00..10:00' });
    expect(r.intervals.map((i) => i.contacts)).toEqual([540 * 1.5, 660 * 1.5]);
    expect(r.replaySec).toBe(180);
    expect(replayRates(r)).toEqual([4.5, 5.5]);
    const curve = replayCurve(r);
    expect(curve).toEqual({
      startRate: 4.5,
      segments: [
        { rate: 4.5, seconds: 180 },
        { rate: 5.5, seconds: 0 },
        { rate: 5.5, seconds: 180 },
      ],
    });
    // a window by time of day alone is on the forecast's first day; TO without a day takes FROM's
    expect(parseWindow('09:00..10:00', Date.UTC(2026, 11, 7, 8))).toEqual({
      fromMs: Date.UTC(2026, 11, 7, 9),
      toMs: Date.UTC(2026, 11, 7, 10),
    });
    expect(parseWindow('2026-12-07T09:30..2026-12-07T11:00', 0).toMs).toBe(Date.UTC(2026, 11, 7, 11));
  });

  it('fills a gap between intervals with an empty one', () => {
    const text = 'interval_start,contacts\n2026-12-07T08:00:00Z,10\n2026-12-07T08:15:00Z,20\n2026-12-07T09:00:00Z,30\n';
    const r = replayOf(parseForecast(text, 'gap.csv'), { scale: 1, speedup: 1 });
    expect(r.intervalSec).toBe(900);
    expect(r.intervals.map((i) => i.contacts)).toEqual([10, 20, 0, 0, 30]);
  });

  describe('bad input names the file, the line and what was expected', () => {
    const bad = (text: string, format?: ForecastFormat) => () => parseForecast(text, 'f.csv', format);
    it.each([
      [
        'a malformed time',
        'interval_start,contacts\n2026-12-07T08:00:00Z,10\n2026-12-07 08:30,20\n',
        /^invalid f\.csv: line 3: expected interval_start as ISO 8601 with an offset \(2026-12-07T09:00:00\+01:00\), got "2026-12-07 08:30"$/,
      ],
      [
        'a time without an offset',
        'interval_start,contacts\n2026-12-07T08:00:00,10\n',
        /^invalid f\.csv: line 2: expected interval_start as ISO 8601 with an offset/,
      ],
      [
        'a negative volume',
        'interval_start,contacts\n2026-12-07T08:00:00Z,10\n2026-12-07T08:30:00Z,-4\n',
        /^invalid f\.csv: line 3: expected contacts as a number >= 0, got "-4"$/,
      ],
      [
        'mixed interval lengths (Calabrio)',
        'Sales,20261207 08:00,20261207 08:30,5,200,30\nSales,20261207 08:30,20261207 08:45,5,200,30\n',
        /^invalid f\.csv: line 2: interval of 15 min where the file's first is 30 min: expected one interval length per forecast$/,
      ],
      [
        'mixed interval lengths (plain CSV)',
        'interval_start,contacts\n2026-12-07T08:00:00Z,1\n2026-12-07T08:30:00Z,1\n2026-12-07T08:45:00Z,1\n2026-12-07T09:25:00Z,1\n',
        /^invalid f\.csv: line 5: starts 40 min after the one before, not a whole number of the file's 15 min intervals/,
      ],
      [
        'an impossible date',
        'Sales,20260230 08:00,20260230 08:30,5,200,30\n',
        /^invalid f\.csv: line 1: expected interval start as yyyyMMdd HH:mm \(20261207 09:00\), got "20260230 08:00"$/,
      ],
      [
        'the same interval twice',
        'interval_start,contacts\n2026-12-07T08:00:00Z,1\n2026-12-07T08:30:00Z,1\n2026-12-07T09:30:00+01:00,1\n',
        /^invalid f\.csv: line 4: the interval starting 2026-12-07 09:30 of "" again \(first at line 3\)$/,
      ],
      [
        'an Amazon Connect interval length',
        'QueueName,QueueId,ChannelType,TimeStamp,IntervalDuration,IncomingContactVolume,AverageHandleTime\nS,1,VOICE,2026-12-07T08:00:00Z,60mins,3,200\n',
        /^invalid f\.csv: line 2: expected IntervalDuration 15mins, 30mins or daily, got "60mins"$/,
      ],
      [
        'a file in no format',
        'time;calls\n09:00;3\n',
        /^invalid f\.csv: is not a forecast offerload reads: expected one of csv, amazon-connect, genesys, calabrio/,
      ],
    ])('%s', (_name, text, message) => {
      expect(bad(text)).toThrow(message);
    });

    it('a Genesys answer that holds only its download URL, and a negative offered count', () => {
      expect(bad('{"downloadUrl":"https://example.invalid/x"}')).toThrow(
        /^invalid f\.csv: holds only a downloadUrl: fetch that URL/,
      );
      const doc = {
        result: {
          referenceStartDate: '2026-12-07T07:00:00Z',
          planningGroups: [{ planningGroupId: 'g', offeredPerInterval: [1, -2] }],
        },
      };
      expect(bad(JSON.stringify(doc))).toThrow(
        /^invalid f\.csv: result\.planningGroups\[0\]\.offeredPerInterval\[1\]: expected offeredPerInterval as a number >= 0, got "-2"$/,
      );
    });

    it('an empty window, naming what the forecast covers', () => {
      const f = read('csv');
      expect(() => replayOf(f, { scale: 1, speedup: 1, window: 'Tue 08:00..12:00' })).toThrow(
        /has no interval in --window Tue 08:00\.\.12:00 \(2026-12-08 08:00 to 2026-12-08 12:00\); its intervals run from 2026-12-07 08:00 to 2026-12-07 12:00$/,
      );
      expect(() => replayOf(f, { scale: 1, speedup: 1, window: '10:00..09:00' })).toThrow(
        'invalid --window: TO must come after FROM, got "10:00..09:00"',
      );
      expect(() => replayOf(f, { scale: 1, speedup: 1, queue: 'Billing' })).toThrow('invalid --queue: ');
    });
  });
});
