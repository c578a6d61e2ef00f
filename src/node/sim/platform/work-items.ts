/**
 * Work items (awa_work_item) and every change of state they go through. At most one active primary work
 * item per document (plus at most one active consult): every change happens synchronously inside one
 * request or one timed event, so racing requests cannot interleave a decision.
 */
import type { Clock } from './clock.js';
import { documentKey } from './fixtures.js';
import { sysId } from './random.js';

export type WorkItemState = 'queued' | 'pending_accept' | 'accepted' | 'canceled';
export type CancelReason =
  | 'time_out'
  | 'manually_assigned'
  | 'transferred'
  | 'consult_ended'
  | 'document_closed'
  | 'max_wait_time';

export interface WorkItem {
  readonly sys_id: string;
  readonly document_table: string;
  readonly document_id: string;
  /** documentKey(document_table, document_id), made once: the key of the active indexes */
  readonly document_key: string;
  queue: string;
  state: WorkItemState;
  active: boolean;
  assigned_to: string | null;
  allowed_to_decline: boolean;
  offered_on: number | null;
  /** epoch ms at which a pending offer times out; null without a timeout */
  expires_at: number | null;
  after_timeout_presence: string | null;
  rejected: boolean;
  timed_out: boolean;
  cancel_reason: CancelReason | null;
  offer_count: number;
  /** the primary work item this consult belongs to; null for a primary */
  consult_of: string | null;
  /** the CCaaS id of the call segment, as the offer sent it (external_segment_id) */
  external_segment_id: string | null;
  state_changed_on: number;
}

export interface OfferSpec {
  readonly agent: string;
  readonly autoAssign: boolean;
  readonly allowedToDecline: boolean;
  readonly offeredOn: number;
  readonly timeoutSec: number | null;
  readonly afterTimeoutPresence: string | null;
  /** the offer's external_segment_id, stored on the work item */
  readonly externalSegmentId?: string | null;
}

/** What happened to a work item, for the agents' behaviour and the counters. */
export type ItemEvent = 'queued' | 'offered' | 'accepted' | 'rejected' | 'expired' | 'completed' | 'canceled';

export class WorkItems {
  readonly all = new Map<string, WorkItem>();
  /** the active primary work item of each document, by document key */
  readonly activeByDocument = new Map<string, WorkItem>();
  /** the active consult of each document, by document key */
  readonly consultByDocument = new Map<string, WorkItem>();
  readonly counts = {
    created: 0,
    offered: 0,
    accepted: 0,
    rejected: 0,
    expired: 0,
    canceled: 0,
    completed: 0,
    transferred: 0,
    consults: 0,
    pruned: 0,
  };
  /** inactive items in the order they left the active set, oldest first, for pruning */
  private readonly inactive: WorkItem[] = [];
  private inactiveHead = 0;
  /** inactive work items kept for Table API reads; older ones are forgotten so long soaks stay flat */
  retainInactive = 200_000;
  /** called on every change, so agents can react and expiries get scheduled */
  onChange: (item: WorkItem, event: ItemEvent) => void = () => {};

  /** sys_ids: a seeded random half, then a counter, so every id is unique and cheap to make */
  private readonly idPrefix: string;
  private idCounter = 0;

  constructor(
    private readonly clock: Clock,
    random: () => number,
  ) {
    this.idPrefix = sysId(random).slice(0, 20);
  }

  private nextId(): string {
    return this.idPrefix + (this.idCounter++).toString(16).padStart(12, '0');
  }

  active(key: string): WorkItem | undefined {
    return this.activeByDocument.get(key);
  }

  consult(key: string): WorkItem | undefined {
    return this.consultByDocument.get(key);
  }

  /** A new queued work item for a document (routing created it, or a transfer needs one). */
  create(
    table: string,
    documentId: string,
    queue: string,
    consultOf: WorkItem | null = null,
    key = documentKey(table, documentId),
  ): WorkItem {
    const item: WorkItem = {
      sys_id: this.nextId(),
      document_table: table,
      document_id: documentId,
      document_key: key,
      queue,
      state: 'queued',
      active: true,
      assigned_to: null,
      allowed_to_decline: true,
      offered_on: null,
      expires_at: null,
      after_timeout_presence: null,
      rejected: false,
      timed_out: false,
      cancel_reason: null,
      offer_count: 0,
      consult_of: consultOf?.sys_id ?? null,
      external_segment_id: null,
      state_changed_on: this.clock.now(),
    };
    this.all.set(item.sys_id, item);
    (consultOf ? this.consultByDocument : this.activeByDocument).set(key, item);
    this.counts.created++;
    if (consultOf) this.counts.consults++;
    this.onChange(item, 'queued');
    return item;
  }

