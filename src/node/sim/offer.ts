/**
 * The Offer Work decision: validates a parsed request in the platform's order and either places the offer
 * or says which documented message answers it. Pure over the world and work items; synchronous, so atomic.
 */
import type { MessageCode } from '../../shared/messages.js';
import { OFFER_MESSAGES } from '../../shared/messages.js';
import { formatOfferedOn, parseOfferedOn } from '../../shared/time.js';
import type { Clock } from './clock.js';
import { documentKey, type World } from './fixtures.js';
import type { WorkItem, WorkItems } from './work-items.js';

/** A failure: the catalogue code with its substitutions, or a plain request error the reference does not name. */
export type Refusal =
  | { readonly kind: 'message'; readonly code: MessageCode; readonly values?: Record<string, string>; readonly detail: string | null }
  | { readonly kind: 'bad_request'; readonly message: string; readonly detail: string };

export type Decision = { readonly kind: 'placed'; readonly item: WorkItem; readonly display: string } | Refusal;

const refuse = (code: MessageCode, detail: string | null, values?: Record<string, string>): Refusal => ({ kind: 'message', code, values, detail });
const badRequest = (message: string, detail: string): Refusal => ({ kind: 'bad_request', message, detail });

const TRUE_WORDS = new Set(['true', 'yes', '1']);
const FALSE_WORDS = new Set(['false', 'no', '0']);
const DISPLAY_OPTIONS = new Set(['card_only', 'card_and_tab']);

/** Reads a boolean as the API does: true/false, yes/no, 1/0 as JSON booleans, numbers or strings. */
export function readBoolean(value: unknown, fallback: boolean): boolean | { invalid: string } {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  const word = String(value).trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return { invalid: typeof value === 'object' ? JSON.stringify(value) : String(value) };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

export interface OfferContext {
  readonly world: World;
  readonly items: WorkItems;
  readonly clock: Clock;
}

/** Decides a new assignment (no `transfer` in the body) for an existing, active document. */
export function decideAssignment(ctx: OfferContext, table: string, documentId: string, body: Obj): Decision {
  const { world, items, clock } = ctx;
  const key = documentKey(table, documentId);
  const doc = world.documents.get(key);
  if (!doc) return refuse('not_found', `Document ${table}:${documentId} does not exist`);
  if (!doc.active) return refuse('document_inactive', `${doc.number} is closed`);

  const a = body.assignment;
  if (!isObj(a)) return badRequest('Missing required field: assignment', 'assignment is required for a new assignment');
  const agentId = str(a.agent_sys_id);
  if (!agentId) return badRequest('Missing required field: agent_sys_id', 'assignment.agent_sys_id is required');
  const queueRef = str(body.queue_id);
  if (!queueRef) return badRequest('Missing required field: queue_id', 'queue_id is required for a new assignment');

  const allowed = readBoolean(a.allowed_to_decline, true);
  if (typeof allowed === 'object') return refuse('invalid_boolean', 'allowed_to_decline', { value: allowed.invalid });
  const autoAssign = readBoolean(a.enable_auto_assign, false);
  if (typeof autoAssign === 'object') return refuse('invalid_boolean', 'enable_auto_assign', { value: autoAssign.invalid });

  const agent = world.agents.get(agentId);
  if (!agent || !agent.roles.includes('awa_agent')) return refuse('invalid_agent', 'agent_sys_id', { agent: agentId });
  if (!agent.roles.includes('awa_external_user')) return refuse('missing_external_user_role', 'agent_sys_id');

  const queue = world.queues.get(queueRef) ?? world.queuesByExternalId.get(queueRef);
  if (!queue) return refuse('not_found', `Queue ${queueRef} does not exist`);

  const now = clock.now();
  let timeoutSec: number | null = null;
  let offeredOn = now;
  let afterTimeoutPresence: string | null = null;
  if (a.timeout !== undefined && a.timeout !== null && a.timeout !== '') {
    const timeout = typeof a.timeout === 'number' ? a.timeout : Number(a.timeout);
    if (!Number.isFinite(timeout)) return badRequest('Invalid value for timeout', `timeout must be a number of seconds, got ${JSON.stringify(a.timeout)}`);
    if (timeout < 0) return refuse('negative_timeout', 'timeout');
    timeoutSec = timeout;
    const presence = str(a.after_timeout_presence);
    if (presence !== undefined) {
      if (!world.presence.has(presence)) return refuse('invalid_presence_state', 'after_timeout_presence', { presence });
      afterTimeoutPresence = presence;
    }
    const offeredText = str(a.offered_on);
    if (offeredText !== undefined) {
      const parsed = parseOfferedOn(offeredText);
      if (parsed === undefined) return refuse('offered_on_format', 'offered_on', { offered_on: offeredText });
      if (parsed > now) return refuse('offered_on_future', `server time ${formatOfferedOn(now)}`, { offered_on: offeredText });
      if (parsed + timeout * 1000 <= now) return refuse('offered_on_expired', `server time ${formatOfferedOn(now)}`, { offered_on: offeredText });
      offeredOn = parsed;
    }
  }

  const display = str(a.display_option);
  if (display !== undefined && !DISPLAY_OPTIONS.has(display)) return refuse('invalid_display_option', 'display_option', { display_option: display });

  const current = items.active(key);
  if (current?.state === 'accepted') return refuse('accepted_work_item', current.sys_id);
  if (current?.state === 'pending_accept' && current.assigned_to !== agentId) {
    return refuse('already_assigned', current.sys_id, { agent: current.assigned_to ?? '' });
  }
  if (!world.presence.get(agent.presence)?.available) return refuse('agent_unavailable', 'agent_sys_id');

  const item = items.offer({
    documentKey: key,
    table,
    documentId,
    queue: queue.sys_id,
    agent: agentId,
    autoAssign,
    offeredOn,
    timeoutSec,
    afterTimeoutPresence,
  });
  const display_name = `${table === 'interaction' ? 'Interaction' : 'Case'}: ${doc.number}`;
  return { kind: 'placed', item, display: display_name };
}

export const SUCCESS_MESSAGE = OFFER_MESSAGES.success.template;
