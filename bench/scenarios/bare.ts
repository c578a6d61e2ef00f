/**
 * Benchmark baseline only: a bare k6 script posting one fixed valid offer body, authenticated as offer-burst
 * is (a request the simulator refuses with 401 costs it far less than an offer, which would flatter the baseline).
 * With BARE_RATE it runs at a constant arrival rate instead (the added-latency bench): it then names its run
 * (X-Offerload-Testid, BARE_TESTID) so the simulator keeps its own times per run, and records per request
 * what k6 measured beyond the simulator's own time (its X-Offerload-Sim-Ms header) as `bench_added_ms`.
 */
import encoding from 'k6/encoding';
import http from 'k6/http';
import { Trend } from 'k6/metrics';

const body = JSON.stringify({
  queue_id: __ENV.BARE_QUEUE,
  external_segment_id: 'segment_bench',
  assignment: { agent_sys_id: __ENV.BARE_AGENT, allowed_to_decline: true, enable_auto_assign: false },
});
const url = `${__ENV.OFFERLOAD_TARGET}/api/now/awa/documents/interaction/${__ENV.BARE_DOCUMENT}/offer`;
const headers: Record<string, string> = {
  'Content-Type': 'application/json',
  Authorization: `Basic ${encoding.b64encode(`${__ENV.OFFERLOAD_USERNAME}:${__ENV.OFFERLOAD_PASSWORD}`)}`,
};

const rate = Number(__ENV.BARE_RATE ?? 0);
if (rate > 0) headers['X-Offerload-Testid'] = __ENV.BARE_TESTID ?? 'bench-bare';
export const options =
  rate > 0
    ? {
        scenarios: {
          timed: {
            executor: 'constant-arrival-rate',
            exec: 'timed',
            rate,
            timeUnit: '1s',
            duration: __ENV.BARE_DURATION ?? '10s',
            preAllocatedVUs: Number(__ENV.BARE_PRE_VUS ?? 50),
            maxVUs: Number(__ENV.BARE_MAX_VUS ?? 200),
          },
        },
      }
    : {};

export default function (): void {
  http.post(url, body, { headers, tags: { name: 'offer' } });
}

const added = new Trend('bench_added_ms', true);
const params = { headers, tags: { name: 'offer' } };

/** One offer, and what k6's duration holds beyond the simulator's own time on it (paired per request). */
export function timed(): void {
  const res = http.post(url, body, params);
  const simMs = Number(res.headers['X-Offerload-Sim-Ms']);
  if (Number.isFinite(simMs)) added.add(res.timings.duration - simMs);
}
