/**
 * The neighbouring APIs over real HTTP (neighbour-apis.md §1-§4): every route's success shape, every
 * NEIGHBOUR_MESSAGES entry provoked for its exact text and status, and transfers that fail leaving nothing behind.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, ENV, QUIET, TEST_USER } from '../../../test/helpers/sim-client.js';
import { formatMessage, type NeighbourMessageCode } from '../../shared/messages.js';
import { NEIGHBOUR_MESSAGES } from '../../shared/neighbour-messages.js';
import { callerSysId } from './auth.js';
import { ManualClock } from './platform/clock.js';
import { simConfig } from './config.js';
import { documentKey, isRoutableAgent } from './platform/fixtures.js';
import { checkInvariants } from './platform/invariants.js';
import { startSimulator, type Simulator } from './http/server.js';

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0, 0);
const NO_ID = '0'.repeat(32);
let sim: Simulator;

beforeEach(async () => {
  sim = await startSimulator(simConfig({ ...QUIET, fixtures: { documents: 100 } }, ENV), new ManualClock(T0));
});
afterEach(async () => {
  expect(checkInvariants(sim.engine).violations).toEqual([]);
  await sim.close();
});

const world = () => sim.engine.world;
let nextDoc = 0;
/** a fresh active document each call */
const freshDoc = () => [...world().documents.values()].filter((d) => d.active)[nextDoc++ % 90]!;
const offerPath = (d: { table: string; sys_id: string }) => `/api/now/awa/documents/${d.table}/${d.sys_id}/offer`;
const agent = (i = 0, available = true) =>
  [...world().agents.values()].filter(
    (a) => isRoutableAgent(a) && world().presence.get(a.presence)!.available === available,
  )[i]!;
const queue = (i = 0) => [...world().queues.values()][i]!;
const presenceId = (name: string) => [...world().presence.values()].find((p) => p.name === name)!.sys_id;
const channels = () => [...world().channels.values()];
const reasonOf = (channel: string) => [...world().rejectReasons.values()].find((r) => r.channel === channel)!;
const get = (path: string) => call(sim.url, path, { method: 'GET' });
const put = (path: string, body: unknown) => call(sim.url, path, { method: 'PUT', body });
/** the sys_user id of the test's integration user */
const caller = () => callerSysId(sim.config.users.find((u) => u.user_name === TEST_USER.name)!);

/** Offers a fresh document to an agent from queue(0); returns the document and the work item. */
async function offered(agentId: string, extra: Record<string, unknown> = {}) {
  const d = freshDoc();
  const res = await call(sim.url, offerPath(d), {
    body: { queue_id: queue().sys_id, assignment: { agent_sys_id: agentId, ...extra } },
  });
  expect(res.status).toBe(200);
  return { doc: d, item: res.json.result.work_item.sys_id as string };
}

/** Offers, auto-accepted, then starts a consult to another agent. */
async function consulting() {
  const { doc } = await offered(agent(0).sys_id, { enable_auto_assign: true });
  const res = await call(sim.url, offerPath(doc), {
    body: {
      transfer: {
        source_queue_id: queue().sys_id,
        target_id: agent(1).sys_id,
        target_type: 'agent',
        transfer_type: 'consult',
      },
    },
  });
  expect(res.status).toBe(200);
  return doc;
}

