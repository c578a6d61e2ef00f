import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { basic, call, TEST_USER } from '../../../../test/helpers/sim-client.js';
import { formatOfferedOn } from '../../../shared/time.js';
import { classify } from '../../../shared/outcome.js';
import { ManualClock } from './clock.js';
import { callerSysId } from '../auth.js';
import { startSimulator, type Simulator } from '../http/server.js';
import { publicFixtures } from './fixtures.js';
import type { Fixtures } from '../../../shared/api.js';
import { simConfig } from '../config.js';
import { ENV, QUIET } from '../../../../test/helpers/sim-client.js';

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0, 0);
let sim: Simulator;
let clock: ManualClock;
let fx: Fixtures;

beforeEach(async () => {
  clock = new ManualClock(T0);
  sim = await startSimulator(
    simConfig({ ...QUIET, fixtures: { agents: 20, queues: 4, documents: 50, awayShare: 0.2, offlineShare: 0.1 } }, ENV),
    clock,
  );
  fx = publicFixtures(sim.engine.world);
});
afterEach(async () => sim.close());

const available = (i = 0): string => fx.agents.filter((a) => a.presence === 'Available')[i]!.sys_id;
const away = (): string => fx.agents.find((a) => a.presence !== 'Available')!.sys_id;
const doc = (i = 0) => fx.documents[i]!;
const path = (i = 0, version = ''): string => `/api/now${version}/awa/documents/${doc(i).table}/${doc(i).sys_id}/offer`;
const offer = (agent: string, extra: Record<string, unknown> = {}) => ({
  queue_id: fx.queues[0]!.sys_id,
  external_segment_id: 'CA0123456789abcdef0123456789abcdef',
  assignment: { agent_sys_id: agent, allowed_to_decline: 'true', enable_auto_assign: 'false', ...extra },
});

describe('simulator: Offer Work success', () => {
  it('answers the documented success body', async () => {
    const res = await call(sim.url, path(), { body: offer(available()) });
    expect(res.status).toBe(200);
    expect(res.json.result.success).toBe(true);
    expect(res.json.result.message).toBe('Manual assignment successfully requested.');
    expect(res.json.result.work_item).toMatchObject({
      document_id: doc().sys_id,
      document_table: doc().table,
      queue: fx.queues[0]!.sys_id,
    });
    expect(res.json.result.work_item.sys_id).toMatch(/^[0-9a-f]{32}$/);
    expect(res.json.result.work_item.display_name).toMatch(/^(Interaction: IMS|Case: CS)\d{7}$/);
  });

  it('serves the versioned URL form too', async () => {
    const res = await call(sim.url, path(0, '/v1'), { body: offer(available()) });
    expect(res.status).toBe(200);
  });

  it('resolves a queue by its external id', async () => {
    const q = fx.queues.find((x) => x.external_id)!;
    const res = await call(sim.url, path(), { body: { ...offer(available()), queue_id: q.external_id } });
    expect(res.json.result.work_item.queue).toBe(q.sys_id);
  });

  it('answers XML when Accept asks for it', async () => {
    const res = await call(sim.url, path(), { body: offer(available()), headers: { Accept: 'application/xml' } });
    expect(res.contentType).toBe('application/xml');
    expect(res.text).toContain('<message>Manual assignment successfully requested.</message>');
    expect(classify({ status: res.status, body: res.text, contentType: res.contentType })).toBe('success');
  });
});

describe('simulator: the conflicts load creates', () => {
  it("answers 'Agent is not available' for an agent who is Away or Offline", async () => {
    const res = await call(sim.url, path(), { body: offer(away()) });
    expect(res.status).toBe(409);
    expect(res.json).toEqual({
      error: { message: 'Agent is not available', detail: 'agent_sys_id' },
      status: 'failure',
    });
  });

  it("answers 'Work Item is already assigned to <agent>' when another agent holds the pending offer", async () => {
    await call(sim.url, path(), { body: offer(available(0)) });
    const res = await call(sim.url, path(), { body: offer(available(1)) });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toBe(`Work Item is already assigned to ${available(0)}`);
  });

  it('lets the same agent be offered the document again', async () => {
    await call(sim.url, path(), { body: offer(available(0)) });
    expect((await call(sim.url, path(), { body: offer(available(0)) })).status).toBe(200);
  });

  it("answers 'Work Item accepted can not be assigned' once an offer was auto-assigned", async () => {
    await call(sim.url, path(), { body: offer(available(0), { enable_auto_assign: true }) });
    const res = await call(sim.url, path(), { body: offer(available(1)) });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toBe('Work Item accepted can not be assigned');
  });

  it('answers in the result object when configured so', async () => {
    await sim.close();
    sim = await startSimulator(simConfig({ ...QUIET, envelope: 'result' }, ENV), clock);
    fx = publicFixtures(sim.engine.world);
    const res = await call(sim.url, path(), { body: offer(away()) });
    expect(res.json).toEqual({ result: { success: false, message: 'Agent is not available', detail: 'agent_sys_id' } });
  });
});

