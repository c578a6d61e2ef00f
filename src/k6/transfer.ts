/**
 * The transfer flow: the call is offered and accepted, then transferred blind or by consult, to an agent or
 * a queue; a consult ends with hand-over or not. Each step is its own operation, so latency and outcomes
 * are reported per transfer kind.
 */
import { offerPath } from '../shared/api.js';
import type { PoolEntry } from '../shared/pool.js';
import { pickKind, type TransferKind } from '../shared/scenarios.js';
import type { RunConfig } from './config.js';
import { closeInteraction, createInteraction, inboxAccept } from './interaction.js';
import { runSegment } from '../shared/run-records.js';
import { sendOffer } from './offer.js';
import { noteCreated } from './records.js';
import { send } from './request.js';

export interface TransferFlowOptions {
  /** share of calls accepted at once (auto-assign) rather than by the agent desk */
  readonly autoAssignShare: number;
  /** share of consults that end with hand-over */
  readonly handOverShare: number;
  /** kinds to choose from; undefined = the full mix */
  readonly kinds?: readonly TransferKind[];
}

/**
 * Ends a document's consult; true when the answer is the documented success, `result: {success: true,
 * message: "Consult is successfully ended."}` (a failure answers success false or the error envelope).
 */
export function endConsult(
  cfg: RunConfig,
  headers: Record<string, string>,
  documentId: string,
  handOver: boolean,
): boolean {
  const a = send(
    cfg,
    headers,
    handOver ? 'consult_end_handover' : 'consult_end_return',
    'PUT',
    '/api/now/awa/consult/end',
    { document_sys_id: documentId, hand_over: handOver },
  );
  return a.outcome === 'success' && a.json?.result?.success === true;
}

/**
 * One call end to end: interaction, offer, accept, transfer, consult end, close. Returns whether every step
 * that ran answered its documented success (false also when the interaction could not be created).
 */
export function transferFlow(
  cfg: RunConfig,
  headers: Record<string, string>,
  e: PoolEntry,
  o: TransferFlowOptions,
): boolean {
  const doc = createInteraction(cfg, headers, e);
  if (!doc) return false;
  const [acceptDraw, kindDraw, endDraw] = e.dice;
  const auto = acceptDraw < o.autoAssignShare;
  const offered = sendOffer(cfg, headers, e, {
    documentId: doc,
    table: 'interaction',
    assignment: { enable_auto_assign: auto, timeout: undefined, offered_on: undefined },
  });
  const workItem = offered.workItem;
  const accepted =
    offered.outcome === 'success' &&
    (auto || (workItem !== undefined && inboxAccept(cfg, headers, e.agent, workItem).outcome === 'success'));
  const kind = o.kinds ? o.kinds[Math.floor(kindDraw * o.kinds.length)]! : pickKind(kindDraw);
  const [transferType, targetType] = kind.split('_') as ['blind' | 'consult', 'agent' | 'queue'];
  const transferred = send(cfg, headers, `transfer_${kind}`, 'POST', offerPath('interaction', doc, cfg.apiVersion), {
    external_segment_id: runSegment(cfg.testid, e.segment),
    transfer: {
      source_queue_id: e.queue,
      target_id: targetType === 'agent' ? e.peerAgent : e.peerQueue,
      target_type: targetType,
      transfer_type: transferType,
    },
  });
  noteCreated(cfg, 'work_item', transferred.workItem);
  const consultEnded =
    transferType !== 'consult' ||
    (transferred.outcome === 'success' && endConsult(cfg, headers, doc, endDraw < o.handOverShare));
  const closed = closeInteraction(cfg, headers, doc).outcome === 'success';
  return accepted && transferred.outcome === 'success' && consultEnded && closed;
}

/** A blind transfer of an interaction to the entry's other queue (soak), noting the work item it creates. */
export function blindToQueue(cfg: RunConfig, headers: Record<string, string>, e: PoolEntry, doc: string): void {
  const a = send(cfg, headers, 'transfer_blind_queue', 'POST', offerPath('interaction', doc, cfg.apiVersion), {
    external_segment_id: runSegment(cfg.testid, e.segment),
    transfer: { source_queue_id: e.queue, target_id: e.peerQueue, target_type: 'queue', transfer_type: 'blind' },
  });
  noteCreated(cfg, 'work_item', a.workItem);
}
