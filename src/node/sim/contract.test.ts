/**
 * The contract table: every documented message, provoked through real HTTP, in both failure envelopes and
 * in JSON and XML; checked for exact text and status, and read back by the classifier to the same outcome.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, call, ENV, QUIET, TEST_USER } from '../../../test/helpers/sim-client.js';
import {
  CATALOGUE,
  formatMessage,
  OFFER_MESSAGES,
  type OfferMessageCode,
  type PlatformMessageCode,
} from '../../shared/messages.js';
import { classify } from '../../shared/outcome.js';
import { formatOfferedOn } from '../../shared/time.js';
import { ManualClock } from './platform/clock.js';
import { simConfig, type FailureEnvelope } from './config.js';
import { callerSysId } from './auth.js';
import { isRoutableAgent } from './platform/fixtures.js';
import { startSimulator, type Simulator } from './http/server.js';

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0, 0);

interface Provoked {
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly auth?: string | null;
  readonly values?: Record<string, string>;
}

/** A fresh document each time, so cases never disturb each other. */
class Cases {
  private next = 0;
  constructor(private readonly sim: Simulator) {}
  private get world() {
    return this.sim.engine.world;
  }
  doc(): { table: string; sys_id: string } {
    return [...this.world.documents.values()].filter((d) => d.active)[this.next++]!;
  }
  path(d = this.doc()): string {
    return `/api/now/awa/documents/${d.table}/${d.sys_id}/offer`;
  }
  agent(i = 0, available = true): string {
    return [...this.world.agents.values()].filter(
      (a) => isRoutableAgent(a) && this.world.presence.get(a.presence)!.available === available,
    )[i]!.sys_id;
  }
  user(roles: string): string {
    return [...this.world.agents.values()].find((a) => a.roles.join(',') === roles)!.sys_id;
  }
  queue(): string {
    return [...this.world.queues.values()][0]!.sys_id;
  }
  offer(agent: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      queue_id: this.queue(),
      external_segment_id: 'segment_contract',
      assignment: { agent_sys_id: agent, ...extra },
    };
  }
}

/** How to provoke each message; `before` runs first, through HTTP as well. */
/** The Offer Work and platform messages provoked here; the quota, sessions and neighbouring APIs have their own tests. */
type Provokable = Exclude<OfferMessageCode | PlatformMessageCode, 'transaction_cancelled' | 'session_busy'>;

