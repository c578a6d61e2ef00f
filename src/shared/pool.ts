/**
 * The offer pool: one prepared entry per planned iteration, made once in Node (with faker) and shared
 * read-only by every k6 VU. An entry holds what a CCaaS system decided; the request body is built from it
 * at send time, because offered_on must be measured against the clock when the request leaves.
 */
import type { ApiBoolean, OfferBody } from './api.js';
import { formatOfferedOn } from './time.js';

/** How booleans are written: CCaaS integrations send JSON booleans or, like the reference example, strings. */
export type BooleanStyle = 'json' | 'string';

export interface PoolEntry {
  readonly table: string;
  readonly document: string;
  /** awa_queue sys_id or its external id */
  readonly queue: string;
  readonly agent: string;
  readonly segment: string;
  /** how long the CCaaS router took before this request, milliseconds */
  readonly routingDelayMs: number;
  /** offer timeout in seconds; null means no limit */
  readonly timeout: number | null;
  readonly autoAssign: boolean;
  readonly allowedToDecline: boolean;
  readonly displayOption: string | null;
  readonly afterTimeoutPresence: string | null;
  readonly booleans: BooleanStyle;
  /** another routable agent and queue, for transfers and races */
  readonly peerAgent: string;
  readonly peerQueue: string;
  /** the interaction's channel and subject, for the Interaction API */
  readonly channel: string;
  readonly subject: string;
  /** three uniform draws in [0, 1) that scenarios turn into their own choices, so runs are reproducible */
  readonly dice: readonly [number, number, number];
}

export interface Pool {
  /** which generator made it, for the record */
  readonly seed: number;
  readonly entries: readonly PoolEntry[];
}

const bool = (value: boolean, style: BooleanStyle): ApiBoolean => (style === 'json' ? value : String(value));

/** The Offer Work body for a pool entry sent at `nowMs` (epoch milliseconds). */
export function offerBody(e: PoolEntry, nowMs: number): OfferBody {
  const assignment: OfferBody['assignment'] = {
    agent_sys_id: e.agent,
    allowed_to_decline: bool(e.allowedToDecline, e.booleans),
    enable_auto_assign: bool(e.autoAssign, e.booleans),
  };
  if (e.displayOption !== null) assignment.display_option = e.displayOption;
  if (e.timeout !== null) {
    assignment.timeout = e.timeout;
    assignment.offered_on = formatOfferedOn(nowMs - e.routingDelayMs);
    if (e.afterTimeoutPresence !== null) assignment.after_timeout_presence = e.afterTimeoutPresence;
  }
  return { external_segment_id: e.segment, queue_id: e.queue, assignment };
}
