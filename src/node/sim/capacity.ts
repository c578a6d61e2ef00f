/**
 * The platform's capacity: N application nodes, each with worker slots (the API_INT semaphore) and a
 * bounded queue. A request holds a slot for its service time; with every slot busy it waits in its node's
 * queue; with the queue full it is refused (429). Requests still unanswered after the transaction limit
 * are cancelled. Real time, real timers: this is what shapes latency under load.
 */
import type { SimConfig } from './config.js';
import { drawLogNormal } from './distributions.js';

export type Admission = { readonly kind: 'served' } | { readonly kind: 'queue_full'; readonly node: number } | { readonly kind: 'cancelled' };

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
  private next = 0;
  private readonly startedAt = Date.now();
  readonly counts = { served: 0, queueFull: 0, cancelled: 0 };

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
  admit<T>(work: () => T, factor = 1): { admission: Admission; value?: T } | Promise<{ admission: Admission; value?: T }> {
    if (this.config.fast) {
      // fast mode answers in the same tick: no slot, no queue, no service time
      this.counts.served++;
      return { admission: { kind: 'served' }, value: work() };
    }
    // The load balancer spreads requests round-robin over the nodes.
    const index = this.next++ % this.nodes.length;
    const node = this.nodes[index]!;
    return new Promise((resolve) => {
      const arrived = Date.now();
      const start = (): void => {
        node.busy++;
        const minutes = (Date.now() - this.startedAt) / 60_000;
        const service = drawLogNormal(this.random, this.config.serviceTimeMs) * factor * (1 + this.config.serviceTimeDriftPerMin * minutes);
        setTimeout(() => {
          node.busy--;
          this.drain(node);
          if (Date.now() - arrived > this.config.transactionLimitMs) {
            this.counts.cancelled++;
            resolve({ admission: { kind: 'cancelled' } });
            return;
          }
          this.counts.served++;
          resolve({ admission: { kind: 'served' }, value: work() });
        }, service);
      };
      if (node.busy < this.config.slotsPerNode) start();
      else if (node.queue.length < this.config.queuePerNode) {
        // still waiting at the transaction limit: the platform cancels the transaction
        const waiter: Waiter = {
          start,
          timer: setTimeout(() => {
            node.queue.splice(node.queue.indexOf(waiter), 1);
            this.counts.cancelled++;
            resolve({ admission: { kind: 'cancelled' } });
          }, this.config.transactionLimitMs),
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
