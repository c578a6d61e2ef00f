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
  readonly current: WorkItem;
  readonly targetId: string;
  readonly displayName: string;
}

/** What each kind of transfer does, once the request is valid and the document has an active work item. */
const TRANSFERS: Record<TransferKind, (engine: Engine, r: TransferRequest) => WorkItem | Refusal> = {
  blind_agent: (engine, r) => {
    const agent = routableAgent(engine, r.targetId, 'transfer.target_id');
    if (isRefusal(agent)) return agent;
    if (!isAvailable(engine, agent)) return refuse('blind_transfer_failed', 'transfer.target_id');
    engine.items.cancel(r.current, 'transferred');
    const item = engine.items.create(r.table, r.documentId, r.current.queue);
    engine.items.offerTo(item, { agent: agent.sys_id, autoAssign: false, allowedToDecline: true, offeredOn: engine.clock.now(), timeoutSec: null, afterTimeoutPresence: null });
    return item;
  },
  blind_queue: (engine, r) => {
    const queue = findQueue(engine, r.targetId, 'transfer.target_id');
    if (isRefusal(queue)) return queue;
    engine.items.cancel(r.current, 'transferred');
    return engine.items.create(r.table, r.documentId, queue.sys_id);
  },
  consult_agent: (engine, r) => {
    const agent = routableAgent(engine, r.targetId, 'transfer.target_id');
    if (isRefusal(agent)) return agent;
    if (!isAvailable(engine, agent)) return refuse('agent_unavailable', 'transfer.target_id');
    const consult = engine.items.create(r.table, r.documentId, r.current.queue, r.current);
    engine.items.offerTo(consult, { agent: agent.sys_id, autoAssign: false, allowedToDecline: true, offeredOn: engine.clock.now(), timeoutSec: null, afterTimeoutPresence: null });
    return consult;
  },
  consult_queue: (engine, r) => {
    const queue = findQueue(engine, r.targetId, 'transfer.target_id');
    if (isRefusal(queue)) return queue;
    return engine.items.create(r.table, r.documentId, queue.sys_id, r.current);
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
  if (!(TARGET_TYPES as readonly string[]).includes(targetType)) return badRequest('Invalid value for transfer.target_type', `expected agent or queue, got ${targetType}`);
  if (!(TRANSFER_TYPES as readonly string[]).includes(transferType)) return badRequest('Invalid value for transfer.transfer_type', `expected blind or consult, got ${transferType}`);
  const source = findQueue(engine, str(t.source_queue_id)!, 'transfer.source_queue_id');
  if (isRefusal(source)) return source;

  const key = documentKey(table, documentId);
  if (transferType === 'consult' && engine.items.consult(key)) return badRequest('Consult already in progress', 'end the current consult before starting another');
  // An outbound call that was never routed has no work item yet: the source queue gets one first.
  const current = engine.items.active(key) ?? engine.items.create(table, documentId, source.sys_id);
  const kind = `${transferType}_${targetType}` as TransferKind;
  const result = TRANSFERS[kind](engine, { table, documentId, current, targetId: str(t.target_id)!, displayName: displayName(doc) });
  if (isRefusal(result)) return result;
  return { kind: 'placed', item: result, display: displayName(doc) };
}

/** Ends a document's consult: hand_over true makes the consult the transfer, false returns to the original agent. */
export function endConsult(engine: Engine, body: Obj): { kind: 'ended'; item: WorkItem; handOver: boolean } | Refusal {
  const documentId = str(body.document_sys_id);
  if (!documentId) return badRequest('Missing required field: document_sys_id', 'document_sys_id is required');
  const handOver = readBoolean(body.hand_over, false);
  if (typeof handOver === 'object') return refuse('invalid_boolean', 'hand_over', { value: handOver.invalid });
  const doc = [...engine.world.documents.values()].find((d) => d.sys_id === documentId);
  const consult = doc ? engine.items.consult(documentKey(doc.table, doc.sys_id)) : undefined;
  if (!doc || !consult) return refuse('not_found', `no consult in progress for document ${documentId}`);
  const original = engine.items.active(documentKey(doc.table, doc.sys_id));
  if (!handOver) {
    engine.items.cancel(consult, 'consult_ended');
    return { kind: 'ended', item: original ?? consult, handOver };
  }
  if (original) engine.items.cancel(original, 'transferred');
  engine.items.promoteConsult(consult);
  return { kind: 'ended', item: consult, handOver };
}
