/**
 * Tag cardinality stays bounded whatever the run size: a run over more than 4,000 distinct documents (and
 * hundreds of agents) leaves fewer than SERIES_BOUND series in InfluxDB, and no sys_id in any series key.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { influxQuery } from '../helpers/grafana.js';
import { startTestInflux } from '../helpers/influx.js';
import { readPoolFile } from '../../src/shared/pool.js';

/** The stated bound: series a single offer-burst run may create, whatever its size (measured: under 50). */
const SERIES_BOUND = 200;

let influx: Awaited<ReturnType<typeof startTestInflux>>;
const testid = `card-${Date.now().toString(36)}`;
beforeAll(async () => {
  influx = await startTestInflux('store');
  const r = await runCli([
    'run',
    'offer-burst',
    '--profile',
    'average',
    '--rate',
    '150',
    '--duration',
    '30s',
    '--influx',
    influx.url,
    '--influx-db',
    'cardinality',
    '--out',
    path.join(influx.dir, 'results'),
    '--testid',
    testid,
    '--quiet',
  ]);
  if (r.code !== 0) throw new Error(r.stderr);
}, 180_000);
afterAll(async () => influx?.stop());

describe('InfluxDB schema', () => {
  it(`keeps a run over thousands of distinct documents under ${SERIES_BOUND} series, with no sys_id in any series key`, async () => {
    const pool = readPoolFile(
      readFileSync(path.join(influx.dir, 'results', testid, 'inputs', 'pool.json'), 'utf8'),
      'pool.json',
    );
    const summary = JSON.parse(readFileSync(path.join(influx.dir, 'results', testid, 'summary.json'), 'utf8')) as {
      accounting: { sent: number };
    };
    const used = pool.entries.slice(0, summary.accounting.sent);
    expect(new Set(used.map((e) => e.document)).size).toBeGreaterThan(4000);
    expect(new Set(used.map((e) => e.agent)).size).toBeGreaterThan(100);
    const db = { influxUrl: influx.url, database: 'cardinality' };
    const cardinality = await influxQuery(db, 'SHOW SERIES EXACT CARDINALITY');
    const total = cardinality.series.reduce((a, s) => a + Number(s.values[0]![0]), 0);
    expect(total).toBeGreaterThan(10);
    expect(total).toBeLessThan(SERIES_BOUND);
    const keys = await influxQuery(db, 'SHOW SERIES');
    const all = keys.series.flatMap((s) => s.values.map((v) => String(v[0])));
    expect(all.length).toBeGreaterThanOrEqual(total);
    expect(all.length).toBeLessThan(SERIES_BOUND);
    for (const key of all) expect(key).not.toMatch(/[0-9a-f]{32}/);
  });
});
