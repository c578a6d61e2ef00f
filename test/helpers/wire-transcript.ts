/**
 * What the simulator puts on the wire for a fixed script of requests: status, headers and body text of each,
 * with the values that vary run to run (Date, the listening port, the simulator's own timings) taken out.
 * A restructuring of the simulator must leave this transcript as it was (test/fixtures/sim-wire/).
 */
import { ManualClock } from '../../src/node/sim/platform/clock.js';
import { simConfig } from '../../src/node/sim/config.js';
import { startSimulator } from '../../src/node/sim/http/server.js';
import { basic, TEST_USER } from './sim-client.js';

export interface WireExchange {
  readonly name: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0, 0);
const AUTH = basic(TEST_USER.name, TEST_USER.password);
const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: AUTH };
const VARYING = new Set(['date', 'connection', 'keep-alive', 'x-offerload-sim-ms']);

interface Step {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** Runs the script against a simulator started in-process with a manual clock; returns every exchange. */
export async function wireTranscript(): Promise<WireExchange[]> {
  const clock = new ManualClock(T0);
  const config = simConfig(
    {
      seed: 7,
      capacity: { fast: true },
      agents: { mode: 'external' },
      maxBodyBytes: 4096,
      rateLimit: { enabled: true, requestsPerHour: 1000 },
      users: [
        { user_name: 'itil.user', password: 'itil.user', roles: ['itil'] },
        {
          user_name: 'oauth.client',
          client_id: 'wire-client',
          client_secret: 'wire-secret',
          roles: ['awa_integration_user'],
        },
      ],
    },
    { OFFERLOAD_USERNAME: TEST_USER.name, OFFERLOAD_PASSWORD: TEST_USER.password },
  );
  const sim = await startSimulator(config, clock);
  try {
    const world = sim.engine.world;
    const docs = [...world.documents.values()].filter((d) => d.active);
    const agents = [...world.agents.values()].filter(
      (a) =>
        a.roles.includes('awa_agent') &&
        a.roles.includes('awa_external_user') &&
        world.presence.get(a.presence)?.available,
    );
    const queue = [...world.queues.values()][0]!.sys_id;
    const offerPath = (i: number) => `/api/now/awa/documents/${docs[i]!.table}/${docs[i]!.sys_id}/offer`;
    const offer = (agent: number, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        queue_id: queue,
        external_segment_id: 'wire',
        assignment: { agent_sys_id: agents[agent]!.sys_id, ...extra },
      });
    const post = (name: string, path: string, body: string, headers: Record<string, string> = {}): Step => ({
      name,
      method: 'POST',
      path,
      body,
      headers: { ...JSON_HEADERS, ...headers },
    });
    const get = (name: string, path: string, headers: Record<string, string> = {}): Step => ({
      name,
      method: 'GET',
      path,
      headers: { ...JSON_HEADERS, ...headers },
    });
    const steps: Step[] = [
      post('offer', offerPath(0), offer(0)),
      post('offer again: already assigned', offerPath(0), offer(1)),
      post('offer answered in XML', offerPath(1), offer(2), { Accept: 'application/xml' }),
      post(
        'offer with an XML body',
        offerPath(2),
        `<request><queue_id>${queue}</queue_id><assignment><agent_sys_id>${agents[3]!.sys_id}</agent_sys_id></assignment></request>`,
        { 'Content-Type': 'application/xml' },
      ),
      post('offer with an unsupported body type', offerPath(3), 'queue_id=x', { 'Content-Type': 'text/plain' }),
      post('offer without credentials', offerPath(3), offer(4), { Authorization: '' }),
      post('offer with wrong credentials', offerPath(3), offer(4), { Authorization: basic(TEST_USER.name, 'wrong') }),
      post('offer by a caller without the role', offerPath(3), offer(4), {
        Authorization: basic('itil.user', 'itil.user'),
      }),
      post('offer for an unknown document', `/api/now/awa/documents/interaction/${'f'.repeat(32)}/offer`, offer(4)),
      post('offer with a missing agent', offerPath(4), JSON.stringify({ queue_id: queue, assignment: {} })),
      post('offer with a body too large', offerPath(4), JSON.stringify({ pad: 'x'.repeat(5000) })),
      post('offer with malformed JSON', offerPath(4), '{"queue_id":'),
      get('offer route with GET', offerPath(4)),
      get('unknown platform path', '/api/now/nothing/here'),
      get('agent', `/api/now/awa/agents/${agents[5]!.sys_id}`),
      get('agent presence states', `/api/now/awa/agents/${agents[5]!.sys_id}/presence_states`),
      get('unknown agent', `/api/now/awa/agents/${'0'.repeat(32)}`),
      post('interaction create', '/api/now/interaction', JSON.stringify({ channel: 'chat', queue })),
      post('inbox accept without agent', '/api/now/awa/inbox/actions/accept', JSON.stringify({})),
      {
        name: 'consult end without consult',
        method: 'PUT',
        path: '/api/now/awa/consult/end',
        headers: JSON_HEADERS,
        body: JSON.stringify({ work_item_id: '1'.repeat(32), hand_over: true }),
      },
      get('table awa_queue', '/api/now/table/awa_queue?sysparm_limit=2&sysparm_fields=sys_id,name'),
      get(
        'table awa_work_item by query',
        '/api/now/table/awa_work_item?sysparm_query=state%3Dpending_accept&sysparm_fields=sys_id,state&sysparm_limit=5',
      ),
      post(
        'oauth token refused',
        '/oauth_token.do',
        'grant_type=client_credentials&client_id=wire-client&client_secret=no',
        { 'Content-Type': 'application/x-www-form-urlencoded' },
      ),
      post('sim route unknown', '/sim/nothing', '{}'),
      {
        name: 'sim faults: all errors',
        method: 'PUT',
        path: '/sim/faults',
        headers: JSON_HEADERS,
        body: JSON.stringify({ errorShare: 1 }),
      },
      post('offer during an error fault', offerPath(5), offer(6)),
      {
        name: 'sim faults: none',
        method: 'PUT',
        path: '/sim/faults',
        headers: JSON_HEADERS,
        body: JSON.stringify({ errorShare: 0 }),
      },
      get('sim stats', '/sim/stats'),
      get('sim invariants', '/sim/invariants'),
    ];
    const out: WireExchange[] = [];
    for (const s of steps) {
      const headers = Object.fromEntries(Object.entries(s.headers ?? {}).filter(([, v]) => v !== ''));
      const res = await fetch(sim.url + s.path, { method: s.method, headers, body: s.body });
      const kept: Record<string, string> = {};
      for (const [k, v] of res.headers) if (!VARYING.has(k)) kept[k] = v.replaceAll(sim.url, 'http://SIM');
      const setCookies = res.headers.getSetCookie();
      if (setCookies.length) kept['set-cookie'] = setCookies.join(' | ');
      out.push({
        name: s.name,
        status: res.status,
        headers: kept,
        body: (await res.text()).replaceAll(sim.url, 'http://SIM'),
      });
      clock.advance(250);
    }
    return out;
  } finally {
    await sim.close();
  }
}

// `npx tsx test/helpers/wire-transcript.ts --write` records the transcript the wire test compares with
if (process.argv[1]?.endsWith('wire-transcript.ts') && process.argv.includes('--write')) {
  const { writeFileSync } = await import('node:fs');
  const file = new URL('../fixtures/sim-wire/transcript.json', import.meta.url);
  writeFileSync(file, `${JSON.stringify(await wireTranscript(), null, 1)}\n`);
  process.stdout.write(`${file.pathname}\n`);
}
