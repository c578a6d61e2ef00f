/** The platform's limits and faults, on real timers: races, capacity (429), rate limits, transaction limit, fault modes. */
import { afterEach, describe, expect, it } from 'vitest';
import { call, ENV } from '../../../test/helpers/sim-client.js';
import { classify } from '../../shared/outcome.js';
import { simConfig, type SimOverrides } from './config.js';
import { isRoutableAgent } from './platform/fixtures.js';
import { checkInvariants } from './platform/invariants.js';
import { startSimulator, type Simulator } from './http/server.js';

let sim: Simulator;
async function start(overrides: SimOverrides): Promise<void> {
  sim = await startSimulator(
    simConfig({ agents: { mode: 'external' }, fixtures: { documents: 50 }, ...overrides }, ENV),
  );
}
afterEach(async () => {
  expect(checkInvariants(sim.engine).violations).toEqual([]);
  await sim.close();
});

const world = () => sim.engine.world;
const doc = (i = 0) => [...world().documents.values()][i]!;
const offerPath = (i = 0) => `/api/now/awa/documents/${doc(i).table}/${doc(i).sys_id}/offer`;
const available = () =>
  [...world().agents.values()]
    .filter((a) => isRoutableAgent(a) && world().presence.get(a.presence)!.available)
    .map((a) => a.sys_id);
const offer = (a: string, extra: Record<string, unknown> = {}) => ({
  queue_id: [...world().queues.values()][0]!.sys_id,
  assignment: { agent_sys_id: a, ...extra },
});
const exact = (median: number) => ({ median, sigma: 0 });

describe('races for one document', () => {
  it.each([
    ['with worker slots and queues', { capacity: { fast: false, serviceTimeMs: { median: 5, sigma: 0.5 } } }],
    ['in fast mode', { capacity: { fast: true } }],
  ] as const)(
    'lets exactly one of 60 parallel offers win %s; the rest get the documented conflict',
    async (_, overrides) => {
      await start(overrides as SimOverrides);
      const agents = available().slice(0, 60);
      expect(agents).toHaveLength(60);
      const results = await Promise.all(
        agents.map((a, i) => call(sim.url, offerPath(), { body: offer(a, { enable_auto_assign: i % 3 === 0 }) })),
      );
      const winners = results.filter((r) => r.status === 200);
      expect(winners).toHaveLength(1);
      const winner = sim.engine.items.active(`${doc().table}:${doc().sys_id}`)!;
      const conflicts = results.filter((r) => r.status === 409).map((r) => r.json.error.message);
      expect(conflicts).toHaveLength(59);
      const expected =
        winner.state === 'accepted'
          ? 'Work Item accepted can not be assigned'
          : `Work Item is already assigned to ${winner.assigned_to}`;
      expect(new Set(conflicts)).toEqual(new Set([expected]));
      const invariants = (await call(sim.url, '/sim/invariants', { method: 'GET' })).json;
      expect(invariants).toMatchObject({ ok: true, violations: [] });
    },
  );
});

