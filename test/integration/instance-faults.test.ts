/**
 * Faults on the way to a customer's instance, with the real parts: the target (the simulator as a separate
 * process) killed mid-run and restarted on the same port; k6 killed with SIGKILL mid-run (the CLI says so,
 * exits 3, writes partial results from InfluxDB when it has one, and keeps the records file so cleanup can put
 * back what the run created); a full disk under the results folder (a small tmpfs), before and during a run;
 * two runs at once sharing the local InfluxDB.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/node/results/model.js';
import { readRecordLog } from '../../src/shared/run-records.js';
import { BIN, ROOT, runCli, startSimProcess, stop } from '../helpers/cli.js';
import { call, ENV } from '../helpers/sim-client.js';
import { startTestInflux } from '../helpers/influx.js';
import { k6Of, waitFor } from '../helpers/processes.js';
import { receivedBy, refused, storedIn, waitUntil } from '../helpers/progress.js';

/** How long a target stays down in the restart test: a length the test sets, not a wait. */
const OUTAGE_MS = 3000;

const results = mkdtempSync(path.join(tmpdir(), 'offerload-instance-faults-'));
const started: ChildProcess[] = [];
afterEach(async () => {
  for (const c of started.splice(0)) await stop(c);
});
const sim = async (...args: string[]) => {
  const s = await startSimProcess(['--agents.mode', 'external', ...args], ENV);
  started.push(s.child);
  return s;
};

