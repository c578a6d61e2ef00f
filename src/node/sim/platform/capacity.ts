/**
 * The platform's capacity: N application nodes, each with worker slots (the API_INT semaphore) and a
 * bounded queue. A request holds a slot for its service time on the node its session lives on; with every
 * slot busy it waits in its node's queue; with the queue full it is refused (429). The route's transaction
 * quota counts from arrival: a request still queued at it is cancelled (500), one still running is cut off
 * there (200 with the error appended, its work not done). Real time, real timers: this is what shapes latency.
 */
import type { SimConfig } from '../config.js';
import { drawLogNormal } from './distributions.js';

export type Admission =
  | { readonly kind: 'served' }
  | { readonly kind: 'queue_full'; readonly node: number }
  | { readonly kind: 'cancelled_queued' }
  | { readonly kind: 'cancelled_running' };

export interface AdmitOptions {
  /** the node the request's session lives on (0-based) */
  readonly node: number;
  /** service time multiplier (a slow route) */
  readonly factor?: number;
  /** service time added on top, ms (creating a session) */
  readonly extraMs?: number;
  /** the route's transaction quota, ms; 0 = none */
  readonly quotaMs: number;
}

interface Waiter {
  readonly start: () => void;
  readonly timer: NodeJS.Timeout;
}

interface Node {
  busy: number;
  readonly queue: Waiter[];
}

export class Capacity {
  private readonly nodes: Node[];
  private readonly startedAt = Date.now();
  readonly counts = { served: 0, queueFull: 0, cancelled: 0, cancelledRunning: 0 };

  constructor(
    private readonly config: SimConfig['capacity'],
    private readonly random: () => number,
  ) {
    this.nodes = Array.from({ length: Math.max(1, config.nodes) }, () => ({ busy: 0, queue: [] }));
  }

  /** Requests waiting for a slot, all nodes. */
  queueDepth(): number {
    return this.nodes.reduce((a, n) => a + n.queue.length, 0);
  }

  busySlots(): number {
    return this.nodes.reduce((a, n) => a + n.busy, 0);
  }

  /**
   * Runs `work` when a slot is free and its service time has passed (the decision is made at the end of
   * the service time, as a transaction commits at its end). Resolves with what happened.
   */
  admit<T>(
    work: () => T,
    o: AdmitOptions,
  ): { admission: Admission; value?: T } | Promise<{ admission: Admission; value?: T }> {
    if (this.config.fast) {
      // fast mode answers in the same tick: no slot, no queue, no service time
      this.counts.served++;
      return { admission: { kind: 'served' }, value: work() };
    }
    const index = o.node % this.nodes.length;
    const node = this.nodes[index]!;
    const quota = o.quotaMs > 0 ? o.quotaMs : Infinity;
    return new Promise((resolve) => {
      const arrived = Date.now();
      const start = (): void => {
        if (Date.now() - arrived >= quota) {
          // its quota ran out the moment a slot came free: it never ran
          this.counts.cancelled++;
          resolve({ admission: { kind: 'cancelled_queued' } });
          return;
        }
        node.busy++;
        const minutes = (Date.now() - this.startedAt) / 60_000;
        const service =
          drawLogNormal(this.random, this.config.serviceTimeMs) *
            (o.factor ?? 1) *
            (1 + this.config.serviceTimeDriftPerMin * minutes) +
          (o.extraMs ?? 0);
        const cutAt = arrived + quota - Date.now();
        const running = service > cutAt;
        setTimeout(
          () => {
            node.busy--;
            this.drain(node);
            if (running) {
              // the quota stops it mid-way: the slot was held until then and nothing was committed
              this.counts.cancelled++;
              this.counts.cancelledRunning++;
              resolve({ admission: { kind: 'cancelled_running' } });
              return;
            }
            this.counts.served++;
            resolve({ admission: { kind: 'served' }, value: work() });
          },
          Math.max(0, running ? cutAt : service),
        );
      };
      if (node.busy < this.config.slotsPerNode) start();
      else if (node.queue.length < this.config.queuePerNode) {
        // still waiting at the quota: the platform cancels the transaction before it ran
        const waiter: Waiter = {
          start,
          timer: setTimeout(
            () => {
              node.queue.splice(node.queue.indexOf(waiter), 1);
              this.counts.cancelled++;
              resolve({ admission: { kind: 'cancelled_queued' } });
            },
            Math.min(quota, 2 ** 31 - 1),
          ),
        };
        node.queue.push(waiter);
      } else {
        this.counts.queueFull++;
        resolve({ admission: { kind: 'queue_full', node: index + 1 } });
      }
    });
  }

  private drain(node: Node): void {
    while (node.busy < this.config.slotsPerNode && node.queue.length > 0) {
      const waiter = node.queue.shift()!;
      clearTimeout(waiter.timer);
      waiter.start();
    }
  }
}
