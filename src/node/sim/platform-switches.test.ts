/**
 * Platform switches and per-request checks over real HTTP: glide.awa.enabled (and whether it covers Offer Work),
 * inbound rate limiting across two nodes, external_segment_id kept on the work item, when display_option is
 * checked, and the caller-role message.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { basic, ENV, QUIET, TEST_USER } from '../../../test/helpers/sim-client.js';
import { classify } from '../../shared/outcome.js';
import { callerSysId } from './auth.js';
import { simConfig, type SimOverrides } from './config.js';
import { documentKey, isRoutableAgent } from './platform/fixtures.js';
import { parseRateRules } from './platform/rate-limit.js';
import { startSimulator, type Simulator } from './http/server.js';

const NO_ID = '0'.repeat(32);
let sim: Simulator;
async function start(overrides: SimOverrides = {}): Promise<void> {
  sim = await startSimulator(simConfig({ ...QUIET, fixtures: { documents: 40 }, ...overrides }, ENV));
}
afterEach(async () => {
  await sim.close();
});

const world = () => sim.engine.world;
const doc = (i: number) => [...world().documents.values()].filter((d) => d.active)[i]!;
const offerPath = (i: number) => `/api/now/awa/documents/${doc(i).table}/${doc(i).sys_id}/offer`;
const agent = (i = 0) =>
  [...world().agents.values()].filter((a) => isRoutableAgent(a) && world().presence.get(a.presence)!.available)[i]!;
const queue = () => [...world().queues.values()][0]!.sys_id;
const presenceId = (name: string) => [...world().presence.values()].find((p) => p.name === name)!.sys_id;
const offerBody = (i: number, assignment: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  queue_id: queue(),
  assignment: { agent_sys_id: agent(i).sys_id, ...assignment },
  ...extra,
});
const itemOf = (i: number) => sim.engine.items.active(documentKey(doc(i).table, doc(i).sys_id));

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: any;
}

/** One request as the integration user (or `auth`), with the answer's headers. */
async function send(
  method: string,
  path: string,
  body?: unknown,
  auth = basic(TEST_USER.name, TEST_USER.password),
): Promise<Answer> {
  const res = await fetch(sim.url + path, {
    method,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: auth },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}
const nodeOf = (a: Answer): string | undefined =>
  a.headers
    .getSetCookie()
    .find((c) => c.startsWith('BIGipServerpool_offerload='))
    ?.split(';')[0]
    ?.split('=')[1];

const AWA_OFF_BODY = {
  error: { message: 'Forbidden', detail: expect.stringContaining('glide.awa.enabled') },
  status: 'failure',
};

/** The Agent, Inbox Actions and Consult calls, each with a body the route would accept. */
const neighbourCalls = (): [string, string, unknown][] => [
  ['GET', `/api/now/awa/agents/${agent(0).sys_id}`, undefined],
  ['PUT', `/api/now/awa/agents/${agent(1).sys_id}`, { presence: { sys_id: presenceId('Away') } }],
  ['POST', '/api/now/awa/inbox/actions/accept', { agent_id: agent(0).sys_id, work_item_id: NO_ID }],
  ['PUT', '/api/now/awa/consult/end', { document_sys_id: doc(5).sys_id, hand_over: false }],
];

describe('glide.awa.enabled', () => {
  it('answers 403 on the Agent, Inbox Actions and Consult APIs and on Offer Work when AWA is off, changing nothing', async () => {
    await start({ platform: { awaEnabled: false } });
    const target = agent(1);
    const presenceBefore = target.presence;
    const answers = [];
    for (const [method, path, body] of neighbourCalls()) answers.push(await send(method, path, body));
    answers.push(await send('POST', offerPath(0), offerBody(0)));
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403, 403]);
    for (const a of answers) expect(a.json).toEqual(AWA_OFF_BODY);
    expect(sim.engine.items.all.size).toBe(0);
    expect(world().agents.get(target.sys_id)!.presence).toBe(presenceBefore);
  });

  it('answers the 403 in the platform error envelope even when failures are configured as result objects', async () => {
    await start({ platform: { awaEnabled: false }, envelope: 'result' });
    const a = await send('GET', `/api/now/awa/agents/${agent(0).sys_id}`);
    expect(a.status).toBe(403);
    expect(a.json).toEqual(AWA_OFF_BODY);
    expect(classify({ status: a.status, body: a.text, contentType: a.headers.get('content-type') ?? '' })).not.toBe(
      'success',
    );
  });

  it('still answers the Table API when AWA is off', async () => {
    await start({ platform: { awaEnabled: false } });
    const a = await send('GET', '/api/now/table/awa_queue');
    expect(a.status).toBe(200);
    expect(a.json.result).toHaveLength(world().queues.size);
  });

  it('with awaOffCoversOfferWork false answers Offer Work as usual while the Agent and Inbox APIs still answer 403', async () => {
    await start({ platform: { awaEnabled: false, awaOffCoversOfferWork: false } });
    const offered = await send('POST', offerPath(0), offerBody(0));
    expect(offered.status).toBe(200);
    expect(offered.json.result).toMatchObject({
      success: true,
      message: 'Manual assignment successfully requested.',
      work_item: { document_id: doc(0).sys_id },
    });
    const item = offered.json.result.work_item.sys_id as string;
    const agents = await send('GET', `/api/now/awa/agents/${agent(0).sys_id}`);
    expect(agents.status).toBe(403);
    expect(agents.json).toEqual(AWA_OFF_BODY);
    const accept = await send('POST', '/api/now/awa/inbox/actions/accept', {
      agent_id: agent(0).sys_id,
      work_item_id: item,
    });
    expect(accept.status).toBe(403);
    expect(sim.engine.items.all.get(item)!.state).toBe('pending_accept');
  });

  it('answers the same calls as usual when AWA is on (the default)', async () => {
    await start();
    const offered = await send('POST', offerPath(0), offerBody(0));
    const item = offered.json.result.work_item.sys_id as string;
    const accept = await send('POST', '/api/now/awa/inbox/actions/accept', {
      agent_id: agent(0).sys_id,
      work_item_id: item,
    });
    const rest = [];
    for (const [method, path, body] of neighbourCalls().filter(([, path]) => !path.endsWith('/accept')))
      rest.push(await send(method, path, body));
    expect([offered, accept, ...rest].map((a) => a.status)).toEqual([200, 200, 200, 200, 404]);
    expect(accept.json).toEqual({ result: { documentSysId: doc(0).sys_id, documentTable: doc(0).table } });
    expect(rest[1]!.json.result.presence.name).toBe('Away');
    // consult end for a document without a consult: its own answer, not the AWA 403
    expect(rest[2]!.json.result.success).toBe(false);
  });
});