describe('k6 killed with SIGKILL mid-run', () => {
  it('exits 3 naming it, writes no half results, and keeps the records file that cleanup reads', async () => {
    const target = await sim('--port', '0');
    const testid = `k6kill-${Date.now().toString(36)}`;
    const cli = spawn(
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
        '--target',
        target.url,
        '--no-influx',
        '--out',
        results,
        '--testid',
        testid,
        '--quiet',
      ],
      {
        cwd: ROOT,
        env: { ...process.env, ...ENV },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    cli.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = new Promise<number>((resolve) => cli.once('close', (c) => resolve(c ?? -1)));
    expect(await waitFor(() => k6Of(testid) !== undefined && stderr.includes('running offer-burst'), 60_000)).toBe(
      true,
    );
    await waitUntil(
      'the target received 40 requests',
      async () => (await receivedBy(target.url, testid)) >= 40,
      60_000,
    );
    process.kill(k6Of(testid)!, 'SIGKILL');
    expect(await code).toBe(3);
    expect(stderr).toMatch(/offerload: k6 exited \d+ without a summary.*records\.log: 'offerload cleanup k6kill-/);
    expect(existsSync(path.join(results, testid))).toBe(false);
    const log = readRecordLog(readFileSync(path.join(results, `.${testid}.partial`, 'records.log'), 'utf8'));
    expect(log.workItems.length).toBeGreaterThan(20);
    const cleaned = await runCli(['cleanup', testid, '--target', target.url, '--out', results, '--json'], ENV, 60_000);
    expect(cleaned.code).toBe(0);
    expect(JSON.parse(cleaned.stdout).records_file).toContain(`.${testid}.partial`);
    expect(
      (await call(target.url, `/sim/stats?testid=${testid}`, { method: 'GET' })).json.left_open.work_items_open
        .pending_accept,
    ).toBe(0);
  }, 120_000);
});

describe('k6 killed with SIGKILL mid-run, with InfluxDB', () => {
  it('writes partial results from what InfluxDB holds, names the lost count, and exits 3', async () => {
    const influx = await startTestInflux('k6-kill');
    try {
      const testid = `k6kill-influx-${Date.now().toString(36)}`;
      const cli = spawn(
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
        {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      cli.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = new Promise<number>((resolve) => cli.once('close', (c) => resolve(c ?? -1)));
      expect(await waitFor(() => k6Of(testid) !== undefined && stderr.includes('running offer-burst'), 60_000)).toBe(
        true,
      );
      await waitUntil('InfluxDB holds 50 requests', async () => (await storedIn(influx.url, testid)) >= 50, 60_000);
      process.kill(k6Of(testid)!, 'SIGKILL');
      expect(await code).toBe(3);
      expect(stderr).toContain('k6 was killed by SIGKILL');
      const s = JSON.parse(readFileSync(path.join(results, testid, 'summary.json'), 'utf8')) as RunSummary;
      expect(s.partial).toEqual({ signal: 'SIGKILL' });
      expect(s.accounting.balanced).toBe(false);
      expect(s.accounting.gaps[0]).toMatch(/k6 was killed by SIGKILL before its summary/);
      // what InfluxDB held until the kill is the partial record: about six seconds at 10/s
      expect(s.operations.offer!.requests).toBeGreaterThan(20);
      expect(s.accounting.sent).toBe(s.accounting.stored_in_influx);
      expect(existsSync(path.join(results, testid, 'records.log'))).toBe(true);
      expect(existsSync(path.join(results, `.${testid}.partial`))).toBe(false);
    } finally {
      await influx.stop();
    }
  }, 120_000);
});

describe('the target killed mid-run and restarted', () => {
  it('counts the outage as network errors, goes on when the target is back, and writes whole results', async () => {
    const first = await sim('--port', '0');
    const port = new URL(first.url).port;
    const testid = `tgtkill-${Date.now().toString(36)}`;
    const run = runCli(
      [
        'run',
        'offer-burst',
        '--profile',
        'average',
        '--rate',
        '10',
        '--duration',
        '20s',
        '--request-timeout',
        '2s',
        '--target',
        first.url,
        '--no-influx',
        '--out',
        results,
        '--testid',
        testid,
        '--quiet',
      ],
      ENV,
      90_000,
    );
    expect(await waitFor(() => k6Of(testid) !== undefined, 60_000)).toBe(true);
    await waitUntil(
      'the first target received 40 requests',
      async () => (await receivedBy(first.url, testid)) >= 40,
      60_000,
    );
    first.child.kill('SIGKILL');
    // killed by a signal: no exit code to wait for in afterEach
    started.splice(started.indexOf(first.child), 1);
    await waitUntil('the first target is gone', () => refused(first.url), 10_000);
    // the outage itself: a deliberate length (30 offers at 10/s meet a closed port), not a wait for readiness
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    const second = await sim('--port', port);
    const r = await run;
    expect([0, 1]).toContain(r.code);
    const s = JSON.parse(readFileSync(path.join(results, testid, 'summary.json'), 'utf8')) as RunSummary;
    const o = s.operations.offer!.outcomes;
    expect(o.network_error).toBeGreaterThan(5);
    expect(o.success).toBeGreaterThan(30);
    // the restarted target counted what reached it after the restart: fewer than k6 sent
    const received = (await call(second.url, `/sim/stats?testid=${testid}`, { method: 'GET' })).json.received.total;
    expect(received).toBeGreaterThan(20);
    expect(received).toBeLessThan(s.accounting.sent);
    expect(existsSync(path.join(results, `.${testid}.partial`))).toBe(false);
  }, 120_000);
});

describe('a full disk under the results folder (a small tmpfs)', () => {
  const mountTmpfs = (size: string): string => {
    const dir = mkdtempSync(path.join(tmpdir(), 'offerload-full-'));
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mount tmpfs: ${r.stderr}`);
    return dir;
  };
  const umount = (dir: string): void => void spawnSync('umount', [dir]);

  it.skipIf(process.getuid?.() !== 0)(
    'refuses before any load a folder without room for the plan, naming both sizes (needs root: mounts a 1 MiB tmpfs)',
    async () => {
      const dir = mountTmpfs('1m');
      try {
        const r = await runCli([
          'run',
          'offer-burst',
          '--profile',
          'smoke',
          '--no-influx',
          '--out',
          path.join(dir, 'results'),
          '--testid',
          'full-before',
          '--quiet',
        ]);
        expect(r.code).toBe(3);
        expect(r.stderr).toMatch(
          /the results folder .*results has 1\.0 MiB free and a run of this plan writes about \d+\.\d MiB/,
        );
        expect(r.stderr).not.toContain('running offer-burst');
        expect(readdirSync(dir)).toEqual([]);
      } finally {
        umount(dir);
      }
    },
    60_000,
  );

  it.skipIf(process.getuid?.() !== 0)(
    'says the disk filled during the run, exits 3 and leaves nothing half-written (needs root: mounts an 8 MiB tmpfs)',
    async () => {
      const dir = mountTmpfs('8m');
      try {
        const out = path.join(dir, 'results');
        const run = runCli([
          'run',
          'offer-burst',
          '--profile',
          'smoke',
          '--no-influx',
          '--out',
          out,
          '--testid',
          'full-during',
          '--quiet',
        ]);
        // once k6 runs (its pool is written), something else takes the rest of the disk
        expect(
          await waitFor(() => existsSync(path.join(out, '.full-during.partial', 'inputs', 'pool.json')), 30_000),
        ).toBe(true);
        spawnSync('sh', ['-c', `head -c 9000000 /dev/zero > ${dir}/filler`]);
        const r = await run;
        expect(r.code).toBe(3);
        expect(r.stderr).toMatch(
          /is full \(no space left on device\) and run full-during could not write its results: free some space or pass another --out; nothing of it was kept/,
        );
        expect(readdirSync(out)).toEqual([]);
      } finally {
        umount(dir);
      }
    },
    90_000,
  );
});

describe('two runs at once on one machine, sharing the local InfluxDB', () => {
  it('each gets its own ports and testid, and each accounting balances', async () => {
    const influx = await startTestInflux('two-runs');
    try {
      const out = path.join(results, 'two');
      const one = (testid: string) =>
        runCli(
          [
            'run',
            'offer-burst',
            '--profile',
            'average',
            '--rate',
            '15',
            '--duration',
            '15s',
            '--influx',
            influx.url,
            '--out',
            out,
            '--testid',
            testid,
            '--json',
            '--quiet',
          ],
          {},
          120_000,
        );
      const [a, b] = await Promise.all([one('two-a'), one('two-b')]);
      for (const [r, testid] of [
        [a, 'two-a'],
        [b, 'two-b'],
      ] as const) {
        expect([0, 1], r.stderr).toContain(r.code);
        const s = JSON.parse(r.stdout) as RunSummary;
        expect(s.testid).toBe(testid);
        expect(s.accounting.sent).toBeGreaterThan(150);
        expect(s.accounting.received_by_target).toBe(s.accounting.sent);
        expect(s.accounting.stored_in_influx).toBe(s.accounting.sent);
        expect(s.accounting.balanced).toBe(true);
      }
      const [sa, sb] = [a, b].map((r) => JSON.parse(r.stdout) as RunSummary);
      // two simulators, two targets: neither run saw the other's requests
      expect(sa!.target.url).not.toBe(sb!.target.url);
    } finally {
      await influx.stop();
    }
  }, 150_000);
});
