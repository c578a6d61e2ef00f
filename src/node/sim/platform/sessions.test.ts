/** Sessions over real HTTP: cookies, node stickiness, one session's turn-taking, max waiters (202), idle expiry and cost. */
import { afterEach, describe, expect, it } from 'vitest';
import { basic, ENV, TEST_USER } from '../../../../test/helpers/sim-client.js';
import { classify } from '../../../shared/outcome.js';
import { simConfig, type SimOverrides } from '../config.js';
import { isRoutableAgent } from './fixtures.js';
import { startSimulator, type Simulator } from '../http/server.js';

let sim: Simulator;
async function start(overrides: SimOverrides): Promise<void> {
  sim = await startSimulator(
    simConfig({ agents: { mode: 'external' }, fixtures: { documents: 80 }, ...overrides }, ENV),
  );
}
afterEach(async () => {
  await sim.close();
});

const exact = (median: number) => ({ median, sigma: 0 });
const AUTH = basic(TEST_USER.name, TEST_USER.password);
const docs = () => [...sim.engine.world.documents.values()];
const agents = () =>
  [...sim.engine.world.agents.values()]
    .filter((a) => isRoutableAgent(a) && sim.engine.world.presence.get(a.presence)!.available)
    .map((a) => a.sys_id);
const queue = () => [...sim.engine.world.queues.values()][0]!.sys_id;

interface Sent {
  readonly status: number;
  readonly text: string;
  readonly setCookies: string[];
  readonly ms: number;
}

/** Offers document i to agent i, sending `cookie` if given. */
async function offer(i: number, cookie?: string, auth: string | null = AUTH): Promise<Sent> {
  const d = docs()[i]!;
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (auth) headers.Authorization = auth;
  if (cookie) headers.Cookie = cookie;
  const started = performance.now();
  const res = await fetch(`${sim.url}/api/now/awa/documents/${d.table}/${d.sys_id}/offer`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ queue_id: queue(), assignment: { agent_sys_id: agents()[i % agents().length] } }),
  });
  const text = await res.text();
  return { status: res.status, text, setCookies: res.headers.getSetCookie(), ms: performance.now() - started };
}

/** The Cookie header a client sends back: name=value of every Set-Cookie. */
const jar = (setCookies: readonly string[]): string => setCookies.map((c) => c.split(';')[0]).join('; ');
const cookieValue = (setCookies: readonly string[], name: string): string | undefined =>
  setCookies
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0]
    ?.slice(name.length + 1);

