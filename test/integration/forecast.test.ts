/**
 * The user's forecast as the load, end to end with the real k6 against the simulator: replayed per interval,
 * counted back from InfluxDB, planned in the dry run, and staffed by `offerload plan`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/node/results/model.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { startTestInflux } from '../helpers/influx.js';

const PLAIN = path.join(ROOT, 'test/fixtures/forecast/plain.csv');

let influx: Awaited<ReturnType<typeof startTestInflux>>;
beforeAll(async () => {
  influx = await startTestInflux('forecast');
});
afterAll(async () => influx?.stop());

describe('a forecast replayed', () => {
  it('sends each interval its contacts: forecast, planned and offered per interval, the accounting balanced', async () => {
    // Sales 08:00 to 09:00: 180 and 260 contacts, replayed 120 times faster (15 s an interval, 12 and 17.3/s)
    const testid = `it-forecast-${Date.now().toString(36)}`;
    const out = path.join(influx.dir, 'results');
    const r = await runCli([
      'run',
      'offer-burst',
      '--forecast',
      PLAIN,
      '--queue',
      'Sales',
      '--window',
      'Mon 08:00..09:00',
      '--speedup',
      '120',
      '--influx',
      influx.url,
      '--out',
      out,
      '--testid',
      testid,
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(readFileSync(path.join(out, testid, 'summary.json'), 'utf8')) as RunSummary;
    const f = s.forecast!;
    expect(f).toMatchObject({ format: 'csv', queue: 'Sales', scale: 1, speedup: 120, interval_s: 1800, replay_s: 15 });
    expect(f.intervals.map((i) => [i.start, i.forecast])).toEqual([
      ['2026-12-07 08:00', 180],
      ['2026-12-07 08:30', 260],
    ]);
    const planned = f.intervals.reduce((a, i) => a + i.planned, 0);
    expect(planned).toBe(s.accounting.sent);
    expect(s.accounting.balanced).toBe(true);
    for (const i of f.intervals) {
      // Poisson counts: the planned draw within four standard deviations of the forecast; offered counts are the
      // planned ones, give or take the arrivals that the first request's start moves across an interval's edge
      expect(Math.abs(i.planned - i.forecast)).toBeLessThan(4 * Math.sqrt(i.forecast));
      expect(Math.abs(i.offered! - i.planned), JSON.stringify(f.intervals)).toBeLessThanOrEqual(
        Math.ceil(i.forecast / 15) + 2,
      );
    }
    expect(s.arrivals).toMatchObject({ mode: 'poisson', interval_s: 15, late: 0 });
    const report = readFileSync(path.join(out, testid, 'report.html'), 'utf8');
    expect(report).toContain('Contacts per forecast interval (30 min, replayed in 15 s)');
    expect(r.stdout + r.stderr).toMatch(
      /forecast: \S+plain\.csv \(csv, queue Sales, Mon 08:00\.\.09:00\), scale 1, speedup 120: 2 interval\(s\), 440 contacts forecast/,
    );
  }, 180_000);

  it('plans per interval in the dry run: contacts, requests per second per operation, peak, total and the hour', async () => {
    const r = await runCli([
      'run',
      'transfer-mix',
      '--forecast',
      PLAIN,
      '--window',
      'Mon 09:00..10:00',
      '--speedup',
      '10',
      '--dry-run',
    ]);
    expect(r.code, r.stderr).toBe(0);
    // 09:00: 340 + 200 = 540 contacts over 180 s = 3/s; transfer-mix sends 5 requests a call (interaction, offer,
    // 0.6 accepts, a transfer, 0.4 consult ends, close), 0.6 of them accepts: 1.8/s
    expect(r.stdout).toMatch(/^ {2}2026-12-07 09:00 +540\.0 +\d+ +3\.000 +3\.000 +3\.000 +1\.800 .* 15\.000$/m);
    expect(r.stdout).toMatch(/^ {2}2026-12-07 09:30 +660\.0 /m);
    expect(r.stdout).toMatch(/^ {2}peak +2026-12-07 09:30: 3\.667 contacts\/s, 18\.33 requests\/s$/m);
    expect(r.stdout).toMatch(/^ {2}total +1200 contacts, about 6000 requests over 6\.0 min$/m);
    expect(r.stdout).toMatch(/^ {2}hour +about 6000 requests in the run's busiest hour/m);
  }, 60_000);

  it('sets a capacity run ceiling at the forecast peak, scaled', async () => {
    // the peak: 660 contacts in 30 min, 0.367 offers/s; times 200 is 73/s, stepped up in 8 plateaus of 9.125/s
    const r = await runCli(['run', 'capacity', '--forecast', PLAIN, '--scale', '200', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ {2}peak rate {2}73 iterations\/s$/m);
    expect(r.stdout).toMatch(/^ {2}stages {5}9\.125\/s for 40s, 18\.25\/s for 1s/m);
    expect(r.stdout).toMatch(
      /^ {2}forecast {3}ceiling 73\/s: the peak offer rate of \S+plain\.csv \(csv\): all 2 queue\(s\) summed, the whole forecast, scale 200/m,
    );
    expect(r.stdout).not.toMatch(/^ {2}interval /m);
  }, 60_000);

  it('staffs the forecast with Erlang C', async () => {
    const r = await runCli(['plan', '--forecast', PLAIN, '--agents', '130', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      intervals: { start: string; erlangs: number; agents_needed: number; meets_target: boolean }[];
      peak: { start: string; erlangs: number; agents_needed: number };
    };
    expect(plan.intervals).toHaveLength(8);
    // 09:30: 420 contacts at 330 s and 240 at 370 s: (420 * 330 + 240 * 370) / 1800 = 126.33 Erlangs
    expect(plan.peak).toMatchObject({ start: '2026-12-07 09:30', erlangs: 126.333 });
    expect(plan.peak.agents_needed).toBeGreaterThan(126);
    expect(plan.intervals.find((i) => i.start === '2026-12-07 09:30')!.meets_target).toBe(
      plan.peak.agents_needed <= 130,
    );
  }, 60_000);
});
