import { afterEach, describe, expect, it } from 'vitest';
import { basic, ENV, QUIET, TEST_USER } from '../../../../test/helpers/sim-client.js';
import type { Fixtures } from '../../../shared/api.js';
import { simConfig } from '../config.js';
import { startSimulator, type Simulator } from './server.js';
import { SimTimings } from './timing.js';

describe('SimTimings', () => {
  it('gives quantiles within 1% of the exact ones, per run', () => {
    const t = new SimTimings();
    // 1..1000 µs, then 10 ms .. 19.99 ms: the two regimes of the histogram
    for (let us = 1; us <= 1000; us++) t.record('a', us / 1000);
    for (let i = 0; i < 1000; i++) t.record('b', 10 + i / 100);
    const a = t.of('a')!;
    expect(a.count).toBe(1000);
    expect(a.p50_ms).toBe(0.5);
    expect(a.p95_ms).toBe(0.95);
    expect(a.max_ms).toBe(1);
    expect(a.mean_ms).toBeCloseTo(0.5005, 2);
    const b = t.of('b')!;
    expect(Math.abs(b.p50_ms - 14.99) / 14.99).toBeLessThan(0.01);
    expect(Math.abs(b.p95_ms - 19.49) / 19.49).toBeLessThan(0.01);
    expect(t.of('c')).toBeUndefined();
  });

  it('counts requests without a testid under "-" and forgets everything on reset', () => {
    const t = new SimTimings();
    t.record(undefined, 0.2);
    expect(t.of('-')?.count).toBe(1);
    t.reset();
    expect(t.of('-')).toBeUndefined();
  });
});

describe('simulator: its own time per request (timing.report)', () => {
  let sim: Simulator | undefined;
  afterEach(async () => sim?.close());

  const offer = async (s: Simulator, headers: Record<string, string> = {}): Promise<Response> => {
    const fx = (await (await fetch(`${s.url}/sim/fixtures`)).json()) as Fixtures;
    const agent = fx.agents.find((a) => a.presence === 'Available')!.sys_id;
    const doc = fx.documents[0]!;
    return fetch(`${s.url}/api/now/awa/documents/${doc.table}/${doc.sys_id}/offer`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: basic(TEST_USER.name, TEST_USER.password),
        'X-Offerload-Testid': 'timed',
        ...headers,
      },
      body: JSON.stringify({ queue_id: fx.queues[0]!.sys_id, assignment: { agent_sys_id: agent } }),
    });
  };
  const simMs = async (s: Simulator): Promise<unknown> =>
    ((await (await fetch(`${s.url}/sim/stats?testid=timed`)).json()) as { sim_ms?: unknown }).sim_ms;

  it('adds no header and keeps no times by default', async () => {
    sim = await startSimulator(simConfig(QUIET, ENV));
    const res = await offer(sim);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-offerload-sim-ms')).toBeNull();
    expect(await simMs(sim)).toBeUndefined();
  });

  it('answers with X-Offerload-Sim-Ms and per-run quantiles in /sim/stats when timing.report is on', async () => {
    sim = await startSimulator(simConfig({ ...QUIET, timing: { report: true } }, ENV));
    const res = await offer(sim);
    expect(res.status).toBe(200);
    const header = res.headers.get('x-offerload-sim-ms');
    expect(header).toMatch(/^\d+\.\d{3}$/);
    expect(Number(header)).toBeGreaterThan(0);
    expect(Number(header)).toBeLessThan(1000);
    const stats = (await simMs(sim)) as { count: number; max_ms: number };
    expect(stats.count).toBe(1);
    // the histogram keeps the exact max; the header rounds to the µs
    expect(Math.abs(stats.max_ms - Number(header))).toBeLessThanOrEqual(0.001);
  });

  it('times one request that asks with X-Offerload-Sim-Timing: 1 while the setting is off', async () => {
    sim = await startSimulator(simConfig(QUIET, ENV));
    const asked = await offer(sim, { 'X-Offerload-Sim-Timing': '1' });
    expect(Number(asked.headers.get('x-offerload-sim-ms'))).toBeGreaterThan(0);
    expect(((await simMs(sim)) as { count: number }).count).toBe(1);
  });
});
