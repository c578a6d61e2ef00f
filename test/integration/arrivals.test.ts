/**
 * The arrival process on a real k6 run, measured from the points InfluxDB stored: Poisson arrivals give an index
 * of dispersion (variance / mean of requests sent per bin) near 1, evenly spaced ones near 0. 20/s against the
 * embedded simulator, seeded: 40 s for Poisson, 25 s for even spacing.
 *
 * Tolerances: the index is taken locally (chunks of 10 s of 100 ms bins, 20 s of one-second bins). With about 400
 * bins of 100 ms its standard error under Poisson is about sqrt(2/400) = 0.07, and with two chunks of 20
 * one-second bins about 0.23; the bounds are about three of them. Sends are a point's time less its duration
 * (k6 stamps the point at the answer); timer jitter of a few ms still moves a few between 100 ms bins, which
 * raises the index of even spacing a little above 0. Even spacing is held to bounds far above what it measures
 * (0 to 0.01 per 100 ms and 0 per second, over 40 s and 25 s alike), so its run needs no more bins than one whole
 * chunk of one-second bins: 25 s leave about 23 between the partial edges.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/node/results/model.js';
import { runCli } from '../helpers/cli.js';
import { startTestInflux } from '../helpers/influx.js';

let influx: Awaited<ReturnType<typeof startTestInflux>>;
beforeAll(async () => {
  influx = await startTestInflux('arrivals');
});
afterAll(async () => influx?.stop());

async function run(mode: 'poisson' | 'even', seconds: number): Promise<RunSummary> {
  const testid = `arrivals-${mode}-${Date.now().toString(36)}`;
  const out = path.join(influx.dir, 'results');
  const r = await runCli([
    'run',
    'offer-burst',
    '--profile',
    'average',
    '--rate',
    '20',
    '--duration',
    `${seconds}s`,
    '--arrivals',
    mode,
    '--seed',
    '7',
    '--influx',
    influx.url,
    '--out',
    out,
    '--testid',
    testid,
    '--quiet',
  ]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(readFileSync(path.join(out, testid, 'summary.json'), 'utf8')) as RunSummary;
}

describe('arrivals on a real k6 run', () => {
  it('are Poisson with --arrivals poisson: index of dispersion near 1 per 100 ms and per second, none late, the accounting balanced', async () => {
    const s = await run('poisson', 40);
    const a = s.arrivals!;
    expect(a).toMatchObject({ mode: 'poisson', dispersion: 1, interval_s: 60, seed: 7, late: 0 });
    expect(a.measured!.per_100ms!).toBeGreaterThan(0.8);
    expect(a.measured!.per_100ms!).toBeLessThan(1.2);
    expect(a.measured!.per_1s!).toBeGreaterThan(0.3);
    expect(a.measured!.per_1s!).toBeLessThan(1.8);
    // the planned arrivals, all sent: sent equals what the plan held (about 800, Poisson's spread aside)
    expect(s.accounting.balanced).toBe(true);
    expect(s.accounting.sent).toBe(s.load.expected_iterations);
    expect(Math.abs(s.accounting.sent - 800)).toBeLessThan(4 * Math.sqrt(800));
  }, 150_000);

  it('are evenly spaced with --arrivals even: index of dispersion near 0', async () => {
    const a = (await run('even', 25)).arrivals!;
    expect(a).toMatchObject({ mode: 'even', dispersion: null, seed: 7 });
    expect(a.measured!.per_100ms!).toBeLessThan(0.4);
    expect(a.measured!.per_1s!).toBeLessThan(0.2);
  }, 150_000);
});
