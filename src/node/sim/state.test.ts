/** State machine tests: agents, expiry, inbox actions, transfers and consults, neighbouring APIs, on a manual clock. */
import { afterEach, describe, expect, it } from 'vitest';
import { call, ENV } from '../../../test/helpers/sim-client.js';
import { formatOfferedOn } from '../../shared/time.js';
import { ManualClock } from './platform/clock.js';
import { simConfig, type SimOverrides } from './config.js';
import { isRoutableAgent } from './platform/fixtures.js';
import { checkInvariants } from './platform/invariants.js';
import { startSimulator, type Simulator } from './http/server.js';

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0, 0);
let sim: Simulator;
let clock: ManualClock;

const exact = (median: number) => ({ median, sigma: 0 });
/** Agents that answer deterministically: accept after 5 s, handle for 10 s, no presence churn. */
const CALM: SimOverrides = {
  capacity: { fast: true },
  agents: {
    mode: 'simulated',
    acceptDelayMs: exact(5000),
    handleTimeMs: exact(10_000),
    rejectShare: 0,
    noAnswerShare: 0,
    awayPerHour: 0,
    backFromAwayPerHour: 0,
    offlinePerHour: 0,
    onlinePerHour: 0,
  },
};

async function start(overrides: SimOverrides): Promise<void> {
  clock = new ManualClock(T0);
  sim = await startSimulator(simConfig({ ...overrides, fixtures: { documents: 100 } }, ENV), clock);
}
afterEach(async () => {
  expect(checkInvariants(sim.engine).violations).toEqual([]);
  await sim.close();
});

const world = () => sim.engine.world;
const doc = (i = 0) => [...world().documents.values()][i]!;
const offerPath = (i = 0) => `/api/now/awa/documents/${doc(i).table}/${doc(i).sys_id}/offer`;
const agent = (i = 0, available = true) =>
  [...world().agents.values()].filter(
    (a) => isRoutableAgent(a) && world().presence.get(a.presence)!.available === available,
  )[i]!.sys_id;
const queue = (i = 0) => [...world().queues.values()][i]!;
const presenceId = (name: string) => [...world().presence.values()].find((p) => p.name === name)!.sys_id;
const offer = (a: string, extra: Record<string, unknown> = {}) => ({
  queue_id: queue().sys_id,
  assignment: { agent_sys_id: a, ...extra },
});
const later = (ms: number) => {
  clock.advance(ms);
  sim.engine.tick();
};
async function itemOf(i = 0) {
  const res = await call(
    sim.url,
    `/api/now/table/awa_work_item?sysparm_query=document_id=${doc(i).sys_id}^active=true&sysparm_exclude_reference_link=true`,
    { method: 'GET' },
  );
  return res.json.result as Record<string, string>[];
}

