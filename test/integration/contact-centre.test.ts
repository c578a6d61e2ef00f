/**
 * The contact centre end to end with the real k6: a forecast replayed through a finite pool of agents on the
 * embedded simulator (InfluxDB storing it all), and a run against a simulator started on its own with its agents
 * external, which the simulator's own count of what the run left open judges, before and after `cleanup`.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/node/results/model.js';
import type { ContactPlanFile } from '../../src/shared/contact-plan.js';
import { ROOT, runCli, startSimProcess, stop } from '../helpers/cli.js';
import { startTestInflux } from '../helpers/influx.js';
import { call, ENV } from '../helpers/sim-client.js';

const PLAIN = path.join(ROOT, 'test/fixtures/forecast/plain.csv');

let influx: Awaited<ReturnType<typeof startTestInflux>>;
let sim: { url: string; child: ChildProcess };
beforeAll(async () => {
  influx = await startTestInflux('contact-centre');
  sim = await startSimProcess(['--port', '0', '--agents.mode', 'external'], ENV);
});
afterAll(async () => {
  await influx?.stop();
  if (sim) await stop(sim.child);
});

/** Every planned request was sent and answered: per operation, the run's requests are the plan's. */
function sentAsPlanned(s: RunSummary): void {
  const c = s.contacts!;
  for (const [op, planned] of Object.entries(c.requests_planned)) {
    // a contact whose request failed skips its later requests about its own records: none here
    expect(s.operations[op]?.requests, op).toBe(planned);
  }
  expect(c.measured.contacts.failed).toBe(0);
  expect(c.measured.contacts.served! + c.measured.contacts.abandoned!).toBe(c.plan.contacts);
  expect(c.measured.contacts.abandoned).toBe(c.plan.abandoned);
}

describe('the contact-centre scenario', () => {
  it("replays a forecast's contacts through the agents: every planned request sent, accounting balanced", async () => {
    // Sales 08:00 to 08:30: 180 contacts of 300 s (360 an hour: 30 Erlangs) on 34 agents, 90 times faster: 20 s
    const testid = `it-cc-${Date.now().toString(36)}`;
    const out = path.join(influx.dir, 'results');
    const r = await runCli([
      'run',
      'contact-centre',
      '--forecast',
      PLAIN,
      '--queue',
      'Sales',
      '--window',
      'Mon 08:00..08:30',
      '--speedup',
      '90',
      '--agents',
      '34',
      '--reject-share',
      '0.1',
      '--no-answer-share',
      '0.1',
      '--transfer-share',
      '0.3',
      '--poll-queued',
      '--influx',
      influx.url,
      '--out',
      out,
      '--testid',
      testid,
      '--quiet',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as RunSummary;
    expect(s.accounting.balanced).toBe(true);
    const c = s.contacts!;
    expect(c.agents).toBe(34);
    expect(c.plan.contacts).toBeGreaterThan(140);
    sentAsPlanned(s);
    // re-offers after rejections and expiries; transfers of every kind are in the plan's mix
    expect(s.operations.reject!.requests).toBeGreaterThan(0);
    expect(s.operations.offer!.requests).toBeGreaterThan(c.plan.contacts - c.plan.abandoned);
    expect(c.measured.offers_per_contact).toBeGreaterThan(1);
    expect(s.operations.find_queued!.requests).toBe(c.plan.contacts);
    // what the contacts met: measured waits (run time) and the forecast replayed against the plan
    expect(c.measured.queue_wait_ms!.count).toBeGreaterThan(100);
    expect(c.measured.offer_to_accept_ms!.p95).toBeGreaterThan(0);
    expect(c.plan.erlang_c_service_level).toBeGreaterThan(0);
    expect(s.forecast!.intervals[0]!.offered).toBe(c.plan.contacts);
    // the offer timeout analysed on the contact centre's own cards: their fates (the rejects sent) and accept times
    // 20 s at speedup 90 is sent as 1 s of run time, 90 s real: the analysis says the timeout the instance applied
    const cards = s.timeouts!.by_timeout['90']!;
    expect(cards.fates.rejected).toBe(s.operations.reject!.requests);
    expect(cards.fates.accepted).toBeGreaterThan(50);
    expect(cards.time_to_accept_ms!.p50).toBeGreaterThan(0);
    expect(s.timeouts!.advice?.best.timeout_s).toBeGreaterThan(0);
    // the plan's file holds the agents the run used, each noted in the records before any presence change
    const plan = JSON.parse(readFileSync(path.join(out, testid, 'inputs', 'contacts.json'), 'utf8')) as ContactPlanFile;
    expect(plan.agents).toHaveLength(34);
    const records = readFileSync(path.join(out, testid, 'records.log'), 'utf8');
    for (const agent of plan.agents) expect(records).toContain(`presence ${agent}`);
  }, 120_000);

  it('against a simulator started on its own: presence restored, nothing left open, and cleanup finds nothing to do', async () => {
    const testid = `it-cc-target-${Date.now().toString(36)}`;
    const out = mkdtempSync(path.join(tmpdir(), 'offerload-cc-'));
    const r = await runCli(
      [
        'run',
        'contact-centre',
        '--rate',
        '3',
        '--duration',
        '10s',
        '--speedup',
        '60',
        '--agents',
        '8',
        '--aht',
        '120',
        '--acw',
        '10',
        '--target',
        sim.url,
        '--no-influx',
        '--out',
        out,
        '--testid',
        testid,
        '--quiet',
        '--json',
      ],
      ENV,
    );
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as RunSummary;
    expect(s.accounting.balanced).toBe(true);
    sentAsPlanned(s);
    expect(s.operations.presence_busy!.requests).toBeGreaterThan(10);
    const left = (await call(sim.url, `/sim/stats?testid=${testid}`, { method: 'GET' })).json.left_open;
    expect(left).toEqual({
      interactions_open: 0,
      work_items_open: { queued: 0, pending_accept: 0, accepted: 0 },
      agents_changed: 0,
    });
    const cleaned = await runCli(['cleanup', testid, '--target', sim.url, '--out', out], ENV);
    expect(cleaned.code, cleaned.stderr).toBe(0);
    expect(cleaned.stdout + cleaned.stderr).toMatch(
      /closed 0 interaction\(s\), rejected 0 pending work item\(s\), restored 0/,
    );
  }, 120_000);
});
