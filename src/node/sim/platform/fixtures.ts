/**
 * Seeded fixtures: agents with roles, presence, channel availability and capacities; service channels with
 * their reject reasons; queues with provider ids; interaction and case documents; presence states. The same
 * seed always gives the same fixtures.
 */
import { Faker, en } from '@faker-js/faker';
import type { Fixtures } from '../../../shared/api.js';
import type { SimConfig } from '../config.js';

export interface Agent {
  readonly sys_id: string;
  readonly name: string;
  readonly user_name: string;
  readonly roles: readonly string[];
  presence: string;
  /** availability per service channel sys_id, every channel the agent works */
  readonly channels: Map<string, boolean>;
  /** max capacity per service channel sys_id */
  readonly capacities: Map<string, number>;
  /** the agent's universal capacity record; null when it has none */
  universalCapacity: number | null;
}

export interface Queue {
  readonly sys_id: string;
  readonly name: string;
  readonly external_id: string | null;
  /** the service channel (sys_id) its work items are on */
  readonly channel: string;
}

export interface ServiceChannel {
  readonly sys_id: string;
  readonly name: string;
  readonly service_channel_type: string;
}

export interface RejectReason {
  readonly sys_id: string;
  /** the service channel (sys_id) it is offered on */
  readonly channel: string;
  readonly value: string;
  readonly display_value: string;
  readonly order: number;
}

/** An interaction created through the Interaction API, with what its answers show. */
export interface InteractionFields {
  /** the state it was opened in; it is closed_complete once the document is inactive, however it was closed */
  readonly state: 'new' | 'queued';
  readonly channel: string;
  readonly queue: string;
  /** the API caller (cannot be set through the API) */
  readonly opened_by: string;
  readonly opened_for: string;
  assigned_to: string;
  closed_by: string;
  readonly context: { readonly table: string; readonly document: string };
  readonly channelMetadata: { readonly table: string; readonly document: string };
}

export interface DocumentRecord {
  readonly sys_id: string;
  readonly table: string;
  readonly number: string;
  active: boolean;
  /** only on interactions created through the Interaction API */
  readonly interaction?: InteractionFields;
}

/** How a presence state sets one service channel when an agent enters it. */
export interface PresenceChannel {
  readonly channel: string;
  readonly available: boolean;
  readonly restrict_update: boolean;
}

export interface PresenceState {
  readonly sys_id: string;
  readonly name: string;
  readonly available: boolean;
  readonly order: number;
  readonly show_channels: boolean;
  readonly disable_inactivity_check: boolean;
  readonly channels: readonly PresenceChannel[];
}

export interface World {
  /** every sys_user that can be named as an agent: real agents and the seeded users lacking a role */
  readonly agents: Map<string, Agent>;
  readonly queues: Map<string, Queue>;
  /** queue sys_id by external id */
  readonly queuesByExternalId: Map<string, Queue>;
  /** keyed `${table}:${sys_id}` */
  readonly documents: Map<string, DocumentRecord>;
  readonly presence: Map<string, PresenceState>;
  readonly channels: Map<string, ServiceChannel>;
  readonly rejectReasons: Map<string, RejectReason>;
}

const QUEUE_TOPICS = ['Billing', 'Technical Support', 'Sales', 'Orders', 'Returns', 'Accounts', 'Claims', 'Retention'];
/**
 * Service channels, named as the pool names an interaction's channel; the default max capacity of an agent on
 * each. service_channel_type values are unconfirmed (the reference names the field, not its values).
 */