describe('rate limiting across two nodes', () => {
  const RULE = 'fee1dead0000000000000000c0ffee42';
  const rateLimited = (rules: unknown[]): SimOverrides => ({
    capacity: { fast: true, nodes: 2 },
    rateLimit: { enabled: true, commitIntervalMs: 0, rules: parseRateRules(rules) },
  });

  it('sends the rule on every answer, refuses past the limit with 429, Retry-After and the documented body', async () => {
    await start(rateLimited([{ sys_id: RULE, scope: 'all', resource: 'offer', requestsPerHour: 4 }]));
    const answers: Answer[] = [];
    for (let i = 0; i < 6; i++)
      answers.push(
        await send('POST', offerPath(i), i === 1 ? { assignment: { agent_sys_id: agent(i).sys_id } } : offerBody(i)),
      );
    const nowSec = Date.now() / 1000;
    // the refused one (no queue_id) counts too: it got past the rate limit before the offer was judged
    expect(answers.map((a) => a.status)).toEqual([200, 400, 200, 200, 429, 429]);
    // no cookies sent back: each request a new session, alternating the two nodes
    expect(answers.map(nodeOf)).toEqual(['node1', 'node2', 'node1', 'node2', 'node1', 'node2']);
    for (const a of answers) {
      expect(a.headers.get('x-ratelimit-limit')).toBe('4');
      expect(a.headers.get('x-ratelimit-rule')).toBe(RULE);
      const reset = Number(a.headers.get('x-ratelimit-reset'));
      expect(reset % 3600).toBe(0);
      expect(reset).toBeGreaterThan(nowSec - 5);
      expect(reset).toBeLessThanOrEqual(nowSec + 3600);
    }
    for (const denied of answers.slice(4)) {
      const retry = Number(denied.headers.get('retry-after'));
      expect(Math.abs(retry - (Number(denied.headers.get('x-ratelimit-reset')) - nowSec))).toBeLessThanOrEqual(5);
      expect(denied.text).toBe(
        '{"error":{"message":"Rate limit exceeded","detail":"Rate limit of 4 requests per hour for AWA Offer Work API exceeded"},"status":"failure"}',
      );
      expect(
        classify({ status: denied.status, body: denied.text, contentType: denied.headers.get('content-type') ?? '' }),
      ).toBe('rate_limited');
    }
    for (const allowed of answers.slice(0, 4)) expect(allowed.headers.get('retry-after')).toBeNull();
    expect(sim.engine.items.all.size).toBe(3);
  });

  it('does not limit offers with a rule on resource table, and limits the Table API with it', async () => {
    const rule = { scope: 'all', resource: 'table', requestsPerHour: 1 };
    await start(rateLimited([rule]));
    const offers = [];
    for (let i = 0; i < 3; i++) offers.push(await send('POST', offerPath(i), offerBody(i)));
    expect(offers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(offers.map((a) => a.headers.get('x-ratelimit-limit'))).toEqual([null, null, null]);
    const first = await send('GET', '/api/now/table/awa_queue');
    const second = await send('GET', '/api/now/table/awa_queue');
    expect([first.status, second.status]).toEqual([200, 429]);
    expect(first.headers.get('x-ratelimit-limit')).toBe('1');
    expect(first.headers.get('x-ratelimit-rule')).toBe(parseRateRules([rule])[0]!.sys_id);
    expect(second.json).toEqual({
      error: { message: 'Rate limit exceeded', detail: 'Rate limit of 1 requests per hour for Table API exceeded' },
      status: 'failure',
    });
  });
});

describe('external_segment_id', () => {
  const SEGMENT = 'CA5e1f00c0ffee0123456789abcdef01';

  it('is stored on the work item, read back by sys_id and found by a Table API query for exactly that item', async () => {
    await start();
    const sent = [
      await send('POST', offerPath(0), offerBody(0, {}, { external_segment_id: `${SEGMENT}99` })),
      await send('POST', offerPath(1), offerBody(1, {}, { external_segment_id: SEGMENT })),
      await send('POST', offerPath(2), offerBody(2)),
    ];
    expect(sent.map((a) => a.status)).toEqual([200, 200, 200]);
    const item = sent[1]!.json.result.work_item.sys_id as string;
    expect(sim.engine.items.all.get(item)!.external_segment_id).toBe(SEGMENT);
    expect(itemOf(2)!.external_segment_id).toBeNull();

    const row = await send('GET', `/api/now/table/awa_work_item/${item}`);
    expect(row.status).toBe(200);
    expect(row.json.result).toMatchObject({ sys_id: item, document_id: doc(1).sys_id, external_segment_id: SEGMENT });

    const found = await send(
      'GET',
      `/api/now/table/awa_work_item?sysparm_query=${encodeURIComponent(`external_segment_id=${SEGMENT}`)}`,
    );
    expect(found.status).toBe(200);
    expect(found.json.result.map((r: { sys_id: string }) => r.sys_id)).toEqual([item]);
    expect(found.headers.get('x-total-count')).toBe('1');
  });
});

describe('display_option', () => {
  it.each([
    ['accepts popup without auto-assign (it is not checked then)', { display_option: 'popup' }, 200, 'pending_accept'],
    [
      'accepts popup with enable_auto_assign "false"',
      { display_option: 'popup', enable_auto_assign: 'false' },
      200,
      'pending_accept',
    ],
    [
      'accepts card_and_tab with auto-assign',
      { display_option: 'card_and_tab', enable_auto_assign: true },
      200,
      'accepted',
    ],
  ])('%s', async (_, assignment, status, state) => {
    await start();
    const a = await send('POST', offerPath(0), offerBody(0, assignment));
    expect(a.status).toBe(status);
    expect(a.json.result.success).toBe(true);
    expect(itemOf(0)!.state).toBe(state);
  });

  it.each([
    ['true', true],
    ['"yes"', 'yes'],
  ])('refuses popup with enable_auto_assign %s with the documented message, placing nothing', async (_, enable) => {
    await start();
    const a = await send('POST', offerPath(0), offerBody(0, { display_option: 'popup', enable_auto_assign: enable }));
    expect(a.status).toBe(400);
    expect(a.json.error.message).toBe('popup is not a valid display option');
    expect(a.json.status).toBe('failure');
    expect(itemOf(0)).toBeUndefined();
    expect(sim.engine.items.all.size).toBe(0);
  });
});

describe('the caller role', () => {
  it("names the caller's 32-hex sys_id, not the user name, when the caller has only the itil role", async () => {
    await start();
    const itil = basic('itil.user', 'itil.user');
    const first = await send('POST', offerPath(0), offerBody(0), itil);
    const again = await send('POST', offerPath(1), offerBody(1), itil);
    expect([first.status, again.status]).toEqual([403, 403]);
    const m = /^Caller ([0-9a-f]{32}) does not have the awa_manager or awa_integration_user role$/.exec(
      first.json.error.message,
    );
    expect(m).not.toBeNull();
    expect(m![1]).toBe(callerSysId(sim.config.users.find((u) => u.user_name === 'itil.user')!));
    expect(first.text).not.toContain('itil.user');
    expect(again.json.error.message).toBe(first.json.error.message);
    expect(m![1]).not.toBe(callerSysId(sim.config.users.find((u) => u.user_name === TEST_USER.name)!));
    expect(sim.engine.items.all.size).toBe(0);
  });
});

describe('the roles each API needs', () => {
  const manager = { user_name: 'sup.manager', password: 'sup-manager-pw', roles: ['awa_manager'] };

  it('lets awa_manager offer work but not use the Agent, Inbox or Consult APIs, which need awa_integration_user', async () => {
    await start({ users: [{ user_name: 'itil.user', password: 'itil.user', roles: ['itil'] }, manager] });
    const auth = basic(manager.user_name, manager.password);
    expect((await send('POST', offerPath(0), offerBody(0), auth)).status).toBe(200);
    const agents = await send('GET', `/api/now/awa/agents/${agent(0).sys_id}`, undefined, auth);
    expect(agents.status).toBe(403);
    expect(agents.json).toEqual({
      error: { message: 'User Not Authenticated', detail: 'the caller lacks the awa_integration_user role' },
      status: 'failure',
    });
    expect(
      (
        await send(
          'POST',
          '/api/now/awa/inbox/actions/accept',
          { agent_id: agent(0).sys_id, work_item_id: NO_ID },
          auth,
        )
      ).status,
    ).toBe(403);
    expect(
      (await send('PUT', '/api/now/awa/consult/end', { document_sys_id: doc(0).sys_id, hand_over: false }, auth))
        .status,
    ).toBe(403);
  });

  it('checks no AWA role on the Table API (ACLs) or the Interaction API (its role is unconfirmed)', async () => {
    await start();
    const itil = basic('itil.user', 'itil.user');
    expect((await send('GET', '/api/now/table/awa_queue?sysparm_limit=1', undefined, itil)).status).toBe(200);
    const created = await send('POST', '/api/now/interaction', { channel: [...world().channels.keys()][0] }, itil);
    expect(created.status).toBe(201);
    expect((await send('POST', offerPath(0), offerBody(0), itil)).status).toBe(403);
  });
});
