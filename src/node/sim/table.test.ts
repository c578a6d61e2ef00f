/** The Table API over real HTTP: paging and its headers, reference fields in every display mode, fields, reads by id. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { basic, call, ENV, QUIET } from '../../../test/helpers/sim-client.js';
import { simConfig, type SimOverrides } from './config.js';
import { isRoutableAgent } from './platform/fixtures.js';
import { startSimulator, type Simulator } from './http/server.js';
import { TABLES } from './table/schema.js';

let sim: Simulator;
async function start(overrides: SimOverrides = {}): Promise<void> {
  sim = await startSimulator(simConfig({ ...QUIET, fixtures: { documents: 50 }, ...overrides }, ENV));
}
afterEach(async () => sim && (await sim.close()));

const world = () => sim.engine.world;
const agents = () => [...world().agents.values()];
const routable = () => agents().filter((a) => isRoutableAgent(a) && world().presence.get(a.presence)!.available);
const queue = () => [...world().queues.values()][0]!;
const interaction = () => [...world().documents.values()].find((d) => d.table === 'interaction')!;
const get = (path: string) => call(sim.url, path, { method: 'GET' });
const raw = (path: string) =>
  fetch(sim.url + path, { headers: { Authorization: basic(ENV.OFFERLOAD_USERNAME, ENV.OFFERLOAD_PASSWORD) } });
const headersOf = async (path: string) => (await raw(path)).headers;

/** Offers the first interaction to the first available agent; resolves with the pending work item's sys_id. */
async function offered(extra: Record<string, unknown> = {}): Promise<string> {
  const d = interaction();
  const res = await call(sim.url, `/api/now/awa/documents/interaction/${d.sys_id}/offer`, {
    body: { queue_id: queue().sys_id, assignment: { agent_sys_id: routable()[0]!.sys_id }, ...extra },
  });
  expect(res.status).toBe(200);
  return res.json.result.work_item.sys_id as string;
}
/** A queued work item nobody is assigned to, through the Interaction API. */
async function queued(): Promise<string> {
  const created = await call(sim.url, '/api/now/interaction', { body: { channel: 'phone', queue: queue().sys_id } });
  return (
    await get(
      `/api/now/table/awa_work_item?sysparm_query=document_id=${created.json.result.sys_id}&sysparm_fields=sys_id&sysparm_exclude_reference_link=true`,
    )
  ).json.result[0].sys_id;
}

