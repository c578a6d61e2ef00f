/**
 * The Offer Work decision: validates a parsed request in the platform's order and either places the offer
 * or says which documented message answers it. Pure over the world and work items; synchronous, so atomic.
 */
import type { MessageCode } from '../../../shared/messages.js';
import { OFFER_MESSAGES } from '../../../shared/messages.js';
import { formatOfferedOn, parseOfferedOn } from '../../../shared/time.js';
import type { Engine } from './engine.js';
import { documentKey, type Agent, type DocumentRecord, type Queue } from './fixtures.js';
import type { WorkItem } from './work-items.js';

/** A failure: the catalogue code with its substitutions, or a plain request error the reference does not name. */
export type Refusal =
  | {
      readonly kind: 'message';
      readonly code: MessageCode;
      readonly values?: Record<string, string>;
      readonly detail: string | null;
    }
  | { readonly kind: 'bad_request'; readonly message: string; readonly detail: string };

export type Decision = { readonly kind: 'placed'; readonly item: WorkItem; readonly display: string } | Refusal;

export const refuse = (code: MessageCode, detail: string | null, values?: Record<string, string>): Refusal => ({
  kind: 'message',
  code,
  values,
  detail,
});
export const badRequest = (message: string, detail: string): Refusal => ({ kind: 'bad_request', message, detail });

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

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;

/** The document a request names, if it exists and is active. */
export function activeDocument(
  engine: Engine,
  table: string,
  documentId: string,
  key = documentKey(table, documentId),
): DocumentRecord | Refusal {
  const doc = engine.world.documents.get(key);
  if (!doc) return refuse('not_found', `Document ${table}:${documentId} does not exist`);
  if (!doc.active) return refuse('document_inactive', `${doc.number} is closed`);
  return doc;
}

/** The user named as an agent, if it has both roles external routing needs. */
export function routableAgent(engine: Engine, agentId: string, field: string): Agent | Refusal {
  const agent = engine.world.agents.get(agentId);
  if (!agent?.roles.includes('awa_agent')) return refuse('invalid_agent', field, { agent: agentId });
  if (!agent.roles.includes('awa_external_user')) return refuse('missing_external_user_role', field);
  return agent;
}

/** A queue by sys_id or provider id (external_id). */
export function findQueue(engine: Engine, ref: string, field: string): Queue | Refusal {
  return (
    engine.world.queues.get(ref) ??
    engine.world.queuesByExternalId.get(ref) ??
    refuse('not_found', `${field}: queue ${ref} does not exist`)
  );
}

export const isRefusal = (v: unknown): v is Refusal =>
  typeof v === 'object' && v !== null && 'kind' in v && (v.kind === 'message' || v.kind === 'bad_request');

export function isAvailable(engine: Engine, agent: Agent): boolean {
  return engine.world.presence.get(agent.presence)?.available ?? false;
}

export function displayName(doc: DocumentRecord): string {
  return `${doc.table === 'interaction' ? 'Interaction' : 'Case'}: ${doc.number}`;
}

/** Decides a new assignment (no `transfer` in the body). */
export function decideAssignment(engine: Engine, table: string, documentId: string, body: Obj): Decision {
  const { world, items, clock } = engine;
  const key = documentKey(table, documentId);
  const doc = activeDocument(engine, table, documentId, key);
  if (isRefusal(doc)) return doc;

  const a = body.assignment;
  if (!isObj(a)) return badRequest('Missing required field: assignment', 'assignment is required for a new assignment');
  const agentId = str(a.agent_sys_id);
  if (!agentId) return badRequest('Missing required field: agent_sys_id', 'assignment.agent_sys_id is required');
  const queueRef = str(body.queue_id);
  if (!queueRef) return badRequest('Missing required field: queue_id', 'queue_id is required for a new assignment');

  const allowed = readBoolean(a.allowed_to_decline, true);
  if (typeof allowed === 'object') return refuse('invalid_boolean', 'allowed_to_decline', { value: allowed.invalid });
  const autoAssign = readBoolean(a.enable_auto_assign, false);
  if (typeof autoAssign === 'object')
    return refuse('invalid_boolean', 'enable_auto_assign', { value: autoAssign.invalid });

  const agent = routableAgent(engine, agentId, 'agent_sys_id');
  if (isRefusal(agent)) return agent;
  const queue = findQueue(engine, queueRef, 'queue_id');
  if (isRefusal(queue)) return queue;

  const now = clock.now();
  let timeoutSec: number | null = null;
  let offeredOn = now;
  let afterTimeoutPresence: string | null = null;
  if (a.timeout !== undefined && a.timeout !== null && a.timeout !== '') {
    const timeout = typeof a.timeout === 'number' ? a.timeout : Number(a.timeout);
    if (!Number.isFinite(timeout))
      return badRequest(
        'Invalid value for timeout',
        `timeout must be a number of seconds, got ${JSON.stringify(a.timeout)}`,
      );
    if (timeout < 0) return refuse('negative_timeout', 'timeout');
    timeoutSec = timeout;
    const presence = str(a.after_timeout_presence);
    if (presence !== undefined) {
      if (!world.presence.has(presence))
        return refuse('invalid_presence_state', 'after_timeout_presence', { presence });
      afterTimeoutPresence = presence;
    }
    const offeredText = str(a.offered_on);
    if (offeredText !== undefined) {
      const parsed = parseOfferedOn(offeredText);
      if (parsed === undefined) return refuse('offered_on_format', 'offered_on', { offered_on: offeredText });
      if (parsed > now)
        return refuse('offered_on_future', `server time ${formatOfferedOn(now)}`, { offered_on: offeredText });
      if (parsed + timeout * 1000 <= now)
        return refuse('offered_on_expired', `server time ${formatOfferedOn(now)}`, { offered_on: offeredText });
      offeredOn = parsed;
    }
  }

  // display_option only means something with auto-assign (the contract), so only then is it checked
  const display = autoAssign ? str(a.display_option) : undefined;
  if (display !== undefined && !DISPLAY_OPTIONS.has(display))
    return refuse('invalid_display_option', 'display_option', { display_option: display });

  const current = items.active(key);
  if (current?.state === 'accepted') return refuse('accepted_work_item', current.sys_id);
  if (current?.state === 'pending_accept' && current.assigned_to !== agentId) {
    return refuse('already_assigned', current.sys_id, { agent: current.assigned_to ?? '' });
  }
  if (!isAvailable(engine, agent)) return refuse('agent_unavailable', 'agent_sys_id');

  const item = items.reassign(
    table,
    documentId,
    queue.sys_id,
    {
      agent: agentId,
      autoAssign,
      allowedToDecline: allowed,
      offeredOn,
      timeoutSec,
      afterTimeoutPresence,
      externalSegmentId: str(body.external_segment_id) ?? null,
    },
    key,
  );
  return { kind: 'placed', item, display: displayName(doc) };
}

export const SUCCESS_MESSAGE = OFFER_MESSAGES.success.template;