const SERVICE_CHANNELS: readonly { name: string; type: string; capacity: number }[] = [
  { name: 'Phone', type: 'voice', capacity: 1 },
  { name: 'Chat', type: 'chat', capacity: 3 },
  { name: 'Messaging', type: 'chat', capacity: 5 },
  { name: 'Email', type: 'task', capacity: 8 },
];
/** Reject reasons seeded on every channel: value, display value; ordered as listed. */
const REJECT_REASONS: readonly [string, string][] = [
  ['busy', 'Busy with another customer'],
  ['not_skilled', 'Not skilled for this request'],
  ['wrong_queue', 'Wrong queue'],
  ['end_of_shift', 'End of shift'],
];
/** The default presence states: available to receive work, list order, whether the agent sees channel toggles. */
const PRESENCE_STATES: readonly { name: string; available: boolean; order: number; showChannels: boolean }[] = [
  { name: 'Available', available: true, order: 100, showChannels: true },
  { name: 'Away', available: false, order: 200, showChannels: false },
  { name: 'Offline', available: false, order: 300, showChannels: false },
];
/** share of agents with a universal capacity record (the Agent API then answers universal_*) */
const UNIVERSAL_CAPACITY_SHARE = 0.25;
/** Document tables and their share and number prefix. */
const DOCUMENT_TABLES: readonly { table: string; prefix: string; share: number }[] = [
  { table: 'interaction', prefix: 'IMS', share: 0.85 },
  { table: 'sn_customerservice_case', prefix: 'CS', share: 0.15 },
];

export function documentKey(table: string, sysId: string): string {
  return `${table}:${sysId}`;
}