describe('simulator: timeouts on its clock', () => {
  it('expires a pending offer at offered_on + timeout and frees the document for another agent', async () => {
    const offeredOn = formatOfferedOn(T0 - 5_000);
    expect(
      (await call(sim.url, path(), { body: offer(available(0), { timeout: 30, offered_on: offeredOn }) })).status,
    ).toBe(200);
    clock.advance(24_000); // 29 s after offered_on: still pending
    expect((await call(sim.url, path(), { body: offer(available(1)) })).status).toBe(409);
    clock.advance(1_000); // 30 s: expired
    expect((await call(sim.url, path(), { body: offer(available(1)) })).status).toBe(200);
    expect(sim.engine.items.counts.expired).toBe(1);
  });

  it('moves the agent to after_timeout_presence when the offer expires', async () => {
    const awayState = fx.presence_states.find((p) => p.name === 'Away')!.sys_id;
    await call(sim.url, path(), {
      body: offer(available(0), { timeout: 10, offered_on: formatOfferedOn(T0), after_timeout_presence: awayState }),
    });
    clock.advance(10_000);
    sim.engine.tick();
    const agent = sim.engine.world.agents.get(available(0))!;
    expect(agent.presence).toBe(awayState);
  });

  it('refuses an offered_on in the future with the documented message', async () => {
    const future = formatOfferedOn(T0 + 1_000);
    const res = await call(sim.url, path(), { body: offer(available(), { timeout: 30, offered_on: future }) });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe(
      `Offered time (${future}) must be before the current time, otherwise agent will have more time to accept the work item`,
    );
  });
});

describe('simulator: the platform around the API', () => {
  it('answers 401 with the platform body without credentials', async () => {
    const res = await call(sim.url, path(), { body: offer(available()), auth: null });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' },
      status: 'failure',
    });
  });

  it('answers 401 for a wrong password', async () => {
    const res = await call(sim.url, path(), { body: offer(available()), auth: basic(TEST_USER.name, 'wrong') });
    expect(res.status).toBe(401);
  });

  it('refuses a caller without the integration roles with the documented message', async () => {
    const res = await call(sim.url, path(), { body: offer(available()), auth: basic('itil.user', 'itil.user') });
    expect(res.status).toBe(403);
    // the contract's <API_caller_sys_id>: the caller's sys_id, never its user name
    expect(res.json.error.message).toBe(
      `Caller ${callerSysId({ user_name: 'itil.user', roles: [] })} does not have the awa_manager or awa_integration_user role`,
    );
    expect(res.json.error.message).toMatch(/^Caller [0-9a-f]{32} does not/);
  });

  it('answers 404 for an unknown document', async () => {
    const res = await call(sim.url, `/api/now/awa/documents/interaction/${'0'.repeat(32)}/offer`, {
      body: offer(available()),
    });
    expect(res.status).toBe(404);
  });

  it('answers 405 for GET on the offer route', async () => {
    expect((await call(sim.url, path(), { method: 'GET' })).status).toBe(405);
  });

  it('counts what it received by run, route and outcome', async () => {
    const headers = { 'X-Offerload-Testid': 'count-test' };
    await call(sim.url, path(0), { body: offer(available(0)), headers });
    await call(sim.url, path(0), { body: offer(available(1)), headers });
    await call(sim.url, path(1), { body: offer(away()), headers });
    const stats = await call(sim.url, '/sim/stats?testid=count-test', { method: 'GET' });
    expect(stats.json.received).toEqual({
      total: 3,
      routes: { offer: { total: 3, outcomes: { success: 1, already_assigned: 1, agent_unavailable: 1 } } },
    });
  });
});

describe('simulator: an external queue keeps its work items queued', () => {
  it("until the connector offers them, or the queue's maximum wait cancels them (platform.queueMaxWaitSec)", async () => {
    await sim.close();
    clock = new ManualClock(T0);
    sim = await startSimulator(
      simConfig(
        { ...QUIET, fixtures: { agents: 20, queues: 4, documents: 50 }, platform: { queueMaxWaitSec: 30 } },
        ENV,
      ),
      clock,
    );
    fx = publicFixtures(sim.engine.world);
    const created = async (): Promise<string> => {
      const res = await call(sim.url, '/api/now/interaction', {
        body: { channel: 'phone', queue: fx.queues[0]!.sys_id },
      });
      return res.json.result.sys_id as string;
    };
    const itemOf = (doc: string) => sim.engine.itemsOf(doc)[0]!;
    const waiting = await created();
    const offered = await created();
    // listed on awa_work_item while queued, as a polling connector would find it
    const listed = await call(
      sim.url,
      `/api/now/table/awa_work_item?sysparm_query=${encodeURIComponent(`document_id=${waiting}^state=queued`)}`,
      { method: 'GET' },
    );
    expect((listed.json.result as { sys_id: string }[]).map((r) => r.sys_id)).toEqual([itemOf(waiting).sys_id]);
    clock.advance(10_000);
    const res = await call(sim.url, `/api/now/awa/documents/interaction/${offered}/offer`, {
      body: { ...offer(available()), assignment: { agent_sys_id: available(), enable_auto_assign: true } },
    });
    expect(res.status).toBe(200);
    clock.advance(20_001);
    sim.engine.tick();
    expect(itemOf(waiting)).toMatchObject({ state: 'canceled', active: false, cancel_reason: 'max_wait_time' });
    // offered within its wait: the connector's offer took it out of the queue
    expect(itemOf(offered)).toMatchObject({ state: 'accepted', active: true });
  });
});