describe('simulated agents', () => {
  it('accept after their delay, handle the work, then the document closes', async () => {
    await start(CALM);
    expect((await call(sim.url, offerPath(), { body: offer(agent()) })).status).toBe(200);
    later(4999);
    expect((await itemOf())[0]!.state).toBe('pending_accept');
    later(1);
    expect((await itemOf())[0]!.state).toBe('accepted');
    later(10_000);
    expect(await itemOf()).toEqual([]);
    const again = await call(sim.url, offerPath(), { body: offer(agent(1)) });
    expect(again.json.error.message).toBe('Document is not active');
  });

  it('reject declinable offers at their reject share: the item goes back to its queue, marked rejected', async () => {
    await start({ ...CALM, agents: { ...CALM.agents, rejectShare: 1 } });
    await call(sim.url, offerPath(), { body: offer(agent(), { allowed_to_decline: true }) });
    later(5000);
    const [row] = await itemOf();
    expect(row).toMatchObject({ state: 'queued', assigned_to: '', rejected: 'true' });
    expect(sim.engine.items.counts.rejected).toBe(1);
  });

  it('accept an offer they may not decline even when they would reject', async () => {
    await start({ ...CALM, agents: { ...CALM.agents, rejectShare: 1 } });
    await call(sim.url, offerPath(), { body: offer(agent(), { allowed_to_decline: 'false' }) });
    later(5000);
    expect((await itemOf())[0]!.state).toBe('accepted');
  });

  it('leave some offers unanswered: they expire at offered_on + timeout and the agent goes to after_timeout_presence', async () => {
    await start({ ...CALM, agents: { ...CALM.agents, noAnswerShare: 1 } });
    const a = agent();
    await call(sim.url, offerPath(), {
      body: offer(a, {
        timeout: 30,
        offered_on: formatOfferedOn(T0 - 2000),
        after_timeout_presence: presenceId('Away'),
      }),
    });
    later(27_999);
    expect((await itemOf())[0]!.state).toBe('pending_accept');
    later(1);
    const [row] = await itemOf();
    expect(row).toMatchObject({ state: 'queued', assigned_to: '' });
    expect(world().agents.get(a)!.presence).toBe(presenceId('Away'));
    const expired = (
      await call(sim.url, `/api/now/table/awa_work_item?sysparm_query=document_id=${doc().sys_id}^timed_out=true`, {
        method: 'GET',
      })
    ).json.result;
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ state: 'canceled', cancel_reason: 'time_out' });
  });

  it('drift between presence states at the configured rates', async () => {
    await start({ ...CALM, agents: { ...CALM.agents, awayPerHour: 60, backFromAwayPerHour: 60 } });
    const before = [...world().agents.values()].map((a) => a.presence);
    later(10 * 60_000);
    const after = [...world().agents.values()].map((a) => a.presence);
    const changed = after.filter((p, i) => p !== before[i]).length;
    // one change a minute each way: after ten minutes most agents have moved at least once
    expect(changed).toBeGreaterThan(after.length * 0.3);
    expect(new Set(after)).toEqual(new Set([presenceId('Available'), presenceId('Away'), presenceId('Offline')]));
  });

  it('answer the same way for the same seed', async () => {
    const run = async () => {
      await start({ capacity: { fast: true }, agents: { rejectShare: 0.3, noAnswerShare: 0.2 } });
      for (let i = 0; i < 30; i++)
        await call(sim.url, offerPath(i), {
          body: offer(agent(i % 5), { timeout: 60, offered_on: formatOfferedOn(T0) }),
        });
      later(61_000);
      const counts = { ...sim.engine.items.counts };
      await sim.close();
      return counts;
    };
    const first = await run();
    expect(first.accepted + first.rejected + first.expired).toBe(30);
    expect(first.rejected).toBeGreaterThan(0);
    expect(first.expired).toBeGreaterThan(0);
    expect(await run()).toEqual(first);
    await start(CALM);
  });
});

describe('inbox actions (agents driven from outside)', () => {
  const EXTERNAL: SimOverrides = { capacity: { fast: true }, agents: { mode: 'external' } };

  it('accept moves the offered item to accepted', async () => {
    await start(EXTERNAL);
    const res = await call(sim.url, offerPath(), { body: offer(agent()) });
    const itemId = res.json.result.work_item.sys_id;
    const accepted = await call(sim.url, '/api/now/awa/inbox/actions/accept', {
      body: { agent_id: agent(), work_item_id: itemId },
    });
    expect(accepted.status).toBe(200);
    expect((await itemOf())[0]!.state).toBe('accepted');
  });

  it('reject sends the item back to the queue; another agent cannot answer it', async () => {
    await start(EXTERNAL);
    const itemId = (await call(sim.url, offerPath(), { body: offer(agent()) })).json.result.work_item.sys_id;
    const other = await call(sim.url, '/api/now/awa/inbox/actions/accept', {
      body: { agent_id: agent(1), work_item_id: itemId },
    });
    expect([other.status, other.json.error.detail]).toEqual([400, 'Work item is assigned to a different agent']);
    const reason = [...world().rejectReasons.values()][0]!.sys_id;
    expect(
      (
        await call(sim.url, '/api/now/awa/inbox/actions/reject', {
          body: { agent_id: agent(), work_item_id: itemId, reject_reason_id: reason },
        })
      ).status,
    ).toBe(200);
    expect((await itemOf())[0]).toMatchObject({ state: 'queued', assigned_to: '', rejected: 'true' });
  });
});