describe('Agent API', () => {
  it('answers GET with the presence and every channel of the agent', async () => {
    const a = agent();
    const res = await get(`/api/now/awa/agents/${a.sys_id}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      result: {
        sys_id: a.sys_id,
        presence: {
          name: 'Available',
          sys_id: presenceId('Available'),
          available: true,
          channels: channels().map((c) => ({ name: c.name, available: true, sys_id: c.sys_id })),
        },
      },
    });
  });

  it('answers the versioned URL as the default one', async () => {
    const a = agent();
    expect((await get(`/api/now/v1/awa/agents/${a.sys_id}`)).json).toEqual(
      (await get(`/api/now/awa/agents/${a.sys_id}`)).json,
    );
  });

  it('lists the presence states Available, Away and Offline with every field and channel', async () => {
    const res = await get(`/api/now/awa/agents/${agent().sys_id}/presence_states`);
    expect(res.status).toBe(200);
    expect(
      res.json.result.map((p: { name: string; order: number; available: boolean }) => [p.name, p.order, p.available]),
    ).toEqual([
      ['Available', 100, true],
      ['Away', 200, false],
      ['Offline', 300, false],
    ]);
    const away = res.json.result[1];
    expect(Object.keys(away).sort()).toEqual([
      'available',
      'channels',
      'disable_inactivity_check',
      'name',
      'order',
      'show_channels',
      'sys_id',
    ]);
    expect(away.sys_id).toBe(presenceId('Away'));
    expect(away.channels).toEqual(
      channels().map((c) => ({
        name: c.name,
        available: false,
        sys_id: c.sys_id,
        restrict_update: false,
        service_channel_type: c.service_channel_type,
      })),
    );
  });

  it('counts pending and accepted work per channel in capacities, with universal_* only for agents with a universal record', async () => {
    const a = agent(0);
    await offered(a.sys_id);
    await offered(a.sys_id, { enable_auto_assign: true });
    a.universalCapacity = null;
    const res = await get(`/api/now/awa/agents/${a.sys_id}/capacities`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.result)).toEqual(['channels']);
    const busy = res.json.result.channels.find((c: { channel_sys_id: string }) => c.channel_sys_id === queue().channel);
    expect(busy).toEqual({
      channel_sys_id: queue().channel,
      current_workload: 2,
      max_capacity: a.capacities.get(queue().channel),
    });
    expect(res.json.result.channels.filter((c: { current_workload: number }) => c.current_workload > 0)).toHaveLength(
      1,
    );
    a.universalCapacity = 6;
    expect((await get(`/api/now/awa/agents/${a.sys_id}/capacities`)).json.result).toMatchObject({
      universal_capacity: 6,
      universal_workload: 2,
    });
  });

  it('sets presence by PUT and GET then shows it, channels reset to the state and routing refusing offers', async () => {
    const a = agent();
    const res = await put(`/api/now/awa/agents/${a.sys_id}`, { presence: { sys_id: presenceId('Away') } });
    expect(res.status).toBe(200);
    // channels were not sent, so they are not echoed
    expect(res.json).toEqual({
      result: { sys_id: a.sys_id, presence: { name: 'Away', sys_id: presenceId('Away'), available: false } },
    });
    const read = await get(`/api/now/awa/agents/${a.sys_id}`);
    expect(read.json.result.presence).toMatchObject({ name: 'Away', sys_id: presenceId('Away'), available: false });
    expect(read.json.result.presence.channels.map((c: { available: boolean }) => c.available)).toEqual(
      channels().map(() => false),
    );
    const refused = await call(sim.url, offerPath(freshDoc()), {
      body: { queue_id: queue().sys_id, assignment: { agent_sys_id: a.sys_id } },
    });
    expect(refused.json.error.message).toBe('Agent is not available');
  });

  it('echoes the channels a PUT sends, a channel without available set to false', async () => {
    const a = agent();
    const [phone, chat] = channels();
    const res = await put(`/api/now/awa/agents/${a.sys_id}`, {
      presence: {
        sys_id: presenceId('Available'),
        channels: [{ sys_id: phone!.sys_id, available: true }, { sys_id: chat!.sys_id }],
      },
    });
    expect(res.json.result.presence.channels).toEqual([
      { name: phone!.name, available: true, sys_id: phone!.sys_id },
      { name: chat!.name, available: false, sys_id: chat!.sys_id },
      ...channels()
        .slice(2)
        .map((c) => ({ name: c.name, available: true, sys_id: c.sys_id })),
    ]);
    expect(a.channels.get(chat!.sys_id)).toBe(false);
  });

  it('sets capacities by PUT and answers the channels it set with the universal capacity', async () => {
    const a = agent();
    const [phone, chat] = channels();
    const res = await put(`/api/now/awa/agents/${a.sys_id}/capacities`, {
      channels: { [phone!.sys_id]: 2, [chat!.sys_id]: '4' },
      universal_capacity: 5,
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      result: {
        channels: [
          { channel_sys_id: phone!.sys_id, max_capacity: 2 },
          { channel_sys_id: chat!.sys_id, max_capacity: 4 },
        ],
        universal_capacity: 5,
      },
    });
    const read = (await get(`/api/now/awa/agents/${a.sys_id}/capacities`)).json.result;
    expect(read.channels.slice(0, 2).map((c: { max_capacity: number }) => c.max_capacity)).toEqual([2, 4]);
    expect(read.universal_capacity).toBe(5);
  });

  it.each([
    ['a presence that is not an object', 400, '', { presence: 'Away' }],
    ['a presence without sys_id', 400, '', { presence: {} }],
    ['channels that are not an array', 400, '', { presence: { sys_id: 'AWAY', channels: {} } }],
    ['an unknown channel', 404, '', { presence: { sys_id: 'AWAY', channels: [{ sys_id: NO_ID, available: true }] } }],
    ['a capacity that is not a whole number', 400, '/capacities', { channels: { PHONE: 1.5 } }],
    ['a negative universal capacity', 400, '/capacities', { universal_capacity: -1 }],
    ['a capacity for an unknown channel', 404, '/capacities', { channels: { [NO_ID]: 1 } }],
  ] as const)('refuses a PUT with %s with status %i, changing nothing', async (_, status, suffix, body) => {
    const a = agent();
    const capacities = [...a.capacities];
    const text = JSON.stringify(body).replace('AWAY', presenceId('Away')).replace('PHONE', channels()[0]!.sys_id);
    const res = await call(sim.url, `/api/now/awa/agents/${a.sys_id}${suffix}`, { method: 'PUT', body: text });
    expect(res.status).toBe(status);
    expect(res.json).toMatchObject({
      error: { message: status === 404 ? 'Record Not Found' : 'Bad Request' },
      status: 'failure',
    });
    expect(a.presence).toBe(presenceId('Available'));
    expect([...a.capacities]).toEqual(capacities);
  });

  it('answers an unknown presence state with the catalogue message', async () => {
    const res = await put(`/api/now/awa/agents/${agent().sys_id}`, { presence: { sys_id: 'on_break' } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: { message: 'on_break is not a valid presence state', detail: 'presence.sys_id' },
      status: 'failure',
    });
  });

  it.each([
    ['GET', ''],
    ['PUT', ''],
    ['GET', '/presence_states'],
    ['GET', '/capacities'],
    ['PUT', '/capacities'],
  ])('answers %s agents/{bad id}%s with 404 Record Not Found', async (method, suffix) => {
    const res = await call(sim.url, `/api/now/awa/agents/nobody${suffix}`, {
      method,
      body: method === 'PUT' ? {} : undefined,
    });
    expect(res.status).toBe(404);
    expect(res.json.error.message).toBe('Record Not Found');
  });
});

describe('Inbox Actions API', () => {
  it('accepts an offered work item and answers its document', async () => {
    const { doc, item } = await offered(agent().sys_id);
    const res = await call(sim.url, '/api/now/awa/inbox/actions/accept', {
      body: { agent_id: agent().sys_id, work_item_id: item },
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ result: { documentSysId: doc.sys_id, documentTable: doc.table } });
    expect(sim.engine.items.all.get(item)!.state).toBe('accepted');
  });

  it('rejects an offered work item, echoing the three ids; the item goes back unassigned and marked rejected', async () => {
    const { item } = await offered(agent().sys_id);
    const reason = reasonOf(queue().channel).sys_id;
    const body = { agent_id: agent().sys_id, work_item_id: item, reject_reason_id: reason };
    const res = await call(sim.url, '/api/now/v1/awa/inbox/actions/reject', { body });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ result: body });
    expect(sim.engine.items.all.get(item)).toMatchObject({ state: 'queued', assigned_to: null, rejected: true });
  });

  it('lists the reject reasons of a channel', async () => {
    const channel = channels()[1]!;
    const res = await get(`/api/now/awa/inbox/actions/reject_reasons/${channel.sys_id}`);
    expect(res.status).toBe(200);
    expect(res.json.result).toHaveLength(4);
    expect(res.json.result[0]).toEqual({
      sys_id: reasonOf(channel.sys_id).sys_id,
      value: 'busy',
      display_value: 'Busy with another customer',
      order: 100,
    });
    expect(res.json.result.map((r: { order: number }) => r.order)).toEqual([100, 200, 300, 400]);
  });

  it('answers 404 for the reject reasons of an unknown channel', async () => {
    const res = await get(`/api/now/awa/inbox/actions/reject_reasons/${NO_ID}`);
    expect(res.status).toBe(404);
    expect(res.json).toEqual({
      error: { message: 'Not Found', detail: `There is no record for awa_service_channel : ${NO_ID}` },
      status: 'failure',
    });
  });
});

describe('Agent Consult API', () => {
  it('ends a consult with the documented result', async () => {
    const doc = await consulting();
    const res = await put('/api/now/awa/consult/end', { document_sys_id: doc.sys_id, hand_over: 'true' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ result: { success: true, message: 'Consult is successfully ended.' } });
    expect(sim.engine.items.active(documentKey(doc.table, doc.sys_id))!.assigned_to).toBe(agent(1).sys_id);
  });

  it('answers 400 without document_sys_id and for a hand_over that is not a boolean', async () => {
    const doc = await consulting();
    expect((await put('/api/now/awa/consult/end', { hand_over: true })).status).toBe(400);
    const bad = await put('/api/now/awa/consult/end', { document_sys_id: doc.sys_id, hand_over: 'maybe' });
    expect(bad.json).toEqual({
      error: { message: 'Bad Request', detail: 'hand_over must be true or false, got maybe' },
      status: 'failure',
    });
    expect(sim.engine.items.consult(documentKey(doc.table, doc.sys_id))).toBeDefined();
  });
});

describe('Interaction API', () => {
  const FIELDS = [
    'assigned_to',
    'channel',
    'channelMetadataDocument',
    'channelMetadataTable',
    'channel_metadata',
    'closed_by',
    'context',
    'contextDocument',
    'contextTable',
    'number',
    'opened_for',
    'queue',
    'state',
    'sys_id',
  ];

  it('creates an interaction with the documented fields, state new without a queue, and ignores short_description', async () => {
    const channel = channels()[0]!.sys_id;
    const res = await call(sim.url, '/api/now/interaction', {
      body: { channel, short_description: 'set through the Table API instead', opened_by: NO_ID },
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.json.result).sort()).toEqual(FIELDS);
    expect(res.json.result).toMatchObject({
      state: 'new',
      channel,
      queue: '',
      context: { present: true },
      contextTable: 'interaction_json_blob',
      channelMetadataTable: 'live_group_profile',
      assigned_to: '',
      opened_for: '',
      closed_by: '',
    });
    expect(res.json.result.number).toMatch(/^IMS\d{7}$/);
    const doc = world().documents.get(documentKey('interaction', res.json.result.sys_id))!;
    expect(doc.interaction).toMatchObject({ opened_by: caller() });
    expect(JSON.stringify(doc)).not.toContain('Table API instead');
    expect(sim.engine.itemsOf(doc.sys_id)).toEqual([]);
  });

  it('creates under the versioned URL queued in a queue, with the context record the body names', async () => {
    const res = await call(sim.url, '/api/now/v1/interaction', {
      body: {
        channel: channels()[1]!.sys_id,
        queue: queue(1).external_id,
        context_table: 'sn_customerservice_case',
        context_id: NO_ID,
      },
    });
    expect(res.status).toBe(201);
    expect(res.json.result).toMatchObject({
      state: 'queued',
      queue: queue(1).sys_id,
      contextTable: 'sn_customerservice_case',
      contextDocument: NO_ID,
    });
    expect(sim.engine.itemsOf(res.json.result.sys_id).map((i) => [i.state, i.queue])).toEqual([
      ['queued', queue(1).sys_id],
    ]);
  });

  it('refuses an interaction without channel with 400', async () => {
    const res = await call(sim.url, '/api/now/interaction', { body: { queue: queue().sys_id } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: {
        message: 'Mandatory parameter missing: channel',
        detail: 'channel (the sys_id of the interaction connector) is required',
      },
      status: 'failure',
    });
  });

  it('closes an interaction: same shape, state closed_complete, closed_by the caller, assigned_to the accepting agent', async () => {
    const created = (
      await call(sim.url, '/api/now/interaction', { body: { channel: channels()[0]!.sys_id, queue: queue().sys_id } })
    ).json.result;
    const a = agent().sys_id;
    const offer = await call(sim.url, `/api/now/awa/documents/interaction/${created.sys_id}/offer`, {
      body: { queue_id: queue().sys_id, assignment: { agent_sys_id: a, enable_auto_assign: true } },
    });
    expect(offer.status).toBe(200);
    const res = await call(sim.url, `/api/now/interaction/${created.sys_id}/close`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.result).sort()).toEqual(FIELDS);
    expect(res.json.result).toEqual({ ...created, state: 'closed_complete', closed_by: caller(), assigned_to: a });
    expect((await call(sim.url, `/api/now/interaction/${NO_ID}/close`)).status).toBe(404);
  });
});

describe('transfers', () => {
  const transfer = (target_id: string, target_type: string, transfer_type: string) => ({
    transfer: { source_queue_id: queue().sys_id, target_id, target_type, transfer_type },
  });

  it.each([
    ['blind to an agent who is not Available', () => transfer(agent(0, false).sys_id, 'agent', 'blind'), 409],
    ['consult to an agent who is not Available', () => transfer(agent(0, false).sys_id, 'agent', 'consult'), 409],
    ['blind to a user who is not an agent', () => transfer(NO_ID, 'agent', 'blind'), 409],
    ['blind to an unknown queue', () => transfer(NO_ID, 'queue', 'blind'), 404],
    ['consult to an unknown queue', () => transfer(NO_ID, 'queue', 'consult'), 404],
  ] as const)(
    'leaves the work item count unchanged when a transfer of a call never routed fails: %s',
    async (_, body, status) => {
      const d = freshDoc();
      const before = { held: sim.engine.items.all.size, created: sim.engine.items.counts.created };
      const res = await call(sim.url, offerPath(d), { body: body() });
      expect(res.status).toBe(status);
      expect({ held: sim.engine.items.all.size, created: sim.engine.items.counts.created }).toEqual(before);
      expect(sim.engine.itemsOf(d.sys_id)).toEqual([]);
    },
  );
});

/** How to provoke each catalogue entry, and where its text is: error.detail, error.message or result.message. */
interface Provoked {
  readonly method?: string;
  readonly path: string;
  readonly body?: Record<string, unknown>;
  readonly values?: Record<string, string>;
  readonly at: 'detail' | 'message' | 'result';
}

const ACCEPT = '/api/now/awa/inbox/actions/accept';
const REJECT = '/api/now/awa/inbox/actions/reject';
const reason = () => reasonOf(queue().channel).sys_id;

const PROVOKE: Record<NeighbourMessageCode, () => Promise<Provoked>> = {
  agent_record_not_found: async () => ({ method: 'GET', path: `/api/now/awa/agents/${NO_ID}`, at: 'message' }),
  inbox_missing_agent_id: async () => ({
    path: ACCEPT,
    body: { work_item_id: (await offered(agent().sys_id)).item },
    at: 'detail',
  }),
  inbox_missing_work_item_id: async () => ({
    path: REJECT,
    body: { agent_id: agent().sys_id, reject_reason_id: reason() },
    at: 'detail',
  }),
  inbox_missing_reject_reason_id: async () => ({
    path: REJECT,
    body: { agent_id: agent().sys_id, work_item_id: (await offered(agent().sys_id)).item },
    at: 'detail',
  }),
  inbox_other_agent: async () => ({
    path: REJECT,
    body: { agent_id: agent(1).sys_id, work_item_id: (await offered(agent().sys_id)).item, reject_reason_id: reason() },
    at: 'detail',
  }),
  inbox_not_pending_accept: async () => ({
    path: ACCEPT,
    body: {
      agent_id: agent().sys_id,
      work_item_id: (await offered(agent().sys_id, { enable_auto_assign: true })).item,
    },
    at: 'detail',
  }),
  inbox_wrong_work_item_id: async () => ({
    path: ACCEPT,
    body: { agent_id: agent().sys_id, work_item_id: NO_ID },
    at: 'detail',
  }),
  inbox_no_work_item: async () => ({
    path: REJECT,
    body: { agent_id: agent().sys_id, work_item_id: NO_ID, reject_reason_id: reason() },
    values: { work_item: NO_ID },
    at: 'detail',
  }),
  inbox_no_agent: async () => ({
    path: REJECT,
    body: { agent_id: NO_ID, work_item_id: (await offered(agent().sys_id)).item, reject_reason_id: reason() },
    values: { agent: NO_ID },
    at: 'detail',
  }),
  inbox_no_reject_reason: async () => ({
    path: REJECT,
    body: { agent_id: agent().sys_id, work_item_id: (await offered(agent().sys_id)).item, reject_reason_id: NO_ID },
    values: { reason: NO_ID },
    at: 'detail',
  }),
  consult_ended: async () => ({
    method: 'PUT',
    path: '/api/now/awa/consult/end',
    body: { document_sys_id: (await consulting()).sys_id, hand_over: false },
    at: 'result',
  }),
  consult_not_found: async () => {
    const d = freshDoc();
    return {
      method: 'PUT',
      path: '/api/now/awa/consult/end',
      body: { document_sys_id: d.sys_id, hand_over: true },
      values: { document: d.sys_id },
      at: 'result',
    };
  },
};

const TEXT_AT: Record<Provoked['at'], (json: any) => unknown> = {
  detail: (j) => j.error?.detail,
  message: (j) => j.error?.message,
  result: (j) => j.result?.message,
};

describe('neighbour message catalogue', () => {
  it('has a provoking row for every entry', () => {
    expect(Object.keys(PROVOKE).sort()).toEqual(Object.keys(NEIGHBOUR_MESSAGES).sort());
  });

  it.each(Object.keys(NEIGHBOUR_MESSAGES) as NeighbourMessageCode[])(
    'answers %s with its exact text and status',
    async (code) => {
      const p = await PROVOKE[code]();
      const res = await call(sim.url, p.path, { method: p.method ?? 'POST', body: p.body });
      expect(TEXT_AT[p.at](res.json)).toBe(formatMessage(code, p.values));
      expect(res.status).toBe(NEIGHBOUR_MESSAGES[code].status);
      // failures of §1-§2 use the platform's error envelope; §3 answers in result
      if (p.at !== 'result') expect(res.json.status).toBe('failure');
    },
  );
});