  /** Puts an item in front of an agent (pending accept), or accepted at once with auto-assign. */
  offerTo(item: WorkItem, o: OfferSpec): void {
    item.assigned_to = o.agent;
    item.allowed_to_decline = o.allowedToDecline;
    item.offered_on = o.offeredOn;
    item.offer_count++;
    item.rejected = false;
    if (o.externalSegmentId) item.external_segment_id = o.externalSegmentId;
    item.state_changed_on = this.clock.now();
    this.counts.offered++;
    if (o.autoAssign) {
      item.state = 'accepted';
      item.expires_at = null;
      item.after_timeout_presence = null;
      this.counts.accepted++;
      this.onChange(item, 'accepted');
      return;
    }
    item.state = 'pending_accept';
    item.expires_at = o.timeoutSec !== null ? o.offeredOn + o.timeoutSec * 1000 : null;
    item.after_timeout_presence = o.afterTimeoutPresence;
    this.onChange(item, 'offered');
  }

  /** Manual assignment: cancels the document's active item and offers a new one (same queue). */
  reassign(
    table: string,
    documentId: string,
    queue: string,
    o: OfferSpec,
    key = documentKey(table, documentId),
  ): WorkItem {
    const previous = this.activeByDocument.get(key);
    if (previous) this.cancel(previous, 'manually_assigned');
    const item = this.create(table, documentId, queue, null, key);
    item.offer_count = previous?.offer_count ?? 0;
    this.offerTo(item, o);
    return item;
  }

  accept(item: WorkItem): void {
    item.state = 'accepted';
    item.expires_at = null;
    item.state_changed_on = this.clock.now();
    this.counts.accepted++;
    this.onChange(item, 'accepted');
  }

  /** The agent declines: assigned_to cleared, marked rejected, back to its queue. */
  reject(item: WorkItem): void {
    item.state = 'queued';
    item.assigned_to = null;
    item.rejected = true;
    item.expires_at = null;
    item.state_changed_on = this.clock.now();
    this.counts.rejected++;
    this.onChange(item, 'rejected');
  }

  /** A pending offer ran out of time: canceled for time out and the document requeued (the engine moves the agent). */
  expire(item: WorkItem): void {
    const at = item.expires_at ?? this.clock.now();
    this.cancel(item, 'time_out', at);
    item.timed_out = true;
    this.counts.expired++;
    this.onChange(item, 'expired');
    if (item.consult_of === null)
      this.create(item.document_table, item.document_id, item.queue, null, item.document_key);
  }

  /** The agent finished the work: the item leaves the active set. */
  complete(item: WorkItem): void {
    item.active = false;
    item.state_changed_on = this.clock.now();
    this.unindex(item);
    this.counts.completed++;
    this.onChange(item, 'completed');
  }

  cancel(item: WorkItem, reason: CancelReason, at = this.clock.now()): void {
    item.state = 'canceled';
    item.active = false;
    item.cancel_reason = reason;
    item.expires_at = null;
    item.state_changed_on = at;
    this.counts.canceled++;
    if (reason === 'transferred') this.counts.transferred++;
    this.unindex(item);
    this.onChange(item, 'canceled');
  }

  /** A consult ended with hand-over: it becomes the document's primary work item. */
  promoteConsult(consult: WorkItem): void {
    const key = consult.document_key;
    if (this.consultByDocument.get(key) === consult) this.consultByDocument.delete(key);
    consult.consult_of = null;
    consult.state_changed_on = this.clock.now();
    this.activeByDocument.set(key, consult);
  }

  private unindex(item: WorkItem): void {
    this.inactive.push(item);
    while (this.inactive.length - this.inactiveHead > this.retainInactive) {
      const old = this.inactive[this.inactiveHead++]!;
      if (!old.active && this.all.delete(old.sys_id)) this.counts.pruned++;
    }
    if (this.inactiveHead > 100_000) {
      this.inactive.splice(0, this.inactiveHead);
      this.inactiveHead = 0;
    }
    const key = item.document_key;
    const index = item.consult_of === null ? this.activeByDocument : this.consultByDocument;
    if (index.get(key) === item) index.delete(key);
  }

  /** Work items held, by state (inactive ones included until pruned). */
  byState(): Record<WorkItemState, number> {
    const out: Record<WorkItemState, number> = { queued: 0, pending_accept: 0, accepted: 0, canceled: 0 };
    for (const item of this.all.values()) out[item.state]++;
    return out;
  }

  /** Active work items by state: cheap (the active indexes only), for per-second reporting. */
  activeByState(): Record<WorkItemState, number> {
    const out: Record<WorkItemState, number> = { queued: 0, pending_accept: 0, accepted: 0, canceled: 0 };
    for (const index of [this.activeByDocument, this.consultByDocument])
      for (const item of index.values()) out[item.state]++;
    return out;
  }
}
