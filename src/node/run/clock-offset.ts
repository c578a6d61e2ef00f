/**
 * The target's clock against this machine's, from its Date headers (RFC 9110: whole seconds). A header saying
 * second D was stamped while the target's clock read D to D + 1 s, somewhere between the request leaving and its
 * answer arriving, so each answer bounds the offset (target minus local) to [D - received, D + 1000 - sent].
 * Requests spread over a little more than a second fall on every phase of the second, and the intersection of
 * their bounds narrows to about the spacing plus the round trip (as htpdate does). The requests carry no
 * credentials and change nothing: an unauthenticated read that the target refuses still carries its Date.
 */
import { WIRE_HEADERS } from '../../shared/wire.js';

export interface ClockOffset {
  /** target's clock minus this machine's, ms: the middle of the bounds */
  readonly offset_ms: number;
  /** the bounds every answer agreed on, ms */
  readonly low_ms: number;
  readonly high_ms: number;
  readonly samples: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Measures the offset with `samples` requests `spacingMs` apart; undefined when the target sends no Date headers
 * or their bounds disagree (a proxy that caches or rewrites them).
 */
export async function measureClockOffset(
  targetUrl: string,
  testid: string,
  samples = 24,
  spacingMs = 50,
): Promise<ClockOffset | undefined> {
  let low = Number.NEGATIVE_INFINITY;
  let high = Number.POSITIVE_INFINITY;
  let seen = 0;
  for (let i = 0; i < samples; i++) {
    if (i > 0) await sleep(spacingMs);
    const sent = Date.now();
    const res = await fetch(`${targetUrl}/api/now/table/awa_work_item?sysparm_limit=1&sysparm_fields=sys_id`, {
      headers: { Accept: 'application/json', [WIRE_HEADERS.testid]: testid },
      signal: AbortSignal.timeout(5000),
    }).catch(() => undefined);
    const received = Date.now();
    if (!res) continue;
    await res.body?.cancel();
    const date = Date.parse(res.headers.get('date') ?? '');
    if (Number.isNaN(date)) continue;
    low = Math.max(low, date - received);
    high = Math.min(high, date + 1000 - sent);
    seen++;
  }
  if (seen === 0 || low > high) return undefined;
  return { offset_ms: Math.round((low + high) / 2), low_ms: low, high_ms: high, samples: seen };
}
