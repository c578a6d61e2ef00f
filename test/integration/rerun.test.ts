/**
 * A run is only itself: reusing a testid is refused before any load unless --replace says so, and a replaced
 * run's accounting, windows and compare are its own.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary, RunWindows } from '../../src/node/results/model.js';
import { runCli } from '../helpers/cli.js';
import { startTestInflux } from '../helpers/influx.js';

let influx: Awaited<ReturnType<typeof startTestInflux>>;
beforeAll(async () => {
  influx = await startTestInflux('rerun');
});
afterAll(async () => influx?.stop());

const smoke = ['offer-burst', '--profile', 'smoke', '--rate', '10', '--duration', '6s', '--quiet'];
const run = (testid: string, out: string, extra: string[] = []) =>
  runCli(['run', ...smoke, '--influx', influx.url, '--out', path.join(influx.dir, out), '--testid', testid, ...extra]);
const summaryOf = (out: string, testid: string): RunSummary =>
  JSON.parse(readFileSync(path.join(influx.dir, out, testid, 'summary.json'), 'utf8')) as RunSummary;
const windowsOf = (out: string, testid: string): RunWindows =>
  JSON.parse(readFileSync(path.join(influx.dir, out, testid, 'windows.json'), 'utf8')) as RunWindows;

describe('a testid used twice', () => {
  it('is refused before any load by default, naming the run InfluxDB holds; --replace runs it again as only itself', async () => {
    const first = await run('upgrade-check', 'a');
    expect(first.code, first.stderr).toBe(0);
    const before = summaryOf('a', 'upgrade-check');

    // another results folder, same InfluxDB: InfluxDB still holds the run
    const again = await run('upgrade-check', 'b');
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n').at(-1)).toMatch(
      /^offerload: invalid --testid: InfluxDB at http:\/\/127\.0\.0\.1:\d+ already holds run upgrade-check \(\d+ requests from 20\d\d-.*\): choose another --testid, or pass --replace/,
    );
    expect(again.stderr).not.toContain('running offer-burst');
    expect(existsSync(path.join(influx.dir, 'b', 'upgrade-check'))).toBe(false);

    // the same results folder is refused too, before anything starts
    const sameFolder = await run('upgrade-check', 'a');
    expect(sameFolder.code).toBe(2);
    expect(sameFolder.stderr).toMatch(/results for upgrade-check already exist/);

    const replaced = await run('upgrade-check', 'a', ['--replace']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stderr).toMatch(/--replace: deleting the \d+ requests of the earlier upgrade-check/);
    const after = summaryOf('a', 'upgrade-check');
    expect(after.started_at).not.toBe(before.started_at);
    expect(after.accounting).toMatchObject({
      balanced: true,
      stored_in_influx: after.accounting.sent,
      received_by_target: after.accounting.sent,
    });
    // windows of the planned 6 s run: 1 s each, spanning this run only
    const w = windowsOf('a', 'upgrade-check');
    expect(w.bucketSec).toBe(1);
    expect(Math.max(...w.windows.map((x) => x.t))).toBeLessThanOrEqual(8);
    expect(w.windows.reduce((a, x) => a + x.requests, 0)).toBe(after.accounting.sent);

    const other = await run('upgrade-check-2', 'a');
    expect(other.code).toBe(0);
    const compared = await runCli([
      'compare',
      'upgrade-check',
      'upgrade-check-2',
      '--results',
      path.join(influx.dir, 'a'),
      '--influx',
      influx.url,
      '--format',
      'json',
    ]);
    expect([0, 1]).toContain(compared.code);
    expect(JSON.parse(compared.stdout)).toMatchObject({
      baseline: 'upgrade-check',
      candidate: 'upgrade-check-2',
      bucket_s: 1,
    });
  }, 180_000);
});