const PROVOKE: Record<Provokable, (c: Cases, send: (p: Provoked) => Promise<unknown>) => Promise<Provoked>> = {
  success: async (c) => ({ path: c.path(), body: c.offer(c.agent()) }),
  caller_role: async (c) => ({
    path: c.path(),
    body: c.offer(c.agent()),
    auth: basic('itil.user', 'itil.user'),
    values: { caller: callerSysId({ user_name: 'itil.user', roles: [] }) },
  }),
  accepted_work_item: async (c, send) => {
    const path = c.path();
    await send({ path, body: c.offer(c.agent(0), { enable_auto_assign: true }) });
    return { path, body: c.offer(c.agent(1)) };
  },
  invalid_agent: async (c) => {
    const user = c.user('itil,awa_manager');
    return { path: c.path(), body: c.offer(user), values: { agent: user } };
  },
  blind_transfer_failed: async (c) => ({
    path: c.path(),
    body: {
      transfer: {
        source_queue_id: c.queue(),
        target_id: c.agent(0, false),
        target_type: 'agent',
        transfer_type: 'blind',
      },
    },
  }),
  already_assigned: async (c, send) => {
    const path = c.path();
    await send({ path, body: c.offer(c.agent(0)) });
    return { path, body: c.offer(c.agent(1)), values: { agent: c.agent(0) } };
  },
  agent_unavailable: async (c) => ({ path: c.path(), body: c.offer(c.agent(0, false)) }),
  negative_timeout: async (c) => ({ path: c.path(), body: c.offer(c.agent(), { timeout: -1 }) }),
  invalid_presence_state: async (c) => ({
    path: c.path(),
    body: c.offer(c.agent(), { timeout: 30, after_timeout_presence: 'on_break' }),
    values: { presence: 'on_break' },
  }),
  offered_on_format: async (c) => ({
    path: c.path(),
    body: c.offer(c.agent(), { timeout: 30, offered_on: '2026/11/30 12:00' }),
    values: { offered_on: '2026/11/30 12:00' },
  }),
  offered_on_future: async (c) => {
    const at = formatOfferedOn(T0 + 5_000);
    return { path: c.path(), body: c.offer(c.agent(), { timeout: 30, offered_on: at }), values: { offered_on: at } };
  },
  offered_on_expired: async (c) => {
    const at = formatOfferedOn(T0 - 60_000);
    return { path: c.path(), body: c.offer(c.agent(), { timeout: 30, offered_on: at }), values: { offered_on: at } };
  },
  invalid_display_option: async (c) => ({
    path: c.path(),
    body: c.offer(c.agent(), { display_option: 'popup', enable_auto_assign: true }),
    values: { display_option: 'popup' },
  }),
  invalid_boolean: async (c) => ({
    path: c.path(),
    body: c.offer(c.agent(), { allowed_to_decline: 'maybe' }),
    values: { value: 'maybe' },
  }),
  missing_external_user_role: async (c) => ({ path: c.path(), body: c.offer(c.user('awa_agent')) }),
  document_inactive: async (c, send) => {
    const d = c.doc();
    await send({ path: `/api/now/interaction/${d.sys_id}/close`, body: {} });
    return { path: c.path(d), body: c.offer(c.agent()) };
  },
  unauthorized: async (c) => ({ path: c.path(), body: c.offer(c.agent()), auth: null }),
  rate_limited: async () => {
    throw new Error('rate limits have their own test');
  },
  not_found: async (c) => ({
    path: `/api/now/awa/documents/interaction/${'0'.repeat(32)}/offer`,
    body: c.offer(c.agent()),
  }),
};

const xml = new XMLBuilder({ ignoreAttributes: true });

type Format = 'json' | 'xml';
const codes = (Object.keys(PROVOKE) as Provokable[]).filter((c) => c !== 'rate_limited');
const rows = (['error', 'result'] as FailureEnvelope[]).flatMap((envelope) =>
  (['json', 'xml'] as Format[]).flatMap((format) => codes.map((code) => ({ code, envelope, format }))),
);

const sims = new Map<string, { sim: Simulator; cases: Cases }>();

beforeAll(async () => {
  for (const envelope of ['error', 'result'] as const) {
    for (const validationStatus of [400, 500] as const) {
      const sim = await startSimulator(
        simConfig({ ...QUIET, envelope, validationStatus, fixtures: { documents: 400 } }, ENV),
        new ManualClock(T0),
      );
      sims.set(`${envelope}/${validationStatus}`, { sim, cases: new Cases(sim) });
    }
  }
});
afterAll(async () => {
  for (const { sim } of sims.values()) await sim.close();
});

async function provokeAndSend(key: string, code: Provokable, format: Format) {
  const { sim, cases } = sims.get(key)!;
  const send = async (p: Provoked) => {
    const headers: Record<string, string> =
      format === 'xml' ? { 'Content-Type': 'application/xml', Accept: 'application/xml' } : {};
    const body = format === 'xml' ? xml.build({ request: p.body }) : p.body;
    return call(sim.url, p.path, { body, headers, auth: p.auth });
  };
  const p = await PROVOKE[code](cases, send);
  return { res: await send(p), values: p.values ?? {} };
}

