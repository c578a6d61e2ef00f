/**
 * One run split across two load generators by k6 execution segments, as the k6-operator runs it: the
 * bundle runs unchanged in two k6 processes against the simulator at a fixed total arrival rate. The
 * offered load adds up, no document is used by both generators, each is tagged with its own id, and
 * InfluxDB aggregates both into one run by testid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowsFromInflux } from '../../src/node/analysis/windows.js';
import { bundlePath, bundleScenarios } from '../../src/node/build/bundle.js';
import { setupSchema } from '../../src/node/influx/schema.js';
import { ensureK6 } from '../../src/node/k6/binary.js';
import { runCli, startSimProcess, stop } from '../helpers/cli.js';
import { influxQuery } from '../helpers/grafana.js';
import { startTestInflux } from '../helpers/influx.js';

const CREDS = { OFFERLOAD_USERNAME: 'scale.out', OFFERLOAD_PASSWORD: 'scale-out-only' };
const RATE = 20;
const SECONDS = 20;
const testid = `scale-${Date.now().toString(36)}`;
const SEGMENTS = [
  { generator: 'g1', segment: '0:1/2' },
  { generator: 'g2', segment: '1/2:1' },
];

let influx: Awaited<ReturnType<typeof startTestInflux>>;
let sim: { url: string; child: ChildProcess };
const sent: Record<string, number> = {};

function k6(generator: string, segment: string, poolPath: string, summaryPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      ensureK6(),
      ['run', '-q', '--no-usage-report', '--address', '127.0.0.1:0', '--execution-segment', segment, '--execution-segment-sequence', '0,1/2,1',
        '--tag', `testid=${testid}`, '--tag', `generator=${generator}`, '--tag', 'profile=average', '--tag', 'target=sim',
        '--out', `influxdb=${influx.url}/offerload`, bundlePath('offer-burst')],
      {
        env: { ...process.env, ...CREDS, OFFERLOAD_TARGET: sim.url, OFFERLOAD_TESTID: testid, OFFERLOAD_PROFILE: 'average', OFFERLOAD_RATE: String(RATE), OFFERLOAD_DURATION: `${SECONDS}s`, OFFERLOAD_POOL: poolPath, OFFERLOAD_SUMMARY: summaryPath, OFFERLOAD_GENERATOR: generator },
        stdio: 'ignore',
      },
    );
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
}

beforeAll(async () => {
  influx = await startTestInflux('scale-out');
  await setupSchema({ url: influx.url, database: 'offerload' });
  sim = await startSimProcess(['--port', '0'], CREDS);
  await bundleScenarios();
  const poolPath = path.join(influx.dir, 'pool.json');
  const pool = await runCli(['pool', '--target', sim.url, '--out', poolPath, '--size', '1000', '--generators', '2']);
  if (pool.code !== 0) throw new Error(pool.stderr);
  const codes = await Promise.all(SEGMENTS.map((s) => k6(s.generator, s.segment, poolPath, path.join(influx.dir, `${s.generator}.json`))));
  expect(codes).toEqual([0, 0]);
  for (const s of SEGMENTS) {
    const data = JSON.parse(readFileSync(path.join(influx.dir, `${s.generator}.json`), 'utf8')) as { metrics: { http_reqs: { values: { count: number } } } };
    sent[s.generator] = data.metrics.http_reqs.values.count;
  }
}, 180_000);
afterAll(async () => {
  if (sim) await stop(sim.child);
  await influx?.stop();
});

describe('a run split across two generators by execution segments', () => {
  it('offers the total arrival rate within 2%, half from each generator', () => {
    const total = sent.g1! + sent.g2!;
    expect(Math.abs(total - RATE * SECONDS) / (RATE * SECONDS)).toBeLessThan(0.02);
    expect(Math.abs(sent.g1! - sent.g2!)).toBeLessThanOrEqual(2);
  });

  it('never lets the two generators use the same document', async () => {
    const stats = (await (await fetch(`${sim.url}/sim/stats?testid=${testid}`)).json()) as { received: { total: number }; generators: { documents: Record<string, number>; shared_documents: number } };
    expect(stats.received.total).toBe(sent.g1! + sent.g2!);
    expect(stats.generators.documents.g1).toBeGreaterThan(150);
    expect(stats.generators.documents.g2).toBeGreaterThan(150);
    expect(stats.generators.shared_documents).toBe(0);
  });

  it('tags each generator with its own id, and InfluxDB aggregates both into one run by testid', async () => {
    const db = { influxUrl: influx.url, database: 'offerload' };
    const tags = await influxQuery(db, `SHOW TAG VALUES FROM "http_reqs" WITH KEY = "generator" WHERE "testid" = '${testid}'`);
    expect(tags.series[0]!.values.map((v) => v[1]).sort()).toEqual(['g1', 'g2']);
    const count = await influxQuery(db, `SELECT count("value") FROM "http_reqs" WHERE "testid" = '${testid}'`);
    expect(count.series[0]!.values[0]![1]).toBe(sent.g1! + sent.g2!);
    // what compare and the dashboards read: one run's windows, both generators in them
    const windows = await windowsFromInflux({ url: influx.url, database: 'offerload' }, testid);
    expect(windows!.windows.reduce((a, w) => a + w.requests, 0)).toBe(sent.g1! + sent.g2!);
  });
});