describe('capacity', () => {
  it('answers 429 with the error envelope once every slot and queue place of the node is taken', async () => {
    // one node, 2 slots, 3 queue places, 300 ms per request: 10 at once -> 5 served, 5 refused
    await start({ capacity: { nodes: 1, slotsPerNode: 2, queuePerNode: 3, serviceTimeMs: exact(300) } });
    const agents = available();
    const results = await Promise.all(
      agents.slice(0, 10).map((a, i) => call(sim.url, offerPath(i), { body: offer(a) })),
    );
    const refused = results.filter((r) => r.status === 429);
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    expect(refused).toHaveLength(5);
    expect(refused[0]!.json).toEqual({
      error: { message: 'Too Many Requests', detail: 'the API_INT semaphore queue of node 1 is full' },
      status: 'failure',
    });
    expect(classify({ status: 429, body: refused[0]!.text, contentType: 'application/json' })).toBe('rate_limited');
    expect(sim.capacity.counts).toMatchObject({ served: 5, queueFull: 5 });
  });

  it('spreads requests over the nodes: two nodes take twice the burst', async () => {
    await start({ capacity: { nodes: 2, slotsPerNode: 2, queuePerNode: 3, serviceTimeMs: exact(300) } });
    const results = await Promise.all(
      available()
        .slice(0, 14)
        .map((a, i) => call(sim.url, offerPath(i), { body: offer(a) })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(results.filter((r) => r.status === 429)).toHaveLength(4);
  });

  it("cancels at the route's quota: 200 with the error appended while running, 500 while still queued", async () => {
    // one slot, 500 ms each (485 + 15 to create its session), quota 1250 ms: two finish, the third is cut off
    // running, two are still queued (250 ms of margin either side for a loaded machine)
    await start({
      capacity: { nodes: 1, slotsPerNode: 1, queuePerNode: 10, serviceTimeMs: exact(485) },
      quotaMs: { offer: 1250 },
    });
    const results = await Promise.all(
      available()
        .slice(0, 5)
        .map((a, i) => call(sim.url, offerPath(i), { body: offer(a) })),
    );
    const outcomes = results.map((r) => classify({ status: r.status, body: r.text, contentType: r.contentType }));
    expect(outcomes.filter((o) => o === 'success')).toHaveLength(2);
    // the third is cut off running; the last two are still queued, unless one of them arrived a few ms later
    // than the third and got the slot for those few ms before its own quota (then it too is cut off running)
    const running = results.filter((r) => r.status === 200 && r.text.includes('Transaction cancelled'));
    expect(running.length).toBeGreaterThanOrEqual(1);
    expect(running[0]!.text).toMatch(
      /^\{"result":\{,"error":\{"message":"Transaction cancelled: maximum execution time exceeded","detail":"Transaction cancelled: maximum execution time exceeded Check logs/,
    );
    const queued = results.filter((r) => r.status === 500);
    expect(queued.length).toBeGreaterThanOrEqual(1);
    expect(running.length + queued.length).toBe(3);
    expect(queued[0]!.json.error.message).toBe('Transaction cancelled: maximum execution time exceeded');
    expect(outcomes.filter((o) => o === 'transaction_cancelled')).toHaveLength(3);
    expect(sim.capacity.counts).toMatchObject({ served: 2, cancelled: 3, cancelledRunning: running.length });
  });

  it('applies each route its own quota: a route with none is never cancelled', async () => {
    await start({
      capacity: { nodes: 1, slotsPerNode: 1, queuePerNode: 10, serviceTimeMs: exact(200) },
      quotaMs: { offer: 0, table: 100 },
    });
    const offers = await Promise.all(
      available()
        .slice(0, 3)
        .map((a, i) => call(sim.url, offerPath(i), { body: offer(a) })),
    );
    expect(offers.map((r) => r.status)).toEqual([200, 200, 200]);
    const read = await call(sim.url, '/api/now/table/awa_queue', { method: 'GET' });
    expect(read.status).toBe(200);
    expect(classify({ status: read.status, body: read.text, contentType: read.contentType })).toBe(
      'transaction_cancelled',
    );
  });
});

describe('rate limits', () => {
  it('reports the rule on every answer and refuses past it with 429 and Retry-After', async () => {
    await start({
      capacity: { fast: true },
      rateLimit: {
        enabled: true,
        commitIntervalMs: 0,
        rules: [{ sys_id: 'c0ffee00c0ffee00c0ffee00c0ffee00', scope: 'all', resource: 'offer', requestsPerHour: 3 }],
      },
    });
    const agents = available();
    const results = [];
    for (let i = 0; i < 4; i++) {
      results.push(
        await fetch(sim.url + offerPath(i), {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Basic ${Buffer.from(`${ENV.OFFERLOAD_USERNAME}:${ENV.OFFERLOAD_PASSWORD}`).toString('base64')}`,
          },
          body: JSON.stringify(offer(agents[i]!)),
        }),
      );
    }
    const nowSec = Date.now() / 1000;
    for (const r of results) {
      expect(r.headers.get('x-ratelimit-limit')).toBe('3');
      expect(r.headers.get('x-ratelimit-rule')).toBe('c0ffee00c0ffee00c0ffee00c0ffee00');
      const reset = Number(r.headers.get('x-ratelimit-reset'));
      expect(reset).toBeGreaterThan(nowSec);
      expect(reset).toBeLessThanOrEqual(nowSec + 3600);
    }
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    const retry = Number(results[3]!.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(3600);
    expect(await results[3]!.json()).toEqual({
      error: {
        message: 'Rate limit exceeded',
        detail: 'Rate limit of 3 requests per hour for AWA Offer Work API exceeded',
      },
      status: 'failure',
    });
  });

  it('sends no rate-limit headers when rate limiting is off (the default)', async () => {
    await start({ capacity: { fast: true } });
    const r = await fetch(sim.url + offerPath(), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(r.headers.get('x-ratelimit-limit')).toBeNull();
  });
});

describe('fault injection', () => {
  const testid = { 'X-Offerload-Testid': 'faults' };
  const received = async () =>
    (await call(sim.url, '/sim/stats?testid=faults', { method: 'GET' })).json.received.routes.offer.outcomes;

  it('answers a share of requests with 500', async () => {
    await start({ capacity: { fast: true }, faults: { errorShare: 1 } });
    const res = await call(sim.url, offerPath(), { body: offer(available()[0]!), headers: testid });
    expect(res.status).toBe(500);
    expect(classify({ status: 500, body: res.text, contentType: res.contentType })).toBe('server_error');
    expect(await received()).toEqual({ server_error: 1 });
  });

  it('drops connections without an answer', async () => {
    await start({ capacity: { fast: true }, faults: { dropShare: 1 } });
    await expect(call(sim.url, offerPath(), { body: offer(available()[0]!), headers: testid })).rejects.toThrow();
    expect(await received()).toEqual({ network_error: 1 });
  });

  it('stalls requests until the client gives up', async () => {
    await start({ capacity: { fast: true }, faults: { stallShare: 1 } });
    const started = Date.now();
    const attempt = fetch(sim.url + offerPath(), {
      method: 'POST',
      headers: testid,
      body: '{}',
      signal: AbortSignal.timeout(400),
    });
    await expect(attempt).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    // counted as the client sees it: no answer before its timeout
    expect(await received()).toEqual({ timeout: 1 });
  });

  it('adds latency spikes', async () => {
    await start({ capacity: { fast: true }, faults: { spikeShare: 1, spikeMs: 300 } });
    const started = Date.now();
    expect((await call(sim.url, offerPath(), { body: offer(available()[0]!) })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(295);
  });

  it('switches faults during a run through the admin route, and refuses bad settings', async () => {
    await start({ capacity: { fast: true } });
    expect((await call(sim.url, offerPath(0), { body: offer(available()[0]!) })).status).toBe(200);
    expect((await call(sim.url, '/sim/faults', { method: 'PUT', body: { errorShare: 1 } })).status).toBe(200);
    expect((await call(sim.url, offerPath(1), { body: offer(available()[1]!) })).status).toBe(500);
    const bad = await call(sim.url, '/sim/faults', { method: 'PUT', body: { errorShare: 2 } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toBe('invalid fault setting errorShare: expected a share from 0 to 1, got 2');
    expect((await call(sim.url, '/sim/faults', { method: 'PUT', body: { errorShare: 0 } })).status).toBe(200);
    expect((await call(sim.url, offerPath(2), { body: offer(available()[2]!) })).status).toBe(200);
  });
});

describe('reset', () => {
  it('returns the simulator to its seeded state', async () => {
    await start({ capacity: { fast: true } });
    await call(sim.url, offerPath(), { body: offer(available()[0]!), headers: { 'X-Offerload-Testid': 'r' } });
    expect(sim.engine.items.all.size).toBe(1);
    expect((await call(sim.url, '/sim/reset')).status).toBe(200);
    expect(sim.engine.items.all.size).toBe(0);
    expect((await call(sim.url, '/sim/stats?testid=r', { method: 'GET' })).json.received.total).toBe(0);
  });
});
