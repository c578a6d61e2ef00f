/**
 * What success looks like on each route, as the platform documents it (awa-offer-work-api.md,
 * neighbour-apis.md). A 2xx alone is never success: a transaction cancelled by the quota answers 200, a
 * session past its max waiters answers 202, and a hibernating instance or a login redirect answers 200 with
 * an HTML page. The classifier calls a 2xx a success only when its body has the documented shape. And every
 * operation a scenario sends names its route's shape here, in one table.
 */

import { MESSAGE_TABLE } from './message-table.js';

/** Checks a parsed JSON body. Plain property reads: this runs once per response in k6. */
export type ShapeCheck = (doc: any) => boolean;

const OFFER_SUCCESS = MESSAGE_TABLE.success;
const CONSULT_ENDED = MESSAGE_TABLE.consultEnded;
const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): boolean => typeof v === 'string' && v.length > 0;

export const SUCCESS_SHAPES = {
  /** Offer Work: result.success true with the documented message */
  offer: (d) => d?.result?.success === true && d.result.message === OFFER_SUCCESS,
  /** Interaction API create: the new record with its sys_id and state */
  interaction: (d) => isId(d?.result?.sys_id) && typeof d.result.state === 'string',
  /** Interaction API close: the record in state closed_complete */
  interaction_closed: (d) => d?.result?.state === 'closed_complete',
  /** Inbox Actions accept: the document the work item is for */
  inbox_accept: (d) => isId(d?.result?.documentSysId) && isId(d.result.documentTable),
  /** Inbox Actions reject: the three ids echoed */
  inbox_reject: (d) => isId(d?.result?.work_item_id) && isId(d.result.agent_id) && isId(d.result.reject_reason_id),
  /** Agent Consult end: result.success true with the documented message */
  consult_end: (d) => d?.result?.success === true && d.result.message === CONSULT_ENDED,
  /** Agent API GET/PUT: the agent with its presence object */
  agent: (d) => isId(d?.result?.sys_id) && isObject(d.result.presence),
  /** a Table API record, or any API answering one record */
  record: (d) => isObject(d?.result) && isId(d.result.sys_id),
  /** a list (Table API query, presence states, reject reasons) */
  list: (d) => Array.isArray(d?.result),
  /** OAuth token endpoint */
  token: (d) => isId(d?.access_token),
} as const satisfies Record<string, ShapeCheck>;

export type ShapeName = keyof typeof SUCCESS_SHAPES;

/** The routes of the simulator, by the names /sim/stats counts them under (and a platform's REST resources). */
export type RouteName = 'offer' | 'interaction' | 'agents' | 'inbox' | 'consult' | 'table' | 'oauth';

/**
 * Every operation a scenario sends (the `op` tag), with the route it calls (the simulator's name for it, so
 * an operation's numbers and the target's can be put side by side) and its route's success shape.
 */
export const OPERATIONS: Readonly<Record<string, { readonly route: RouteName; readonly shape: ShapeName }>> = {
  offer: { route: 'offer', shape: 'offer' },
  offer_race: { route: 'offer', shape: 'offer' },
  offer_skewed: { route: 'offer', shape: 'offer' },
  reoffer: { route: 'offer', shape: 'offer' },
  offer_going_away: { route: 'offer', shape: 'offer' },
  transfer_blind_agent: { route: 'offer', shape: 'offer' },
  transfer_blind_queue: { route: 'offer', shape: 'offer' },
  transfer_consult_agent: { route: 'offer', shape: 'offer' },
  transfer_consult_queue: { route: 'offer', shape: 'offer' },
  interaction_create: { route: 'interaction', shape: 'interaction' },
  interaction_close: { route: 'interaction', shape: 'interaction_closed' },
  accept: { route: 'inbox', shape: 'inbox_accept' },
  reject: { route: 'inbox', shape: 'inbox_reject' },
  consult_end_handover: { route: 'consult', shape: 'consult_end' },
  consult_end_return: { route: 'consult', shape: 'consult_end' },
  presence_read: { route: 'agents', shape: 'agent' },
  presence_away: { route: 'agents', shape: 'agent' },
  presence_restore: { route: 'agents', shape: 'agent' },
  presence_states: { route: 'agents', shape: 'list' },
  read_work_item: { route: 'table', shape: 'record' },
  find_queued: { route: 'table', shape: 'list' },
  reject_reasons: { route: 'inbox', shape: 'list' },
  presence_busy: { route: 'agents', shape: 'agent' },
  presence_available: { route: 'agents', shape: 'agent' },
  oauth_token: { route: 'oauth', shape: 'token' },
};

/** The shape check of an operation; an operation missing from the table is a bug, so it throws. */
export function shapeOf(op: string): ShapeCheck {
  const known = OPERATIONS[op];
  if (known === undefined) throw new Error(`operation ${op} has no success shape: add it to OPERATIONS`);
  return SUCCESS_SHAPES[known.shape];
}
