/**
 * Simulated agents: they accept offers after a delay, reject some when they may, leave some unanswered
 * (the offer times out), handle accepted work for a while, and drift between Available, Away and Offline.
 * Every action is a timed event on the simulator's clock, drawn from the seeded generator.
 */
import { drawExponential, drawLogNormal } from './distributions.js';
import type { EventQueue } from './events.js';
import type { Agent, World } from './fixtures.js';
import type { SimConfig } from '../config.js';
import type { Clock } from './clock.js';
import type { ItemEvent, WorkItem, WorkItems } from './work-items.js';

const HOUR_MS = 3_600_000;

export class AgentBehaviour {
  /** bumped on every presence change, so a churn event scheduled before it knows it is stale */
  private readonly presenceVersion = new Map<string, number>();
  private readonly stateId: Record<'Available' | 'Away' | 'Offline', string>;

  constructor(
    private readonly config: SimConfig['agents'],
    private readonly world: World,
    private readonly items: WorkItems,
    private readonly events: EventQueue,
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly closeDocument: (item: WorkItem) => void,
  ) {
    const id = (name: string): string => [...world.presence.values()].find((p) => p.name === name)!.sys_id;
    this.stateId = { Available: id('Available'), Away: id('Away'), Offline: id('Offline') };
  }

  /** Starts presence churn for every agent. */
  start(): void {
    if (this.config.mode !== 'simulated') return;
    for (const agent of this.world.agents.values()) this.scheduleChurn(agent);
  }

  /** Reacts to a work item change: answer offers, finish accepted work, schedule expiry. */
  onItem(item: WorkItem, event: ItemEvent): void {
    if (event === 'offered') this.onOffered(item);
    if (event === 'accepted' && this.config.mode === 'simulated') this.scheduleCompletion(item);
  }

  /**
   * Sets an agent's presence (PUT agents API, after_timeout_presence, churn). Entering a state sets each of
   * the agent's channels to the state's own availability for it, as the presence_states list shows it; a PUT
   * that names channels overrides that afterwards. Whether the platform keeps an agent's channel toggles
   * across presence changes instead is unconfirmed.
   */
  setPresence(agent: Agent, presenceId: string): void {
    agent.presence = presenceId;
    for (const c of this.world.presence.get(presenceId)?.channels ?? [])
      if (agent.channels.has(c.channel)) agent.channels.set(c.channel, c.available);
    this.presenceVersion.set(agent.sys_id, (this.presenceVersion.get(agent.sys_id) ?? 0) + 1);
    if (this.config.mode === 'simulated') this.scheduleChurn(agent);
  }

  private onOffered(item: WorkItem): void {
    const offeredAt = this.clock.now();
    if (this.config.mode !== 'simulated') return;
    const draw = this.random();
    if (draw < this.config.noAnswerShare) return;
    const rejects = item.allowed_to_decline && draw < this.config.noAnswerShare + this.config.rejectShare;
    const agentId = item.assigned_to;
    const offerCount = item.offer_count;
    this.events.schedule(offeredAt + drawLogNormal(this.random, this.config.acceptDelayMs), () => {
      // the agent answers only the card it was shown: not a later re-offer, not an expired one
      if (
        !item.active ||
        item.state !== 'pending_accept' ||
        item.assigned_to !== agentId ||
        item.offer_count !== offerCount
      )
        return;
      if (rejects) this.items.reject(item);
      else this.items.accept(item);
    });
  }

  private scheduleCompletion(item: WorkItem): void {
    this.events.schedule(this.clock.now() + drawLogNormal(this.random, this.config.handleTimeMs), () => {
      if (!item.active || item.state !== 'accepted') return;
      this.items.complete(item);
      if (this.config.closeDocumentAfterHandling && item.consult_of === null) this.closeDocument(item);
    });
  }

  private scheduleChurn(agent: Agent): void {
    const version = this.presenceVersion.get(agent.sys_id) ?? 0;
    const name = this.world.presence.get(agent.presence)?.name;
    const transitions: [number, string][] =
      name === 'Available'
        ? [
            [this.config.awayPerHour, this.stateId.Away],
            [this.config.offlinePerHour, this.stateId.Offline],
          ]
        : name === 'Away'
          ? [
              [this.config.backFromAwayPerHour, this.stateId.Available],
              [this.config.offlinePerHour, this.stateId.Offline],
            ]
          : [[this.config.onlinePerHour, this.stateId.Available]];
    const total = transitions.reduce((a, [rate]) => a + rate, 0);
    if (total <= 0) return;
    const at = this.clock.now() + drawExponential(this.random, HOUR_MS / total);
    let pick = this.random() * total;
    const next = transitions.find(([rate]) => (pick -= rate) < 0)?.[1] ?? transitions[0]![1];
    this.events.schedule(at, () => {
      if ((this.presenceVersion.get(agent.sys_id) ?? 0) !== version) return;
      this.setPresence(agent, next);
    });
  }
}
