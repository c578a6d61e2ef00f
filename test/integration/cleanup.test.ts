/**
 * What a run leaves on its target, and cleanup putting it back, with the real k6 and the simulator as a
 * separate process (agents moved only by requests, so nothing but the run and cleanup changes it): the
 * simulator's own count of what each run left open (`/sim/stats?testid=`) is the judge.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecordLog, recordLine } from '../../src/shared/run-records.js';
import { runCli, startSimProcess, stop } from '../helpers/cli.js';
import { call, ENV } from '../helpers/sim-client.js';
import { startTestInflux } from '../helpers/influx.js';
import type { RunSummary } from '../../src/node/results/model.js';

let sim: { url: string; child: ChildProcess };
const results = mkdtempSync(path.join(tmpdir(), 'offerload-cleanup-'));
beforeAll(async () => {
  sim = await startSimProcess(['--port', '0', '--agents.mode', 'external'], ENV);
});
afterAll(async () => sim && stop(sim.child));

const leftOpen = async (testid: string) =>
  (await call(sim.url, `/sim/stats?testid=${testid}`, { method: 'GET' })).json.left_open;
const contention = (testid: string, ...more: string[]) =>
  runCli(
    [
      'run',
      'contention',
      '--profile',
      'smoke',
      '--duration',
      '8s',
      '--target',
      sim.url,
      '--no-influx',
      '--out',
      results,
      '--testid',
      testid,
      '--quiet',
      ...more,
    ],
    ENV,
  );

describe('cleanup after a run', () => {
  it('finds what the run left from its records file and the testid, puts it back, and does nothing the second time', async () => {
    const testid = `clean-${Date.now().toString(36)}`;
    expect((await contention(testid)).code).toBe(0);
    const records = path.join(results, testid, 'records.log');
    const log = readRecordLog(readFileSync(records, 'utf8'));
    expect(log.interactions.length).toBeGreaterThan(0);
    expect(log.workItems.length).toBeGreaterThan(10);
    expect(log.malformed).toBe(0);
    // a presence change the run did not put back (k6 killed between its PUT and its restore): the record is written before the PUT
    const agent =
      [...log.presence.keys()][0] ?? (await call(sim.url, '/sim/fixtures', { method: 'GET' })).json.agents[0].sys_id;
    const before = (await call(sim.url, `/api/now/awa/agents/${agent}`, { method: 'GET' })).json.result.presence;
    const states = (await call(sim.url, `/api/now/awa/agents/${agent}/presence_states`, { method: 'GET' })).json
      .result as { name: string; sys_id: string }[];
    const away =
      states.find((s) => s.name === 'Away' && s.sys_id !== before.sys_id) ??
      states.find((s) => s.sys_id !== before.sys_id)!;
    if (!log.presence.has(agent))
      appendFileSync(
        records,
        `${recordLine({ kind: 'presence', agent, previous: { state: before.sys_id, channels: before.channels.map((c: any) => [c.sys_id, c.available]) } })}\n`,
      );
    expect(
      (
        await call(sim.url, `/api/now/awa/agents/${agent}`, {
          method: 'PUT',
          body: { presence: { sys_id: away.sys_id } },
          headers: { 'X-Offerload-Testid': testid },
        })
      ).status,
    ).toBe(200);

    const left = await leftOpen(testid);
    expect(left.interactions_open).toBe(log.interactions.length);
    expect(left.work_items_open.pending_accept).toBeGreaterThan(0);
    expect(left.agents_changed).toBe(1);

    const dry = await runCli(['cleanup', testid, '--target', sim.url, '--out', results, '--dry-run', '--json'], ENV);
    expect(dry.code).toBe(0);
    const planned = JSON.parse(dry.stdout);
    expect(planned.counts.close_interaction).toBe(left.interactions_open);
    expect(planned.counts.restore_presence).toBe(1);
    expect(planned.counts.reject_work_item).toBeGreaterThan(0);
    expect(await leftOpen(testid)).toEqual(left);

    const done = await runCli(['cleanup', testid, '--target', sim.url, '--out', results, '--json'], ENV);
    expect(done.code).toBe(0);
    const report = JSON.parse(done.stdout);
    expect(report.failed).toBe(0);
    expect(report.counts).toMatchObject({
      close_interaction: planned.counts.close_interaction,
      reject_work_item: planned.counts.reject_work_item,
      restore_presence: 1,
    });
    const after = await leftOpen(testid);
    expect(after).toMatchObject({ interactions_open: 0, agents_changed: 0, work_items_open: { pending_accept: 0 } });
    const now = (await call(sim.url, `/api/now/awa/agents/${agent}`, { method: 'GET' })).json.result.presence;
    expect(now.sys_id).toBe(before.sys_id);
    expect(now.channels).toEqual(before.channels);

    const again = JSON.parse(
      (await runCli(['cleanup', testid, '--target', sim.url, '--out', results, '--json'], ENV)).stdout,
    );
    expect(again.counts).toMatchObject({ close_interaction: 0, reject_work_item: 0, restore_presence: 0 });
    expect(await leftOpen(testid)).toEqual(after);
  }, 180_000);

  it('run --cleanup leaves no open interaction, pending work item or changed presence behind', async () => {
    const testid = `runclean-${Date.now().toString(36)}`;
    const r = await contention(testid, '--cleanup');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(`cleanup ${testid}: closed [1-9]\\d* interaction\\(s\\), rejected \\d+ pending`),
    );
    expect(await leftOpen(testid)).toMatchObject({
      interactions_open: 0,
      agents_changed: 0,
      work_items_open: { pending_accept: 0 },
    });
  }, 180_000);

  it('refuses bad input in one line: no target, a bad run name, a target not allowed', async () => {
    const cases: [string[], RegExp][] = [
      [['cleanup', 'x1'], /^offerload: missing --target: /],
      [['cleanup', 'bad name!', '--target', sim.url], /^offerload: invalid <run>: expected letters, digits/],
      [
        ['cleanup', 'x1', '--target', 'https://acme.example.com'],
        /^offerload: invalid --target: acme.example.com is not on loopback/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, ENV, 20_000);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  }, 90_000);
});

describe('cleanup after a capacity run with refinement probes', () => {
  it("plans for the probes' work items too: each probe is a run of its own, with its own testid and records", async () => {
    const influx = await startTestInflux('cleanup-capacity');
    // a small target of its own (2 slots, 20 ms: 100/s), so the coarse plateaus miss early and probes run
    const target = await startSimProcess(
      [
        '--port',
        '0',
        '--agents.mode',
        'external',
        '--capacity.nodes',
        '1',
        '--capacity.slotsPerNode',
        '2',
        '--capacity.queuePerNode',
        '5',
        '--capacity.serviceTimeMs.median',
        '20',
        '--capacity.serviceTimeMs.sigma',
        '0',
        '--fixtures.documents',
        '20000',
      ],
      ENV,
    );
    try {
      const testid = `clean-cap-${Date.now().toString(36)}`;
      // eight plateaus of 4 s (15 to 120/s): the first meet the SLOs, those past 100/s refuse, and the refinement's
      // time (at least 30% of the run: 9.6 s) holds one probe, a 4 s plateau and 5 s of overhead (refine-plan.ts);
      // where the knee lies does not matter here, only that probes ran and left work items
      const run = await runCli(
        [
          'run',
          'capacity',
          '--rate',
          '15',
          '--ceiling',
          '120',
          '--duration',
          '32s',
          '--target',
          target.url,
          '--influx',
          influx.url,
          '--out',
          results,
          '--testid',
          testid,
          '--quiet',
          '--json',
        ],
        ENV,
      );
      expect([0, 1], run.stderr).toContain(run.code);
      const probes = (JSON.parse(run.stdout) as RunSummary)
        .capacity!.plateaus.filter((p) => p.phase === 'refine')
        .map((p) => p.testid!);
      expect(probes.length, run.stderr).toBeGreaterThan(0);
      const pendingOf = async (id: string) =>
        (await call(target.url, `/sim/stats?testid=${id}`, { method: 'GET' })).json.left_open.work_items_open
          .pending_accept as number;
      const pending = await Promise.all(probes.map(pendingOf));
      expect(pending.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      // a dry run plans for the probes as for the run (carrying out thousands of rejects at cleanup's 10/s is
      // what the contention tests above check end to end)
      const planned = await runCli(
        ['cleanup', testid, '--target', target.url, '--out', results, '--dry-run', '--json'],
        ENV,
      );
      expect(planned.code, planned.stderr).toBe(0);
      const report = JSON.parse(planned.stdout) as {
        probes: { testid: string; records_file: string | null; counts: { reject_work_item: number } }[];
      };
      expect(report.probes.map((p) => p.testid).sort()).toEqual([...probes].sort());
      for (const [i, p] of report.probes.entries()) {
        expect(p.records_file).toContain(path.join('refine', p.testid, 'records.log'));
        expect(p.counts.reject_work_item, p.testid).toBe(pending[probes.indexOf(p.testid)]);
        expect(i).toBeLessThan(probes.length);
      }
    } finally {
      await stop(target.child);
      await influx.stop();
    }
  }, 180_000);
});
