/**
 * The backbone end to end: the bundled offer-burst scenario under the real k6, against the simulator over
 * HTTP on a free port, streaming into a real InfluxDB on a free port. Nothing here is mocked.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/node/influx/client.js';
import { freePort, startInflux, stopInflux, type InfluxServerOptions } from '../../src/node/influx/server.js';
import { runCli, startSimProcess, stop, type CliResult } from '../helpers/cli.js';
import type { RunSummary } from '../../src/node/results/model.js';

const SECRET = 'it-secret-7c0d9e4b-do-not-leak';
const CREDS = { OFFERLOAD_USERNAME: 'offerload.it', OFFERLOAD_PASSWORD: SECRET };
const tmp = mkdtempSync(path.join(tmpdir(), 'offerload-it-'));
const testid = `it-burst-${Date.now().toString(36)}`;

let influxOpts: InfluxServerOptions;
let sim: { url: string; child: ChildProcess };
let result: CliResult;
let summary: RunSummary;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  influxOpts = { port: await freePort(), dir: path.join(tmp, 'influxdb') };
  await startInflux(influxOpts);
  sim = await startSimProcess(['--port', '0', '--influx.url', `http://127.0.0.1:${influxOpts.port}`], CREDS);
  result = await runCli(
    [
      'run',
      'offer-burst',
      '--profile',
      'burst',
      '--rate',
      '12',
      '--duration',
      '40s',
      '--target',
      sim.url,
      '--influx',
      `http://127.0.0.1:${influxOpts.port}`,
      '--out',
      path.join(tmp, 'results'),
      '--testid',
      testid,
      '--quiet',
    ],
    CREDS,
  );
  if (result.code === 0)
    summary = JSON.parse(readFileSync(path.join(tmp, 'results', testid, 'summary.json'), 'utf8')) as RunSummary;
}, 300_000);

afterAll(async () => {
  if (sim) await stop(sim.child);
  if (influxOpts) await stopInflux(influxOpts);
});

describe('offer-burst end to end (real k6, simulator, InfluxDB)', () => {
  it('exits 0 and writes the summary', () => {
    expect(result.stderr + result.stdout).not.toMatch(/offerload: .*(error|failed)/i);
    expect(result.code).toBe(0);
    expect(summary.testid).toBe(testid);
    expect(summary.scenario).toBe('offer-burst');
    expect(summary.profile).toBe('burst');
  });

  it('balances the accounting exactly: sent == received_by_target == stored_in_influx > 0', () => {
    const a = summary.accounting;
    expect(a.sent).toBeGreaterThan(500);
    expect(a.received_by_target).toBe(a.sent);
    expect(a.stored_in_influx).toBe(a.sent);
    expect(a.balanced).toBe(true);
    // and per operation
    expect(a.by_operation).toEqual({
      offer: { sent: a.sent, received_by_target: a.sent, stored_in_influx: a.sent, balanced: true },
    });
  });

  it('sends the offered load: requests within 2% of the profile integral, no dropped iterations', () => {
    expect(summary.dropped_iterations).toBe(0);
    expect(
      Math.abs(summary.accounting.sent - summary.load.expected_iterations) / summary.load.expected_iterations,
    ).toBeLessThan(0.02);
  });

  it('reports outcome counts equal to what the simulator counted, outcome by outcome', async () => {
    const stats = (await (await fetch(`${sim.url}/sim/stats?testid=${testid}`)).json()) as {
      received: { routes: { offer: { total: number; outcomes: Record<string, number> } } };
    };
    expect(summary.operations.offer!.outcomes).toEqual(stats.received.routes.offer.outcomes);
    expect(summary.operations.offer!.requests).toBe(stats.received.routes.offer.total);
  });

  it('produces the conflicts load creates, and stores their reasons as tags in InfluxDB', async () => {
    const reasons = Object.keys(summary.operations.offer!.conflict_rate_by_reason).sort();
    expect(reasons).toEqual(expect.arrayContaining(['already_assigned', 'agent_unavailable']));
    const rows = await query(
      { url: `http://127.0.0.1:${influxOpts.port}`, database: 'offerload' },
      `SHOW TAG VALUES FROM "offerload_conflicts" WITH KEY = "reason" WHERE "testid" = '${testid}'`,
    );
    const stored = rows
      .map((r) => String(r.value))
      .filter((v) => v !== 'none')
      .sort();
    expect(stored).toEqual(reasons);
  });

  it('reports latency percentiles in order', () => {
    const l = summary.operations.offer!.latency_ms!;
    expect(l.p50).toBeGreaterThan(0);
    expect(l.p50).toBeLessThanOrEqual(l.p90);
    expect(l.p90).toBeLessThanOrEqual(l.p95);
    expect(l.p95).toBeLessThanOrEqual(l.p99);
    expect(l.p99).toBeLessThanOrEqual(l.max);
  });

  it('tags every point with the run tags and names every request, so no sys_id becomes a tag', async () => {
    const db = { url: `http://127.0.0.1:${influxOpts.port}`, database: 'offerload' };
    const tagValues = async (key: string): Promise<string[]> =>
      (
        (await query(
          db,
          `SHOW TAG VALUES FROM "http_reqs" WITH KEY = "${key}" WHERE "testid" = '${testid}'`,
        )) as unknown as { value: string }[]
      ).map((r) => r.value);
    expect(await tagValues('name')).toEqual(['offer']);
    expect(await tagValues('profile')).toEqual(['burst']);
    expect(await tagValues('target')).toEqual([new URL(sim.url).hostname]);
    expect(await tagValues('scenario')).toEqual(['offer-burst']);
    const series = (await query(db, `SHOW SERIES WHERE "testid" = '${testid}'`)) as unknown as { key: string }[];
    expect(series.length).toBeGreaterThan(10);
    for (const s of series) expect(s.key).not.toMatch(/[0-9a-f]{32}/);
  });

  it("has the simulator's own per-second measurements in InfluxDB beside k6's", async () => {
    const db = { url: `http://127.0.0.1:${influxOpts.port}`, database: 'offerload' };
    const rows = (await query(
      db,
      'SELECT count("in_flight") AS points, max("offered_total") AS offered, max("busy_slots") AS busy FROM "offerload_sim"',
    )) as unknown as {
      points: number;
      offered: number;
    }[];
    expect(rows[0]!.points).toBeGreaterThanOrEqual(30);
    expect(rows[0]!.offered).toBeGreaterThan(100);
  });

  it("writes k6's own HTML report", () => {
    const report = path.join(tmp, 'results', testid, 'k6-report.html');
    expect(existsSync(report)).toBe(true);
    expect(statSync(report).size).toBeGreaterThan(50_000);
  });

  it('never writes the credential into output, result files or InfluxDB', async () => {
    expect(result.stdout + result.stderr).not.toContain(SECRET);
    for (const file of filesUnder(path.join(tmp, 'results'))) expect(readFileSync(file, 'utf8')).not.toContain(SECRET);
    const db = { url: `http://127.0.0.1:${influxOpts.port}`, database: 'offerload' };
    const series = (await query(db, `SHOW SERIES`)) as unknown as { key: string }[];
    expect(series.length).toBeGreaterThan(0);
    for (const s of series) expect(s.key).not.toContain(SECRET);
  });
});

describe('offer-burst against the embedded simulator without InfluxDB', () => {
  it('balances sent against what the embedded simulator received, with stored_in_influx null', async () => {
    const id = `it-embedded-${Date.now().toString(36)}`;
    const r = await runCli([
      'run',
      'offer-burst',
      '--profile',
      'smoke',
      '--duration',
      '5s',
      '--arrivals',
      'poisson',
      '--no-influx',
      '--out',
      path.join(tmp, 'results'),
      '--testid',
      id,
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    const s = JSON.parse(readFileSync(path.join(tmp, 'results', id, 'summary.json'), 'utf8')) as RunSummary;
    // 2/s for 5 s: every one of the plan's Poisson arrivals (seed 42) is sent, no more
    expect(s.load.expected_iterations).toBeGreaterThan(3);
    expect(s.accounting.sent).toBe(s.load.expected_iterations);
    expect(s.accounting).toMatchObject({
      sent: s.accounting.sent,
      received_by_target: s.accounting.sent,
      stored_in_influx: null,
      balanced: true,
      gaps: [],
    });
    expect(s.target.embedded_simulator).toBe(true);
  }, 120_000);

  it('refuses bad input with exit code 2 and one line naming the flag, writing nothing', async () => {
    const out = path.join(tmp, 'bad-results');
    const r = await runCli(['run', 'offer-burst', '--rate', '-3', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'offerload: invalid --rate: expected a positive number of iterations per second, got "-3"',
    );
    expect(existsSync(out)).toBe(false);
  });
});