describe('transfers and consults', () => {
  const EXTERNAL: SimOverrides = { capacity: { fast: true }, agents: { mode: 'external' } };
  const transfer = (target_id: string, target_type: string, transfer_type: string) => ({
    transfer: { source_queue_id: queue().sys_id, target_id, target_type, transfer_type },
  });
  async function acceptedBy(a: string) {
    const itemId = (await call(sim.url, offerPath(), { body: offer(a, { enable_auto_assign: true }) })).json.result
      .work_item.sys_id;
    return itemId as string;
  }

  it('blind to an agent: the old item is canceled as transferred, the target agent gets a pending offer', async () => {
    await start(EXTERNAL);
    const old = await acceptedBy(agent(0));
    const res = await call(sim.url, offerPath(), { body: transfer(agent(1), 'agent', 'blind') });
    expect(res.status).toBe(200);
    expect(sim.engine.items.all.get(old)).toMatchObject({ state: 'canceled', cancel_reason: 'transferred' });
    expect((await itemOf())[0]).toMatchObject({ state: 'pending_accept', assigned_to: agent(1) });
  });

  it('blind to a queue: the document waits unassigned in the target queue', async () => {
    await start(EXTERNAL);
    await acceptedBy(agent(0));
    const target = queue(2);
    const res = await call(sim.url, offerPath(), {
      body: transfer(target.external_id ?? target.sys_id, 'queue', 'blind'),
    });
    expect(res.status).toBe(200);
    expect((await itemOf())[0]).toMatchObject({ state: 'queued', assigned_to: '', queue: target.sys_id });
  });

  it('consult to an agent keeps the original; ending it with hand_over true makes the consult the work item', async () => {
    await start(EXTERNAL);
    const old = await acceptedBy(agent(0));
    const consult = (await call(sim.url, offerPath(), { body: transfer(agent(1), 'agent', 'consult') })).json.result
      .work_item.sys_id;
    const active = await itemOf();
    expect(active.map((r) => r.sys_id).sort()).toEqual([old, consult].sort());
    const end = await call(sim.url, '/api/now/awa/consult/end', {
      method: 'PUT',
      body: { document_sys_id: doc().sys_id, hand_over: true },
    });
    expect(end.status).toBe(200);
    expect(sim.engine.items.all.get(old)).toMatchObject({ state: 'canceled', cancel_reason: 'transferred' });
    expect((await itemOf()).map((r) => r.sys_id)).toEqual([consult]);
  });

  it('consult to a queue ended with hand_over false returns the work to the original agent', async () => {
    await start(EXTERNAL);
    const old = await acceptedBy(agent(0));
    await call(sim.url, offerPath(), { body: transfer(queue(1).sys_id, 'queue', 'consult') });
    const end = await call(sim.url, '/api/now/awa/consult/end', {
      method: 'PUT',
      body: { document_sys_id: doc().sys_id, hand_over: 'false' },
    });
    expect(end.json.result).toEqual({ success: true, message: 'Consult is successfully ended.' });
    expect(await itemOf()).toEqual([expect.objectContaining({ sys_id: old, assigned_to: agent(0) })]);
  });

  it('a blind transfer to an agent who is not Available fails with the documented message', async () => {
    await start(EXTERNAL);
    await acceptedBy(agent(0));
    const res = await call(sim.url, offerPath(), { body: transfer(agent(0, false), 'agent', 'blind') });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toBe("Transfer failed - couldn't blind transfer to agent");
  });

  it('creates a work item in the source queue when the document has none (an outbound call never routed)', async () => {
    await start(EXTERNAL);
    expect(await itemOf()).toEqual([]);
    expect((await call(sim.url, offerPath(), { body: transfer(agent(1), 'agent', 'blind') })).status).toBe(200);
    expect(sim.engine.items.counts.created).toBe(2);
    expect((await itemOf())[0]).toMatchObject({ assigned_to: agent(1), queue: queue().sys_id });
  });

  it('refuses a transfer without its required fields', async () => {
    await start(EXTERNAL);
    const res = await call(sim.url, offerPath(), {
      body: { transfer: { target_id: agent(1), target_type: 'agent', transfer_type: 'blind' } },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe('Missing required field: transfer.source_queue_id');
  });
});

describe('neighbouring APIs', () => {
  it('creates an interaction queued in a queue, offers it, closes it', async () => {
    await start({ capacity: { fast: true }, agents: { mode: 'external' } });
    const channel = [...world().channels.keys()][0]!;
    const created = await call(sim.url, '/api/now/interaction', { body: { channel, queue: queue().sys_id } });
    expect(created.status).toBe(201);
    expect(created.json.result).toMatchObject({ state: 'queued', channel, queue: queue().sys_id });
    const id = created.json.result.sys_id;
    const items = (
      await call(sim.url, `/api/now/table/awa_work_item?sysparm_query=document_id=${id}`, { method: 'GET' })
    ).json.result;
    expect(items).toEqual([expect.objectContaining({ state: 'queued', document_table: 'interaction' })]);
    expect(
      (await call(sim.url, `/api/now/awa/documents/interaction/${id}/offer`, { body: offer(agent()) })).status,
    ).toBe(200);
    expect((await call(sim.url, `/api/now/interaction/${id}/close`)).json.result.state).toBe('closed_complete');
    expect(
      (await call(sim.url, `/api/now/awa/documents/interaction/${id}/offer`, { body: offer(agent()) })).json.error
        .message,
    ).toBe('Document is not active');
  });

  it('reads and sets an agent presence', async () => {
    await start({ capacity: { fast: true }, agents: { mode: 'external' } });
    const a = agent();
    expect((await call(sim.url, `/api/now/awa/agents/${a}`, { method: 'GET' })).json.result.presence.name).toBe(
      'Available',
    );
    expect(
      (
        await call(sim.url, `/api/now/awa/agents/${a}`, {
          method: 'PUT',
          body: { presence: { sys_id: presenceId('Away') } },
        })
      ).status,
    ).toBe(200);
    expect((await call(sim.url, offerPath(), { body: offer(a) })).json.error.message).toBe('Agent is not available');
  });

  it('serves Table API reads of users with roles, queues and single records', async () => {
    await start({ capacity: { fast: true }, agents: { mode: 'external' } });
    const users = (await call(sim.url, '/api/now/table/sys_user?sysparm_limit=5', { method: 'GET' })).json.result;
    expect(users).toHaveLength(5);
    expect(users[0].roles).toContain('awa_agent');
    const q = queue();
    expect((await call(sim.url, `/api/now/table/awa_queue/${q.sys_id}`, { method: 'GET' })).json.result).toMatchObject({
      name: q.name,
    });
    expect((await call(sim.url, `/api/now/table/awa_queue/${'f'.repeat(32)}`, { method: 'GET' })).status).toBe(404);
    expect((await call(sim.url, '/api/now/table/awa_work_item', { method: 'GET', auth: null })).status).toBe(401);
  });
});

describe('memory over long runs', () => {
  it('forgets the oldest inactive work items past the retention, keeping the bookkeeping exact', async () => {
    await start({ capacity: { fast: true }, agents: { mode: 'external' } });
    sim.engine.items.retainInactive = 5;
    for (let i = 0; i < 12; i++) {
      await call(sim.url, offerPath(0), { body: offer(agent(0)) });
    }
    // 12 offers of one document: 11 canceled by the next manual assignment, 1 active
    expect(sim.engine.items.counts.created).toBe(12);
    expect(sim.engine.items.counts.pruned).toBe(6);
    expect(sim.engine.items.all.size).toBe(6);
  });
});
