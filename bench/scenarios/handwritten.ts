/**
 * Benchmark peer: the k6 script a performance engineer would write in an afternoon for offerload's job. It
 * makes its own data (documents, available agents and queues read from the target once, in setup), posts
 * an offer per iteration, JSON.parses every answer and counts each outcome with a tagged Counter and a
 * tagged Trend per reason. Deliberately no offerload code: this is what offerload is compared against.
 */
import encoding from 'k6/encoding';
import http from 'k6/http';
import { Counter, Trend } from 'k6/metrics';

const target = __ENV.OFFERLOAD_TARGET;
const headers = {
  'Content-Type': 'application/json',
  Accept: 'application/json',
  Authorization: `Basic ${encoding.b64encode(`${__ENV.OFFERLOAD_USERNAME}:${__ENV.OFFERLOAD_PASSWORD}`)}`,
};
const offers = new Counter('offers');
const offerMs = new Trend('offer_ms', true);
// 409s are the API answering as documented, not failed requests
const params = { headers, tags: { name: 'offer' }, responseCallback: http.expectedStatuses(200, 409) };

// the documented conflict messages, by the text an engineer would match
const CONFLICTS: [string, string][] = [
  ['Agent is not available', 'agent_unavailable'],
  ['is not a valid agent', 'invalid_agent'],
  ['is already assigned', 'already_assigned'],
  ['accepted can not be assigned', 'accepted_work_item'],
  ['Document is not active', 'document_inactive'],
  ['awa_external_user', 'missing_external_user_role'],
];

interface Data {
  documents: { table: string; sys_id: string }[];
  agents: string[];
  queues: string[];
}

export function setup(): Data {
  const fx = http.get(`${target}/sim/fixtures`).json() as any;
  return {
    documents: fx.documents.map((d: any) => ({ table: d.table, sys_id: d.sys_id })),
    agents: fx.agents.filter((a: any) => a.presence === 'Available').map((a: any) => a.sys_id),
    queues: fx.queues.map((q: any) => q.sys_id),
  };
}

const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

function reasonOf(res: http.RefinedResponse<'text'>): string {
  let body: any;
  try {
    body = JSON.parse(res.body as string);
  } catch {
    return res.status === 0 ? 'network_error' : 'unparseable';
  }
  if (res.status === 200 && body.result && body.result.success === true) return 'success';
  if (res.status === 409) {
    const message: string = body.error?.message || body.result?.message || '';
    for (const [text, reason] of CONFLICTS) if (message.indexOf(text) >= 0) return reason;
    return 'conflict_other';
  }
  return `http_${res.status}`;
}

export default function (data: Data): void {
  const doc = pick(data.documents);
  const body = JSON.stringify({
    external_segment_id: `segment_${Math.floor(Math.random() * 1e9)}`,
    queue_id: pick(data.queues),
    assignment: {
      agent_sys_id: pick(data.agents),
      allowed_to_decline: true,
      enable_auto_assign: false,
      timeout: 30,
      offered_on: new Date(Date.now() - 200).toISOString().slice(0, 23),
    },
  });
  const res = http.post(
    `${target}/api/now/awa/documents/${doc.table}/${doc.sys_id}/offer`,
    body,
    params,
  ) as http.RefinedResponse<'text'>;
  const reason = reasonOf(res);
  offers.add(1, { reason });
  offerMs.add(res.timings.duration, { reason });
}
