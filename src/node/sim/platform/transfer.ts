/**
 * Transfers through the Offer Work endpoint (a body with `transfer`): blind or consult, to an agent or a
 * queue; and the end of a consult (`PUT /api/now/awa/consult/end`), with or without hand-over.
 */
import type { Engine } from './engine.js';
import { documentKey } from './fixtures.js';
import {
  activeDocument,
  badRequest,
  displayName,
  findQueue,
  isAvailable,
  isObj,
  isRefusal,
  readBoolean,
  refuse,
  routableAgent,
  str,
  type Decision,
  type Obj,
  type Refusal,
} from './offer.js';
import type { WorkItem } from './work-items.js';

const TARGET_TYPES = ['agent', 'queue'] as const;
const TRANSFER_TYPES = ['blind', 'consult'] as const;
type TransferKind = `${(typeof TRANSFER_TYPES)[number]}_${(typeof TARGET_TYPES)[number]}`;

interface TransferRequest {
  readonly table: string;
  readonly documentId: string;
  readonly targetId: string;
}

/** A transfer that may go ahead: applying it to the document's current work item gives the new work item. */
type Move = (current: WorkItem) => WorkItem;

/**
 * What each kind of transfer does, once the request is valid: first checks its target (a refusal changes
 * nothing), then says how to move the work. Deciding before touching any work item keeps a failed transfer
 * from leaving anything behind.
 */
const TRANSFERS: Record<TransferKind, (engine: Engine, r: TransferRequest) => Move | Refusal> = {
  blind_agent: (engine, r) => {
    const agent = routableAgent(engine, r.targetId, 'transfer.target_id');
    if (isRefusal(agent)) return agent;
    if (!isAvailable(engine, agent)) return refuse('blind_transfer_failed', 'transfer.target_id');
    return (current) => {
      engine.items.cancel(current, 'transferred');
      const item = engine.items.create(r.table, r.documentId, current.queue);
      engine.items.offerTo(item, {
        agent: agent.sys_id,
        autoAssign: false,
        allowedToDecline: true,
        offeredOn: engine.clock.now(),
        timeoutSec: null,
        afterTimeoutPresence: null,
      });
      return item;
    };
  },
  blind_queue: (engine, r) => {
    const queue = findQueue(engine, r.targetId, 'transfer.target_id');
    if (isRefusal(queue)) return queue;
    return (current) => {
      engine.items.cancel(current, 'transferred');
      return engine.items.create(r.table, r.documentId, queue.sys_id);
    };
  },
  consult_agent: (engine, r) => {
    const agent = routableAgent(engine, r.targetId, 'transfer.target_id');
    if (isRefusal(agent)) return agent;
    if (!isAvailable(engine, agent)) return refuse('agent_unavailable', 'transfer.target_id');
    return (current) => {
      const consult = engine.items.create(r.table, r.documentId, current.queue, current);
      engine.items.offerTo(consult, {
        agent: agent.sys_id,
        autoAssign: false,
        allowedToDecline: true,
        offeredOn: engine.clock.now(),
        timeoutSec: null,
        afterTimeoutPresence: null,
      });
      return consult;
    };
  },
  consult_queue: (engine, r) => {
    const queue = findQueue(engine, r.targetId, 'transfer.target_id');
    if (isRefusal(queue)) return queue;
    return (current) => engine.items.create(r.table, r.documentId, queue.sys_id, current);
  },
};

/** Decides a transfer request for a document. */
export function decideTransfer(engine: Engine, table: string, documentId: string, body: Obj): Decision {
  const doc = activeDocument(engine, table, documentId);
  if (isRefusal(doc)) return doc;
  const t = body.transfer;
  if (!isObj(t)) return badRequest('Invalid value for transfer', 'transfer must be an object');
  for (const field of ['source_queue_id', 'target_id', 'target_type', 'transfer_type'] as const) {
    if (!str(t[field])) return badRequest(`Missing required field: transfer.${field}`, `transfer.${field} is required`);
  }
  const targetType = str(t.target_type)!;
  const transferType = str(t.transfer_type)!;
  if (!(TARGET_TYPES as readonly string[]).includes(targetType))
    return badRequest('Invalid value for transfer.target_type', `expected agent or queue, got ${targetType}`);
  if (!(TRANSFER_TYPES as readonly string[]).includes(transferType))
    return badRequest('Invalid value for transfer.transfer_type', `expected blind or consult, got ${transferType}`);
  const source = findQueue(engine, str(t.source_queue_id)!, 'transfer.source_queue_id');
  if (isRefusal(source)) return source;

  const key = documentKey(table, documentId);
  if (transferType === 'consult' && engine.items.consult(key))
    return badRequest('Consult already in progress', 'end the current consult before starting another');
  const kind = `${transferType}_${targetType}` as TransferKind;
  const move = TRANSFERS[kind](engine, { table, documentId, targetId: str(t.target_id)! });
  if (isRefusal(move)) return move;
  // An outbound call that was never routed has no work item yet: the source queue gets one, only now that the transfer goes ahead.
  const current = engine.items.active(key) ?? engine.items.create(table, documentId, source.sys_id);
  return { kind: 'placed', item: move(current), display: displayName(doc) };
}

/** How a consult end went: ended (the work item that now holds the document), no consult, or a bad request. */
export type ConsultEnd =
  | { readonly kind: 'ended'; readonly item: WorkItem; readonly handOver: boolean }
  | { readonly kind: 'no_consult'; readonly documentId: string }
  | { readonly kind: 'bad_request'; readonly detail: string };

/**
 * Ends a document's consult: hand_over true makes the consult the transfer, false returns to the original agent.
 * Whether document_sys_id and hand_over are required is unconfirmed: a missing document is a bad request,
 * a missing hand_over means false.
 */
export function endConsult(engine: Engine, body: Obj): ConsultEnd {
  const documentId = str(body.document_sys_id);
  if (!documentId) return { kind: 'bad_request', detail: 'document_sys_id is required' };
  const handOver = readBoolean(body.hand_over, false);
  if (typeof handOver === 'object')
    return { kind: 'bad_request', detail: `hand_over must be true or false, got ${handOver.invalid}` };
  const doc = [...engine.world.documents.values()].find((d) => d.sys_id === documentId);
  const consult = doc ? engine.items.consult(documentKey(doc.table, doc.sys_id)) : undefined;
  if (!doc || !consult) return { kind: 'no_consult', documentId };
  const original = engine.items.active(documentKey(doc.table, doc.sys_id));
  if (!handOver) {
    engine.items.cancel(consult, 'consult_ended');
    return { kind: 'ended', item: original ?? consult, handOver };
  }
  if (original) engine.items.cancel(original, 'transferred');
  engine.items.promoteConsult(consult);
  return { kind: 'ended', item: consult, handOver };
}