describe('Table API lists', () => {
  it('answers 200 with an empty result and a zero count when nothing matches', async () => {
    await start();
    const res = await raw('/api/now/table/awa_queue?sysparm_query=name=No such queue');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ result: [] });
    expect(res.headers.get('x-total-count')).toBe('0');
  });

  it('pages with sysparm_limit and sysparm_offset, counts every match and links first, prev, next and last', async () => {
    await start();
    const path = '/api/now/table/sys_user?sysparm_fields=sys_id&sysparm_limit=50&sysparm_offset=100';
    const res = await get(path);
    expect(res.json.result.map((r: { sys_id: string }) => r.sys_id)).toEqual(
      agents()
        .slice(100, 150)
        .map((a) => a.sys_id),
    );
    const headers = await headersOf(path);
    expect(headers.get('x-total-count')).toBe(String(agents().length));
    const at = (offset: number) =>
      `<${sim.url}/api/now/table/sys_user?sysparm_fields=sys_id&sysparm_limit=50&sysparm_offset=${offset}>`;
    // 206 users: the last page starts at 200
    expect(agents()).toHaveLength(206);
    expect(headers.get('link')).toBe(
      `${at(0)};rel="first",${at(50)};rel="prev",${at(150)};rel="next",${at(200)};rel="last"`,
    );
  });

  it('links no prev on the first page and no next on the last', async () => {
    await start();
    const at = (offset: number) => `<${sim.url}/api/now/table/awa_queue?sysparm_limit=5&sysparm_offset=${offset}>`;
    // 12 queues in pages of 5: offsets 0, 5, 10
    const first = await headersOf('/api/now/table/awa_queue?sysparm_limit=5');
    expect(first.get('link')).toBe(`${at(0)};rel="first",${at(5)};rel="next",${at(10)};rel="last"`);
    const last = await headersOf('/api/now/table/awa_queue?sysparm_limit=5&sysparm_offset=10');
    expect(last.get('link')).toBe(`${at(0)};rel="first",${at(5)};rel="prev",${at(10)};rel="last"`);
    expect((await get('/api/now/table/awa_queue?sysparm_limit=5&sysparm_offset=10')).json.result).toHaveLength(2);
  });

  it('defaults to 10000 rows from offset 0', async () => {
    await start();
    const headers = await headersOf('/api/now/table/sys_user');
    expect(headers.get('link')).toBe(
      `<${sim.url}/api/now/table/sys_user?sysparm_limit=10000&sysparm_offset=0>;rel="first",<${sim.url}/api/now/table/sys_user?sysparm_limit=10000&sysparm_offset=0>;rel="last"`,
    );
    expect((await get('/api/now/table/sys_user')).json.result).toHaveLength(206);
  });

  it('leaves out X-Total-Count with sysparm_no_count=true and Link with sysparm_suppress_pagination_header=true', async () => {
    await start();
    const headers = await headersOf(
      '/api/now/table/awa_queue?sysparm_no_count=true&sysparm_suppress_pagination_header=true',
    );
    expect(headers.get('x-total-count')).toBeNull();
    expect(headers.get('link')).toBeNull();
  });

  it('orders and filters by an encoded query with ^OR and ORDERBYDESC', async () => {
    await start();
    const [a, b] = [...world().queues.values()];
    const res = await get(
      `/api/now/table/awa_queue?sysparm_query=sys_id=${a!.sys_id}^ORsys_id=${b!.sys_id}^ORDERBYDESCsys_id&sysparm_fields=sys_id`,
    );
    expect(res.json.result.map((r: { sys_id: string }) => r.sys_id)).toEqual([a!.sys_id, b!.sys_id].sort().reverse());
  });

  it('drops an unknown query clause by default, and returns no rows for it with table.invalidQueryReturnsNoRows', async () => {
    const q = `/api/now/table/awa_queue?sysparm_query=nosuchfield=1^name=${encodeURIComponent(queue().name)}`;
    await start();
    expect((await get(q)).json.result.map((r: { name: string }) => r.name)).toEqual([queue().name]);
    await sim.close();
    await start({ table: { invalidQueryReturnsNoRows: true } });
    expect((await get(q)).json.result).toEqual([]);
    expect((await headersOf(q)).get('x-total-count')).toBe('0');
  });

  it('finds role grants by the dot-walked role.name, one per user and role', async () => {
    await start();
    const holders = agents().filter((a) => a.roles.includes('awa_agent'));
    const res = await get(
      '/api/now/table/sys_user_has_role?sysparm_query=role.name=awa_agent&sysparm_fields=user&sysparm_exclude_reference_link=true',
    );
    expect(res.json.result.map((r: { user: string }) => r.user)).toEqual(holders.map((a) => a.sys_id));
    const one = await get(
      `/api/now/table/sys_user_has_role?sysparm_query=user=${holders[0]!.sys_id}^role.name=awa_agent`,
    );
    expect(one.json.result).toHaveLength(1);
    expect(one.json.result[0]).toMatchObject({
      'role.name': 'awa_agent',
      user: { value: holders[0]!.sys_id },
      role: { value: '1b4e4bdfeab984e0d8799f1f573d2fe9' },
    });
  });

  it('keeps role sys_ids stable (the same on every seed) and serves them from sys_user_role', async () => {
    await start({ seed: 7 });
    const roles = (
      await get('/api/now/table/sys_user_role?sysparm_query=nameINawa_agent,awa_external_user^ORDERBYname')
    ).json.result;
    expect(roles).toEqual([
      { sys_id: '1b4e4bdfeab984e0d8799f1f573d2fe9', name: 'awa_agent' },
      { sys_id: '6eabade1479c26475d90909998b94821', name: 'awa_external_user' },
    ]);
  });

  it('answers an unknown table with the platform 404, as before', async () => {
    await start();
    const res = await get('/api/now/table/no_such_table');
    expect(res.status).toBe(404);
    expect(res.json.error.message).toBe('No Record found');
  });
});

