/**
 * Work items (awa_work_item) and their states. One active work item per document at most: every change
 * happens synchronously inside one request's handling, so racing requests cannot interleave a decision.
 */
import type { Clock } from './clock.js';
import type { World } from './fixtures.js';
import { sysId } from './random.js';

export type WorkItemState = 'queued' | 'pending_accept' | 'accepted' | 'canceled';
export type CancelReason = 'time_out' | 'manually_assigned' | 'rejected';

export interface WorkItem {
  readonly sys_id: string;
  readonly document_table: string;
  readonly document_id: string;
  readonly queue: string;
  state: WorkItemState;
  active: boolean;
  assigned_to: string | null;
  offered_on: number | null;
  /** epoch ms at which a pending offer times out; null without a timeout */
  expires_at: number | null;
  after_timeout_presence: string | null;
  timed_out: boolean;
  cancel_reason: CancelReason | null;
  offer_count: number;
  state_changed_on: number;
}

export interface NewOffer {
  readonly documentKey: string;
  readonly table: string;
  readonly documentId: string;
  readonly queue: string;
  readonly agent: string;
  readonly autoAssign: boolean;
  readonly offeredOn: number;
  readonly timeoutSec: number | null;
  readonly afterTimeoutPresence: string | null;
}

export class WorkItems {
  readonly all = new Map<string, WorkItem>();
  /** the active work item of each document, by document key */
  readonly activeByDocument = new Map<string, WorkItem>();
  readonly counts = { offered: 0, accepted: 0, expired: 0, canceled: 0 };

  constructor(
    private readonly world: World,
    private readonly clock: Clock,
    private readonly random: () => number,
  ) {}

  /** The document's active work item after applying any timeout that is due. */
  active(documentKey: string): WorkItem | undefined {
    const item = this.activeByDocument.get(documentKey);
    if (item) this.expireIfDue(item);
    return this.activeByDocument.get(documentKey);
  }

  /** Cancels the document's active item (if any) and creates the new offered one. */
  offer(o: NewOffer): WorkItem {
    const now = this.clock.now();
    const previous = this.activeByDocument.get(o.documentKey);
    if (previous) this.cancel(previous, 'manually_assigned', now);
    const item: WorkItem = {
      sys_id: sysId(this.random),
      document_table: o.table,
      document_id: o.documentId,
      queue: o.queue,
      state: o.autoAssign ? 'accepted' : 'pending_accept',
      active: true,
      assigned_to: o.agent,
      offered_on: o.offeredOn,
      expires_at: !o.autoAssign && o.timeoutSec !== null ? o.offeredOn + o.timeoutSec * 1000 : null,
      after_timeout_presence: o.autoAssign ? null : o.afterTimeoutPresence,
      timed_out: false,
      cancel_reason: null,
      offer_count: (previous?.offer_count ?? 0) + 1,
      state_changed_on: now,
    };
    this.all.set(item.sys_id, item);
    this.activeByDocument.set(o.documentKey, item);
    this.counts.offered++;
    if (o.autoAssign) this.counts.accepted++;
    return item;
  }

  /** Applies every timeout due by now; returns how many expired. Called on a timer and before reads. */
  expireDue(): number {
    let expired = 0;
    for (const item of this.activeByDocument.values()) if (this.expireIfDue(item)) expired++;
    return expired;
  }

  private expireIfDue(item: WorkItem): boolean {
    const now = this.clock.now();
    if (item.state !== 'pending_accept' || item.expires_at === null || item.expires_at > now) return false;
    // The card leaves the inbox: the item is canceled for time out and the document goes back to its queue.
    const agent = item.assigned_to ? this.world.agents.get(item.assigned_to) : undefined;
    if (agent && item.after_timeout_presence) agent.presence = item.after_timeout_presence;
    this.cancel(item, 'time_out', item.expires_at);
    item.timed_out = true;
    this.counts.expired++;
    const requeued: WorkItem = {
      ...item,
      sys_id: sysId(this.random),
      state: 'queued',
      active: true,
      assigned_to: null,
      expires_at: null,
      after_timeout_presence: null,
      timed_out: false,
      cancel_reason: null,
      state_changed_on: now,
    };
    this.all.set(requeued.sys_id, requeued);
    this.activeByDocument.set(`${item.document_table}:${item.document_id}`, requeued);
    return true;
  }

  private cancel(item: WorkItem, reason: CancelReason, at: number): void {
    item.state = 'canceled';
    item.active = false;
    item.cancel_reason = reason;
    item.state_changed_on = at;
    this.counts.canceled++;
    if (this.activeByDocument.get(`${item.document_table}:${item.document_id}`) === item) {
      this.activeByDocument.delete(`${item.document_table}:${item.document_id}`);
    }
  }

  /** Work items by state, active ones only for the live states. */
  byState(): Record<WorkItemState, number> {
    const out: Record<WorkItemState, number> = { queued: 0, pending_accept: 0, accepted: 0, canceled: 0 };
    for (const item of this.all.values()) out[item.state]++;
    return out;
  }
}
