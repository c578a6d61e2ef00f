/**
 * A generated fuzz run against the real simulator over HTTP: thousands of malformed, mistyped, oversized,
 * misrouted requests. The simulator must stay up, answer every one with a documented error in an error
 * envelope (or a success for the few valid ones), and keep its invariants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV, basic, TEST_USER } from '../../../test/helpers/sim-client.js';
import { simConfig } from './config.js';
import { checkInvariants } from './platform/invariants.js';
import { seededRandom } from './platform/random.js';
import { startSimulator, type Simulator } from './http/server.js';

const REQUESTS = 4000;
const DOCUMENTED_STATUSES = new Set([200, 201, 400, 401, 403, 404, 405, 409, 413, 415, 500]);
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator(
    simConfig({ capacity: { fast: true }, maxBodyBytes: 64 * 1024, fixtures: { documents: 300 } }, ENV),
  );
});
afterAll(async () => sim.close());

type Req = { method: string; path: string; body: string | undefined; contentType: string; auth: string | undefined };

function generator(seed: number): () => Req {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const docs = () => [...sim.engine.world.documents.values()];
  const agents = () => [...sim.engine.world.agents.values()];
  const weird: unknown[] = [
    null,
    true,
    false,
    0,
    -1,
    1e308,
    'yes',
    'maybe',
    '',
    '   ',
    [],
    {},
    [1, 2],
    { a: { b: {} } },
    '💥',
    '<x>',
    'x'.repeat(5000),
    NaN,
  ];
  const valid = () => {
    const d = pick(docs());
    return {
      path: `/api/now/awa/documents/${d.table}/${d.sys_id}/offer`,
      body: { queue_id: [...sim.engine.world.queues.keys()][0], assignment: { agent_sys_id: pick(agents()).sys_id } },
    };
  };
  const mutateBody = (b: Record<string, any>): Record<string, any> => {
    const copy = JSON.parse(JSON.stringify(b)) as Record<string, any>;
    const fields = [
      'queue_id',
      'external_segment_id',
      'assignment',
      'transfer',
      'assignment.agent_sys_id',
      'assignment.timeout',
      'assignment.offered_on',
      'assignment.enable_auto_assign',
      'assignment.allowed_to_decline',
      'assignment.display_option',
      'assignment.after_timeout_presence',
      'transfer.target_type',
      'transfer.transfer_type',
      'transfer.target_id',
      'unknown_field',
    ];
    for (let i = 0; i < 1 + Math.floor(r() * 3); i++) {
      const f = pick(fields).split('.');
      let at: Record<string, any> = copy;
      if (f.length === 2)
        at =
          typeof copy[f[0]!] === 'object' && copy[f[0]!] !== null && !Array.isArray(copy[f[0]!])
            ? copy[f[0]!]
            : (copy[f[0]!] = {});
      const w = pick(weird);
      at[f.at(-1)!] = typeof w === 'object' && w !== null ? JSON.parse(JSON.stringify(w)) : w;
    }
    return copy;
  };
  const PATHS = [
    '/api/now/awa/documents/interaction//offer',
    '/api/now/awa/documents/../../etc/passwd/offer',
    '/api/now/v99/awa/documents/x/y/offer',
    '/api/now/awa',
    '/api/now/table/nope',
    '/api/now/interaction/zzz/close',
    '/api/%00/x',
    '/sim/nothing',
    '/',
  ];
  const CTYPES = [
    'application/json',
    'application/xml',
    'text/plain',
    'application/json; charset=utf-8',
    'multipart/form-data',
    '',
  ];
  return () => {
    const base = valid();
    const kind = r();
    const auth =
      r() < 0.05 ? undefined : r() < 0.03 ? basic('itil.user', 'itil.user') : basic(TEST_USER.name, TEST_USER.password);
    if (kind < 0.35)
      return {
        method: 'POST',
        path: base.path,
        body: JSON.stringify(mutateBody(base.body)),
        contentType: 'application/json',
        auth,
      };
    if (kind < 0.5)
      return {
        method: 'POST',
        path: base.path,
        body: JSON.stringify(base.body).slice(0, Math.floor(r() * 40)),
        contentType: 'application/json',
        auth,
      };
    if (kind < 0.6)
      return {
        method: 'POST',
        path: base.path,
        body: pick([
          '<request><assignment><agent_sys_id>',
          '<a><b></a>',
          '<?xml version="1.0"?><request/>',
          '<request>&bogus;</request>',
          'not xml at all',
        ]),
        contentType: 'application/xml',
        auth,
      };
    if (kind < 0.68)
      return { method: 'POST', path: base.path, body: 'x'.repeat(70 * 1024), contentType: 'application/json', auth };
    if (kind < 0.78)
      return {
        method: pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']),
        path: base.path,
        body: undefined,
        contentType: 'application/json',
        auth,
      };
    if (kind < 0.88)
      return { method: 'POST', path: pick(PATHS), body: JSON.stringify(base.body), contentType: pick(CTYPES), auth };
    if (kind < 0.94)
      return { method: 'POST', path: base.path, body: JSON.stringify(base.body), contentType: pick(CTYPES), auth };
    return { method: 'POST', path: base.path, body: JSON.stringify(base.body), contentType: 'application/json', auth };
  };
}

/** Whether a body is a documented answer: an error envelope, a result object, or JSON/XML with a message. */
function documented(status: number, text: string): boolean {
  if (text.startsWith('<?xml')) return /<message>|<result>/.test(text);
  try {
    const j = JSON.parse(text) as { error?: { message?: unknown }; result?: unknown; status?: string };
    if (status < 300) return j.result !== undefined;
    return (
      typeof j.error?.message === 'string' ||
      (typeof j.result === 'object' && j.result !== null && 'message' in j.result)
    );
  } catch {
    return false;
  }
}

describe('simulator fuzz', () => {
  it(`answers ${REQUESTS} generated malformed requests with documented errors, stays up, keeps its invariants`, async () => {
    const next = generator(20261130);
    const statuses = new Map<number, number>();
    const undocumented: string[] = [];
    let sent = 0;
    const worker = async (): Promise<void> => {
      while (sent < REQUESTS) {
        sent++;
        const q = next();
        const headers: Record<string, string> = { Accept: 'application/json' };
        if (q.contentType) headers['Content-Type'] = q.contentType;
        if (q.auth) headers.Authorization = q.auth;
        const res = await fetch(sim.url + q.path, {
          method: q.method,
          headers,
          body: q.method === 'GET' || q.method === 'OPTIONS' ? undefined : q.body,
        });
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (!DOCUMENTED_STATUSES.has(res.status) || !documented(res.status, text))
          undocumented.push(`${q.method} ${q.path} -> ${res.status} ${text.slice(0, 120)}`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(undocumented.slice(0, 5)).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(REQUESTS);
    // every kind of refusal was exercised
    for (const s of [400, 401, 404, 405, 413, 415]) expect(statuses.get(s) ?? 0, `status ${s}`).toBeGreaterThan(10);
    expect((await fetch(`${sim.url}/sim/health`)).status).toBe(200);
    expect(checkInvariants(sim.engine).violations).toEqual([]);
  }, 120_000);
});
