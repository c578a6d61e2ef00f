/**
 * Faults on purpose, with the real k6, simulator and InfluxDB: target faults are classified and none
 * crashes the run; a 500 storm trips the watchdog and the results are kept; SIGINT writes partial results
 * and stops only what the run started; InfluxDB killed mid-run leaves the run going and names the gap.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ping, recordedPid, startInflux } from '../../src/node/influx/server.js';
import type { RunSummary } from '../../src/node/results/model.js';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { startTestInflux } from '../helpers/influx.js';
import { refused, storedIn, waitUntil } from '../helpers/progress.js';

/** How long InfluxDB stays down mid-run: a length the test sets, not a wait. */
const OUTAGE_MS = 6000;

let influx: Awaited<ReturnType<typeof startTestInflux>>;
let results: string;
beforeAll(async () => {
  influx = await startTestInflux('faults');
  results = path.join(influx.dir, 'results');
});
afterAll(async () => influx?.stop());

const fixture = (name: string) => path.join(ROOT, 'test/fixtures', name, 'sim.json');
const summaryOf = (testid: string) =>
  JSON.parse(readFileSync(path.join(results, testid, 'summary.json'), 'utf8')) as RunSummary;

describe('target faults', () => {
  it('classifies stalls as timeouts and dropped connections as network errors, and the accounting still balances', async () => {
    const testid = `flt-${Date.now().toString(36)}`;
    const r = await runCli([
      'run',
      'offer-burst',
      '--profile',
      'average',
      '--rate',
      '20',
      '--duration',
      '12s',
      '--request-timeout',
      '2s',
      '--sim-config',
      fixture('faults'),
      '--influx',
      influx.url,
      '--out',
      results,
      '--testid',
      testid,
      '--quiet',
    ]);
    expect([0, 1]).toContain(r.code);
    const s = summaryOf(testid);
    const o = s.operations.offer!.outcomes;
    expect(o.timeout).toBeGreaterThan(0);
    expect(o.network_error).toBeGreaterThan(0);
    expect(o.success).toBeGreaterThan(100);
    expect(s.accounting).toMatchObject({ balanced: true });
    expect(s.accounting.received_by_target).toBe(s.accounting.sent);
  }, 120_000);

  it('stops a run drowning in 500s with the watchdog, and keeps its results', async () => {
    const testid = `storm-${Date.now().toString(36)}`;
    const started = Date.now();
    const r = await runCli([
      'run',
      'offer-burst',
      '--profile',
      'average',
      '--rate',
      '20',
      '--duration',
      '90s',
      '--sim-config',
      fixture('storm'),
      '--influx',
      influx.url,
      '--out',
      results,
      '--testid',
      testid,
      '--quiet',
    ]);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(r.code).toBe(1);
    const s = summaryOf(testid);
    expect(s.stopped_early?.reason).toMatch(/5xx, 429 and timeouts were \d+% of answers/);
    expect(s.operations.offer!.outcomes.server_error).toBeGreaterThan(100);
    expect(s.accounting.stored_in_influx).toBe(s.accounting.sent);
    expect(s.accounting.received_by_target).toBe(s.accounting.sent);
  }, 120_000);
});

describe('interruptions', () => {
  it('on SIGINT stops k6, writes partial results, stops the simulator it started and leaves InfluxDB it did not start', async () => {
    const testid = `sigint-${Date.now().toString(36)}`;
    const child = spawn(
      process.execPath,
      [
        BIN,
        'run',
        'offer-burst',
        '--profile',
        'average',
        '--rate',
        '10',
        '--duration',
        '60s',
        '--influx',
        influx.url,
        '--out',
        results,
        '--testid',
        testid,
        '--quiet',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await waitUntil('InfluxDB holds 60 requests', async () => (await storedIn(influx.url, testid)) >= 60, 90_000);
    child.kill('SIGINT');
    const code = await new Promise<number>((resolve) => child.once('close', (c) => resolve(c ?? -1)));
    expect(stderr).toContain('SIGINT: draining k6');
    expect(code).toBe(130);
    const s = summaryOf(testid) as RunSummary & { partial: { signal: string } };
    expect(s.partial).toEqual({ signal: 'SIGINT' });
    // the drain let what was in flight answer: every request the target received is one k6 recorded and InfluxDB stored
    expect(s.accounting.received_by_target).toBe(s.accounting.sent);
    expect(s.accounting.stored_in_influx).toBe(s.accounting.sent);
    expect(s.accounting.balanced).toBe(true);
    expect(s.accounting.sent).toBeGreaterThan(20);
    expect(s.accounting.sent).toBeLessThan(300);
    expect(existsSync(path.join(results, `.${testid}.partial`))).toBe(false);
    expect(await ping(influx.opts.port)).toBe(true);
  }, 120_000);

  it('keeps running when InfluxDB is killed mid-run, and names what InfluxDB lost', async () => {
    const testid = `influxdown-${Date.now().toString(36)}`;
    const run = runCli([
      'run',
      'offer-burst',
      '--profile',
      'average',
      '--rate',
      '10',
      '--duration',
      '25s',
      '--influx',
      influx.url,
      '--out',
      results,
      '--testid',
      testid,
      '--quiet',
    ]);
    await waitUntil('InfluxDB holds 40 requests', async () => (await storedIn(influx.url, testid)) >= 40, 90_000);
    process.kill(recordedPid(influx.opts)!, 'SIGKILL');
    await waitUntil('InfluxDB is down', () => refused(`${influx.url}/ping`), 10_000);
    // the outage itself: a deliberate length (about 60 requests k6 cannot flush), not a wait for readiness
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await startInflux(influx.opts);
    const r = await run;
    expect([0, 1]).toContain(r.code);
    const s = summaryOf(testid);
    expect(s.accounting.sent).toBeGreaterThan(200);
    expect(s.accounting.received_by_target).toBe(s.accounting.sent);
    // whatever InfluxDB lost while it was down is counted and named, never hidden
    if (s.accounting.stored_in_influx !== s.accounting.sent) {
      expect(s.accounting.balanced).toBe(false);
      expect(s.accounting.gaps.join(' ')).toMatch(/InfluxDB holds \d+ of the \d+ requests k6 sent/);
    }
    expect(s.accounting.stored_in_influx).toBeGreaterThan(0);
  }, 120_000);
});