function messageOf(format: Format, res: { json: any; text: string }): string {
  if (format === 'json') return res.json.error?.message ?? res.json.result?.message;
  return /<message>([\s\S]*?)<\/message>/
    .exec(res.text)![1]!
    .replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

describe('simulator contract: every documented message', () => {
  it('has a row for every Offer Work message in both envelopes and both formats', () => {
    expect(Object.keys(OFFER_MESSAGES).every((c) => (codes as string[]).includes(c))).toBe(true);
    expect(rows).toHaveLength(codes.length * 4);
  });

  it.each(rows)('$code, $envelope envelope, $format', async ({ code, envelope, format }) => {
    const { res, values } = await provokeAndSend(`${envelope}/400`, code, format);
    expect(messageOf(format, res)).toBe(formatMessage(code, values));
    expect(res.status).toBe(CATALOGUE[code].status);
    expect(res.contentType).toBe(format === 'xml' ? 'application/xml' : 'application/json');
    // the platform's 401 always uses its error envelope; the API's own failures follow the switch
    const platformOwned = code === 'unauthorized';
    if (format === 'json' && code !== 'success') {
      if (envelope === 'error' || platformOwned)
        expect(res.json).toMatchObject({ error: { message: expect.any(String) }, status: 'failure' });
      else expect(res.json).toMatchObject({ result: { success: false, message: expect.any(String) } });
    }
    expect(classify({ status: res.status, body: res.text, contentType: res.contentType })).toBe(code);
  });

  it.each(codes.filter((c) => CATALOGUE[c].outcomeClass === 'validation'))(
    'answers %s with 500 under the validation-status switch',
    async (code) => {
      const { res } = await provokeAndSend('error/500', code, 'json');
      expect(res.status).toBe(500);
      expect(classify({ status: res.status, body: res.text, contentType: res.contentType })).toBe(code);
    },
  );
});

describe('simulator contract: requests the platform refuses before the API', () => {
  const first = () => sims.get('error/400')!;

  it('answers 415 for an unsupported Content-Type', async () => {
    const { sim, cases } = first();
    const res = await call(sim.url, cases.path(), { body: 'agent=1', headers: { 'Content-Type': 'text/plain' } });
    expect(res.status).toBe(415);
  });

  it('answers JSON when Accept asks for something it does not speak', async () => {
    const { sim, cases } = first();
    const res = await call(sim.url, cases.path(), {
      body: cases.offer(cases.agent()),
      headers: { Accept: 'text/csv' },
    });
    expect(res.contentType).toBe('application/json');
    expect(res.status).toBe(200);
  });

  it('answers 400 for malformed JSON and keeps serving', async () => {
    const { sim, cases } = first();
    expect((await call(sim.url, cases.path(), { body: '{"queue_id": ' })).status).toBe(400);
    expect((await call(sim.url, cases.path(), { body: cases.offer(cases.agent()) })).status).toBe(200);
  });

  it('answers 404 with the platform body for a path that names no resource', async () => {
    const { sim } = first();
    const res = await call(sim.url, '/api/now/awa/nothing/here');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({
      error: { message: 'No Record found', detail: "Record doesn't exist or ACL restricts the record retrieval" },
      status: 'failure',
    });
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('answers 405 for %s on the offer route', async (method) => {
    const { sim, cases } = first();
    const res = await call(sim.url, cases.path(), { method, body: method === 'GET' ? undefined : {} });
    expect(res.status).toBe(405);
  });

  it('accepts a bearer token for the integration user', async () => {
    const sim = await startSimulator(simConfig(QUIET, { OFFERLOAD_TOKEN: 'tok-123' }), new ManualClock(T0));
    const cases = new Cases(sim);
    expect(
      (await call(sim.url, cases.path(), { body: cases.offer(cases.agent()), auth: 'Bearer tok-123' })).status,
    ).toBe(200);
    expect((await call(sim.url, cases.path(), { body: cases.offer(cases.agent()), auth: 'Bearer nope' })).status).toBe(
      401,
    );
    await sim.close();
  });

  it.each([
    [true, 'yes', '1', 1],
    [false, 'no', '0', 0],
  ])('reads %s, %s, %s and %s as the same boolean', async (...forms) => {
    const { sim, cases } = first();
    for (const form of forms) {
      const res = await call(sim.url, cases.path(), { body: cases.offer(cases.agent(), { enable_auto_assign: form }) });
      expect(res.status).toBe(200);
      const item = sim.engine.items.all.get(res.json.result.work_item.sys_id)!;
      expect(item.state).toBe(forms[0] === true ? 'accepted' : 'pending_accept');
    }
  });
});

void TEST_USER;
