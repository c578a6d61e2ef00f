/** Benchmark baseline only: a bare k6 script posting one fixed valid offer body. */
import http from 'k6/http';

const body = JSON.stringify({
  queue_id: __ENV.BARE_QUEUE,
  external_segment_id: 'segment_bench',
  assignment: { agent_sys_id: __ENV.BARE_AGENT, allowed_to_decline: true, enable_auto_assign: false },
});
const url = `${__ENV.OFFERLOAD_TARGET}/api/now/awa/documents/interaction/${__ENV.BARE_DOCUMENT}/offer`;

export default function (): void {
  http.post(url, body, { headers: { 'Content-Type': 'application/json' }, tags: { name: 'offer' } });
}