describe('sessions', () => {
  it('issues JSESSIONID, the route cookies and the node cookie on the first request, and reuses the session when they come back', async () => {
    await start({ capacity: { fast: true } });
    const first = await offer(0);
    expect(first.status).toBe(200);
    expect(first.setCookies.map((c) => c.split('=')[0])).toEqual([
      'JSESSIONID',
      'glide_user_route',
      'glide_session_store',
      'BIGipServerpool_offerload',
    ]);
    expect(cookieValue(first.setCookies, 'glide_user_route')).toMatch(/^glide\.[0-9a-f]{32}$/);
    expect(first.setCookies[1]).toContain('Max-Age=2147483647');
    expect(first.setCookies[2]).toContain('Max-Age=1800');
    const again = await offer(1, jar(first.setCookies));
    expect(again.status).toBe(200);
    expect(again.setCookies).toEqual([]);
    expect(sim.sessions.counts).toMatchObject({ created: 1, reused: 1 });
    expect(sim.sessions.gauges().active).toBe(1);
  });

  it('creates no session for a request that fails authentication', async () => {
    await start({ capacity: { fast: true } });
    const refused = await offer(0, undefined, basic('nobody', 'wrong'));
    expect(refused.status).toBe(401);
    expect(refused.setCookies).toEqual([]);
    expect(sim.sessions.counts.created).toBe(0);
  });

  it('creates a session per request for a client that sends no cookies, spread over the nodes', async () => {
    await start({ capacity: { fast: true, nodes: 3 } });
    const sent = [];
    for (let i = 0; i < 6; i++) sent.push(await offer(i));
    expect(sent.every((s) => s.status === 200)).toBe(true);
    expect(sent.map((s) => cookieValue(s.setCookies, 'BIGipServerpool_offerload'))).toEqual([
      'node1',
      'node2',
      'node3',
      'node1',
      'node2',
      'node3',
    ]);
    expect(new Set(sent.map((s) => cookieValue(s.setCookies, 'JSESSIONID'))).size).toBe(6);
    expect(sim.sessions.counts.created).toBe(6);
  });

  it('starts a new session when the cookies send a request to another node than its session', async () => {
    await start({ capacity: { fast: true, nodes: 2 } });
    const first = await offer(0);
    const id = cookieValue(first.setCookies, 'JSESSIONID');
    const wrongNode = await offer(1, `JSESSIONID=${id}; BIGipServerpool_offerload=node2`);
    expect(cookieValue(wrongNode.setCookies, 'JSESSIONID')).not.toBe(id);
    const malformed = await offer(2, 'JSESSIONID=garbage; BIGipServerpool_offerload=nodeX');
    expect(malformed.setCookies).toHaveLength(4);
    expect(sim.sessions.counts.created).toBe(3);
  });

  it.each([
    [1, 4],
    [2, 2],
  ])(
    'runs %i transaction(s) of a session at a time: four requests take %i service times',
    async (concurrency, rounds) => {
      await start({
        capacity: { nodes: 1, slotsPerNode: 8, serviceTimeMs: exact(150) },
        sessions: { concurrency: concurrency as 1 | 2, createMs: 0 },
      });
      const cookie = jar((await offer(0)).setCookies);
      const started = performance.now();
      const sent = await Promise.all([1, 2, 3, 4].map((i) => offer(i, cookie)));
      const took = performance.now() - started;
      expect(sent.map((s) => s.status)).toEqual([200, 200, 200, 200]);
      // 4 / concurrency service times, although eight worker slots were free
      const expected = rounds * 150;
      expect(took).toBeGreaterThanOrEqual(expected - 20);
      expect(took).toBeLessThan(expected + 140);
    },
  );

  it('answers 202 without running the request past max waiters, and counts it', async () => {
    await start({
      capacity: { nodes: 1, slotsPerNode: 8, serviceTimeMs: exact(200) },
      sessions: { concurrency: 1, maxWaiters: 2, createMs: 0 },
    });
    const cookie = jar((await offer(0)).setCookies);
    const before = sim.engine.items.counts.offered;
    const sent = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => offer(i, cookie)));
    const statuses = sent.map((s) => s.status).sort();
    // one runs, two wait their turn, three are ignored
    expect(statuses).toEqual([200, 200, 200, 202, 202, 202]);
    const busy = sent.filter((s) => s.status === 202);
    expect(busy.every((s) => s.text === '')).toBe(true);
    expect(busy.map((s) => classify({ status: s.status, body: s.text, contentType: 'application/json' }))).toEqual([
      'session_busy',
      'session_busy',
      'session_busy',
    ]);
    expect(sim.engine.items.counts.offered - before).toBe(3);
    expect(sim.sessions.counts.busy).toBe(3);
    expect(sim.stats.snapshot().routes.offer!.outcomes.session_busy).toBe(3);
  });

  it('expires an idle session after the timeout: the next request gets a new one', async () => {
    await start({ capacity: { fast: true }, sessions: { idleTimeoutSec: 1 } });
    const first = await offer(0);
    await new Promise((r) => setTimeout(r, 1300));
    expect(sim.sessions.counts.expired).toBe(1);
    expect(sim.sessions.gauges().active).toBe(0);
    const later = await offer(1, jar(first.setCookies));
    expect(cookieValue(later.setCookies, 'JSESSIONID')).not.toBe(cookieValue(first.setCookies, 'JSESSIONID'));
    expect(sim.sessions.counts.created).toBe(2);
  });

  it('charges the request that creates a session its creation time, and none after', async () => {
    await start({ capacity: { nodes: 1, slotsPerNode: 4, serviceTimeMs: exact(20) }, sessions: { createMs: 200 } });
    const first = await offer(0);
    const reused = await offer(1, jar(first.setCookies));
    expect(first.ms).toBeGreaterThanOrEqual(215);
    expect(reused.ms).toBeLessThan(first.ms - 120);
  });

  it('reports sessions in /sim/stats, by run too', async () => {
    await start({ capacity: { fast: true }, sessions: { memoryKb: 512 } });
    for (let i = 0; i < 3; i++) {
      const d = docs()[i]!;
      await fetch(`${sim.url}/api/now/awa/documents/${d.table}/${d.sys_id}/offer`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: AUTH, 'X-Offerload-Testid': 'run-a' },
        body: JSON.stringify({ queue_id: queue(), assignment: { agent_sys_id: agents()[i] } }),
      });
    }
    const stats = (await (await fetch(`${sim.url}/sim/stats?testid=run-a`)).json()) as {
      sessions: Record<string, number>;
    };
    expect(stats.sessions).toMatchObject({
      active: 3,
      created: 3,
      created_by_run: 3,
      busy: 0,
      waiters: 0,
      memory_mb: 1.5,
    });
  });
});