describe('Table API reference fields', () => {
  /** What the test knows of the offered work item: its queue and agent, and how links are written. */
  interface Known {
    readonly link: (table: string, id: string) => string;
    readonly q: string;
    readonly a: string;
    readonly queueName: string;
    readonly agentName: string;
  }
  it.each([
    [
      'as {link, value} by default',
      '',
      (k: Known) => ({
        queue: { link: k.link('awa_queue', k.q), value: k.q },
        assigned_to: { link: k.link('sys_user', k.a), value: k.a },
        state: 'pending_accept',
      }),
    ],
    [
      'as the sys_id with sysparm_exclude_reference_link=true',
      'sysparm_exclude_reference_link=true',
      (k: Known) => ({ queue: k.q, assigned_to: k.a, state: 'pending_accept' }),
    ],
    [
      'as {display_value, link} with sysparm_display_value=true',
      'sysparm_display_value=true',
      (k: Known) => ({
        queue: { display_value: k.queueName, link: k.link('awa_queue', k.q) },
        assigned_to: { display_value: k.agentName, link: k.link('sys_user', k.a) },
        state: 'pending_accept',
      }),
    ],
    [
      'as the display value alone with display_value=true and no links',
      'sysparm_display_value=true&sysparm_exclude_reference_link=true',
      (k: Known) => ({ queue: k.queueName, assigned_to: k.agentName, state: 'pending_accept' }),
    ],
    [
      'as {display_value, link, value} with sysparm_display_value=all, plain fields as {display_value, value}',
      'sysparm_display_value=all',
      (k: Known) => ({
        queue: { display_value: k.queueName, link: k.link('awa_queue', k.q), value: k.q },
        assigned_to: { display_value: k.agentName, link: k.link('sys_user', k.a), value: k.a },
        state: { display_value: 'pending_accept', value: 'pending_accept' },
      }),
    ],
  ])('sends references %s', async (_, params, expected) => {
    await start();
    const item = await offered();
    const a = routable()[0]!;
    const want = expected({
      link: (t, id) => `${sim.url}/api/now/table/${t}/${id}`,
      q: queue().sys_id,
      a: a.sys_id,
      queueName: queue().name,
      agentName: a.name,
    });
    const one = await get(`/api/now/table/awa_work_item/${item}?sysparm_fields=queue,assigned_to,state&${params}`);
    expect(one.json.result).toEqual(want);
    const listed = await get(
      `/api/now/table/awa_work_item?sysparm_query=sys_id=${item}&sysparm_fields=queue,assigned_to,state&${params}`,
    );
    expect(listed.json.result).toEqual([want]);
  });

  it('sends an empty reference as "" in every mode but all, where it is an empty {display_value, value}', async () => {
    await start();
    const item = await queued();
    for (const params of ['', 'sysparm_display_value=true', 'sysparm_exclude_reference_link=true']) {
      expect((await get(`/api/now/table/awa_work_item/${item}?${params}`)).json.result.assigned_to, params).toBe('');
    }
    expect(
      (await get(`/api/now/table/awa_work_item/${item}?sysparm_display_value=all`)).json.result.assigned_to,
    ).toEqual({ display_value: '', value: '' });
  });

  it('links to a record the Table API serves', async () => {
    await start();
    const item = await offered();
    const { link } = (await get(`/api/now/table/awa_work_item/${item}`)).json.result.assigned_to;
    const user = await call('', link, { method: 'GET' });
    expect(user.json.result).toMatchObject({ sys_id: routable()[0]!.sys_id, name: routable()[0]!.name });
  });

  it('describes every reference column with a table the Table API serves', () => {
    const targets = Object.values(TABLES).flatMap((t) =>
      Object.values(t.columns).flatMap((c) => (c.references ? [c.references] : [])),
    );
    expect(targets.length).toBeGreaterThanOrEqual(8);
    for (const t of targets) expect(Object.keys(TABLES)).toContain(t);
  });

  it('shows an interaction queue and assignee from its active work item', async () => {
    await start();
    await offered();
    const row = (
      await get(
        `/api/now/table/interaction/${interaction().sys_id}?sysparm_exclude_reference_link=true&sysparm_fields=number,queue,assigned_to`,
      )
    ).json.result;
    expect(row).toEqual({ number: interaction().number, queue: queue().sys_id, assigned_to: routable()[0]!.sys_id });
  });
});

describe('Table API fields and reads by id', () => {
  it('leaves out fields the table does not have and follows dot-walked ones', async () => {
    await start();
    const item = await offered();
    const row = (
      await get(
        `/api/now/table/awa_work_item/${item}?sysparm_fields=sys_id,nosuchfield,assigned_to.name,queue.name,queue.nosuch`,
      )
    ).json.result;
    expect(row).toEqual({ sys_id: item, 'assigned_to.name': routable()[0]!.name, 'queue.name': queue().name });
  });

  it('reads a work item by id with plain state, timed_out, rejected and its external_segment_id', async () => {
    await start();
    const item = await offered({ external_segment_id: 'CA-segment-1' });
    const row = (await get(`/api/now/table/awa_work_item/${item}`)).json.result;
    expect(row).toMatchObject({
      sys_id: item,
      state: 'pending_accept',
      timed_out: 'false',
      rejected: 'false',
      active: 'true',
      external_segment_id: 'CA-segment-1',
    });
    expect(Object.keys(row)).toEqual(Object.keys(TABLES.awa_work_item!.columns));
  });

  it('reads a work item by id without going through every work item', async () => {
    await start();
    const item = await offered();
    const scan = vi.spyOn(sim.engine.items.all, 'values');
    expect((await get(`/api/now/table/awa_work_item/${item}`)).json.result.sys_id).toBe(item);
    expect(scan).not.toHaveBeenCalled();
    await get('/api/now/table/awa_work_item');
    expect(scan).toHaveBeenCalledTimes(1);
  });

  it('answers a missing record with the platform 404 body', async () => {
    await start();
    for (const table of ['awa_work_item', 'awa_queue', 'no_such_table']) {
      const res = await get(`/api/now/table/${table}/${'f'.repeat(32)}`);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({
        error: { message: 'No Record found', detail: "Record doesn't exist or ACL restricts the record retrieval" },
        status: 'failure',
      });
    }
  });
});
