/**
 * Benchmark baseline only: a bare k6 script posting one fixed valid offer body, authenticated as offer-burst
 * is (a request the simulator refuses with 401 costs it far less than an offer, which would flatter the baseline).
 */
import encoding from 'k6/encoding';
import http from 'k6/http';

const body = JSON.stringify({
  queue_id: __ENV.BARE_QUEUE,
  external_segment_id: 'segment_bench',
  assignment: { agent_sys_id: __ENV.BARE_AGENT, allowed_to_decline: true, enable_auto_assign: false },
});
const url = `${__ENV.OFFERLOAD_TARGET}/api/now/awa/documents/interaction/${__ENV.BARE_DOCUMENT}/offer`;
const headers = { 'Content-Type': 'application/json', Authorization: `Basic ${encoding.b64encode(`${__ENV.OFFERLOAD_USERNAME}:${__ENV.OFFERLOAD_PASSWORD}`)}` };

export default function (): void {
  http.post(url, body, { headers, tags: { name: 'offer' } });
}
