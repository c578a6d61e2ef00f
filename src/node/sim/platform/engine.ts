/**
 * The simulated instance: its world (users, queues, documents, presence), its work items, its agents and
 * the clock they all live on. Every request runs after `tick()` has applied everything that was due; routes
 * then read the world and change work items through `items` and agents through `agents`.
 */
import { AgentBehaviour } from './agents.js';
import type { Clock } from './clock.js';
import type { SimConfig } from '../config.js';
import { EventQueue } from './events.js';
import { documentKey, seedWorld, type World } from './fixtures.js';
import { seededRandom } from './random.js';
import { WorkItems, type WorkItem } from './work-items.js';

export class Engine {
  readonly world: World;
  readonly items: WorkItems;
  readonly events = new EventQueue();
  readonly agents: AgentBehaviour;
  readonly random: () => number;
  private interactions = 0;

  constructor(
    readonly config: SimConfig,
    readonly clock: Clock,
  ) {
    this.world = seedWorld(config);
    this.random = seededRandom(config.seed ^ 0x5eed);
    this.items = new WorkItems(clock, this.random);
    this.agents = new AgentBehaviour(config.agents, this.world, this.items, this.events, clock, this.random, (item) =>
      this.closeDocument(item.document_table, item.document_id),
    );
    this.items.onChange = (item, event) => {
      if (event === 'offered' && item.expires_at !== null) this.scheduleExpiry(item);
      if ((event === 'queued' || event === 'rejected') && config.platform.queueMaxWaitSec > 0)
        this.scheduleMaxWait(item);
      this.agents.onItem(item, event);
    };
    this.agents.start();
  }

  /** Applies every timed event due by now. */
  tick(): void {
    this.events.runDue(this.clock.now());
  }

  /** Expires a pending offer at offered_on + timeout, unless it was answered or re-offered before. */
  private scheduleExpiry(item: WorkItem): void {
    const offerCount = item.offer_count;
    this.events.schedule(item.expires_at!, () => {
      if (!item.active || item.state !== 'pending_accept' || item.offer_count !== offerCount) return;
      const agent = item.assigned_to ? this.world.agents.get(item.assigned_to) : undefined;
      const presence = item.after_timeout_presence;
      this.items.expire(item);
      if (agent && presence) this.agents.setPresence(agent, presence);
    });
  }

  /** Cancels a work item left queued for the queue's maximum wait, unless anything happened to it since. */
  private scheduleMaxWait(item: WorkItem): void {
    const queuedOn = item.state_changed_on;
    this.events.schedule(queuedOn + this.config.platform.queueMaxWaitSec * 1000, () => {
      if (item.active && item.state === 'queued' && item.state_changed_on === queuedOn)
        this.items.cancel(item, 'max_wait_time');
    });
  }

  /** Closes a document (interaction closed, case resolved): its active work items leave the active set. */
  closeDocument(table: string, documentId: string): void {
    const key = documentKey(table, documentId);
    const doc = this.world.documents.get(key);
    if (!doc) return;
    doc.active = false;
    for (const item of [this.items.active(key), this.items.consult(key)]) {
      if (!item) continue;
      if (item.state === 'accepted') this.items.complete(item);
      else this.items.cancel(item, 'document_closed');
    }
  }

  /** The number of the next interaction created through the Interaction API. */
  nextInteractionNumber(): string {
    return `IMS${String(9_000_000 + ++this.interactions).padStart(7, '0')}`;
  }

  /** Every work item of a document, newest first. */
  itemsOf(documentId: string): WorkItem[] {
    return [...this.items.all.values()].filter((i) => i.document_id === documentId).reverse();
  }
}