/** Builds the world for a config; deterministic in `config.seed`. */
export function seedWorld(config: SimConfig): World {
  const faker = new Faker({ locale: [en] });
  faker.seed(config.seed);
  const hex = (): string => faker.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' });

  // Channels, reasons and capacities came later: drawn from their own generator so every older id stays the same.
  const extra = new Faker({ locale: [en] });
  extra.seed(config.seed ^ 0x5c4a);
  const extraHex = (): string => extra.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' });
  const channels = new Map<string, ServiceChannel>();
  const rejectReasons = new Map<string, RejectReason>();
  for (const c of SERVICE_CHANNELS) {
    const channel: ServiceChannel = { sys_id: extraHex(), name: c.name, service_channel_type: c.type };
    channels.set(channel.sys_id, channel);
    REJECT_REASONS.forEach(([value, display_value], i) => {
      const reason: RejectReason = {
        sys_id: extraHex(),
        channel: channel.sys_id,
        value,
        display_value,
        order: (i + 1) * 100,
      };
      rejectReasons.set(reason.sys_id, reason);
    });
  }
  const channelIds = [...channels.keys()];

  const presence = new Map<string, PresenceState>();
  for (const p of PRESENCE_STATES) {
    // a state makes every channel as available as itself (restrict_update: whether the agent may override, unconfirmed)
    const stateChannels = channelIds.map((channel) => ({ channel, available: p.available, restrict_update: false }));
    const state: PresenceState = {
      sys_id: hex(),
      name: p.name,
      available: p.available,
      order: p.order,
      show_channels: p.showChannels,
      disable_inactivity_check: false,
      channels: stateChannels,
    };
    presence.set(state.sys_id, state);
  }
  const byName = (name: string): PresenceState => [...presence.values()].find((p) => p.name === name)!;

  const agents = new Map<string, Agent>();
  const { agents: count, awayShare, offlineShare, usersWithoutAgentRole, agentsWithoutExternalRole } = config.fixtures;
  const person = (roles: readonly string[], stateName: string): Agent => {
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    const state = byName(stateName);
    return {
      sys_id: hex(),
      name: `${first} ${last}`,
      user_name: faker.internet.username({ firstName: first, lastName: last }).toLowerCase(),
      roles,
      presence: state.sys_id,
      channels: new Map(state.channels.map((c) => [c.channel, c.available])),
      capacities: new Map(),
      universalCapacity: null,
    };
  };
  for (let i = 0; i < count; i++) {
    const draw = faker.number.float({ min: 0, max: 1 });
    const state = draw < offlineShare ? 'Offline' : draw < offlineShare + awayShare ? 'Away' : 'Available';
    const agent = person(['awa_agent', 'awa_external_user'], state);
    agents.set(agent.sys_id, agent);
  }
  // Users a CCaaS mapping can name by mistake: supervisors without awa_agent, agents not set up for
  // external routing. They are Available so the role check, not presence, is what refuses them.
  for (let i = 0; i < usersWithoutAgentRole; i++) {
    const user = person(['itil', 'awa_manager'], 'Available');
    agents.set(user.sys_id, user);
  }
  for (let i = 0; i < agentsWithoutExternalRole; i++) {
    const user = person(['awa_agent'], 'Available');
    agents.set(user.sys_id, user);
  }

  // capacities vary around the channel's default: some agents take one more or one less
  for (const agent of agents.values()) {
    for (const [i, c] of SERVICE_CHANNELS.entries())
      agent.capacities.set(channelIds[i]!, Math.max(1, c.capacity + extra.number.int({ min: -1, max: 1 })));
    if (extra.number.float({ min: 0, max: 1 }) < UNIVERSAL_CAPACITY_SHARE)
      agent.universalCapacity = extra.number.int({ min: 4, max: 8 });
  }

  const queues = new Map<string, Queue>();
  const queuesByExternalId = new Map<string, Queue>();
  for (let i = 0; i < config.fixtures.queues; i++) {
    const channel = Math.floor(i / QUEUE_TOPICS.length) % SERVICE_CHANNELS.length;
    const queue: Queue = {
      sys_id: hex(),
      name: `${QUEUE_TOPICS[i % QUEUE_TOPICS.length]} - ${SERVICE_CHANNELS[channel]!.name}`,
      external_id: i % 6 === 5 ? null : faker.string.uuid(),
      channel: channelIds[channel]!,
    };
    queues.set(queue.sys_id, queue);
    if (queue.external_id) queuesByExternalId.set(queue.external_id, queue);
  }

  const documents = new Map<string, DocumentRecord>();
  const numbers = new Map<string, number>();
  for (let i = 0; i < config.fixtures.documents; i++) {
    const draw = faker.number.float({ min: 0, max: 1 });
    let acc = 0;
    const kind = DOCUMENT_TABLES.find((t) => (acc += t.share) > draw) ?? DOCUMENT_TABLES[0]!;
    const n = (numbers.get(kind.table) ?? 0) + 1;
    numbers.set(kind.table, n);
    const active = faker.number.float({ min: 0, max: 1 }) >= config.fixtures.inactiveDocumentShare;
    const doc: DocumentRecord = {
      sys_id: hex(),
      table: kind.table,
      number: `${kind.prefix}${String(n).padStart(7, '0')}`,
      active,
    };
    documents.set(documentKey(doc.table, doc.sys_id), doc);
  }
  return { agents, queues, queuesByExternalId, documents, presence, channels, rejectReasons };
}

/** An agent external routing can offer work to: both roles. */
export function isRoutableAgent(a: Agent): boolean {
  return a.roles.includes('awa_agent') && a.roles.includes('awa_external_user');
}

/** The fixtures a harness needs, as `/sim/fixtures` serves them (routable agents, active documents). */
export function publicFixtures(world: World): Fixtures {
  return {
    channels: [...world.channels.values()].map((c) => ({ sys_id: c.sys_id, name: c.name })),
    agents: [...world.agents.values()]
      .filter(isRoutableAgent)
      .map((a) => ({ sys_id: a.sys_id, name: a.name, presence: world.presence.get(a.presence)?.name ?? 'Unknown' })),
    queues: [...world.queues.values()].map((q) => ({ sys_id: q.sys_id, name: q.name, external_id: q.external_id })),
    documents: [...world.documents.values()]
      .filter((d) => d.active)
      .map((d) => ({ sys_id: d.sys_id, table: d.table, number: d.number })),
    presence_states: [...world.presence.values()].map((p) => ({
      sys_id: p.sys_id,
      name: p.name,
      available: p.available,
    })),
  };
}
