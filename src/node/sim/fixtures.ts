/**
 * Seeded fixtures: agents with roles and presence, queues with provider ids, interaction and case
 * documents, presence states. The same seed always gives the same fixtures.
 */
import { Faker, en } from '@faker-js/faker';
import type { Fixtures } from '../../shared/api.js';
import type { SimConfig } from './config.js';

export interface Agent {
  readonly sys_id: string;
  readonly name: string;
  readonly user_name: string;
  readonly roles: readonly string[];
  presence: string;
}

export interface Queue {
  readonly sys_id: string;
  readonly name: string;
  readonly external_id: string | null;
}

export interface DocumentRecord {
  readonly sys_id: string;
  readonly table: string;
  readonly number: string;
  active: boolean;
}

export interface PresenceState {
  readonly sys_id: string;
  readonly name: string;
  readonly available: boolean;
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
}

const QUEUE_TOPICS = ['Billing', 'Technical Support', 'Sales', 'Orders', 'Returns', 'Accounts', 'Claims', 'Retention'];
const CHANNELS = ['Voice', 'Chat', 'Messaging', 'Email', 'Callback'];
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

  const presence = new Map<string, PresenceState>();
  for (const [name, available] of [['Available', true], ['Away', false], ['Offline', false]] as const) {
    const state = { sys_id: hex(), name, available };
    presence.set(state.sys_id, state);
  }
  const byName = (name: string): string => [...presence.values()].find((p) => p.name === name)!.sys_id;

  const agents = new Map<string, Agent>();
  const { agents: count, awayShare, offlineShare, usersWithoutAgentRole, agentsWithoutExternalRole } = config.fixtures;
  const person = (roles: readonly string[], state: string): Agent => {
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    return {
      sys_id: hex(),
      name: `${first} ${last}`,
      user_name: faker.internet.username({ firstName: first, lastName: last }).toLowerCase(),
      roles,
      presence: byName(state),
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

  const queues = new Map<string, Queue>();
  const queuesByExternalId = new Map<string, Queue>();
  for (let i = 0; i < config.fixtures.queues; i++) {
    const queue: Queue = {
      sys_id: hex(),
      name: `${QUEUE_TOPICS[i % QUEUE_TOPICS.length]} - ${CHANNELS[Math.floor(i / QUEUE_TOPICS.length) % CHANNELS.length]}`,
      external_id: i % 6 === 5 ? null : faker.string.uuid(),
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
    const doc: DocumentRecord = { sys_id: hex(), table: kind.table, number: `${kind.prefix}${String(n).padStart(7, '0')}`, active };
    documents.set(documentKey(doc.table, doc.sys_id), doc);
  }
  return { agents, queues, queuesByExternalId, documents, presence };
}

/** An agent external routing can offer work to: both roles. */
export function isRoutableAgent(a: Agent): boolean {
  return a.roles.includes('awa_agent') && a.roles.includes('awa_external_user');
}

/** The fixtures a harness needs, as `/sim/fixtures` serves them (routable agents, active documents). */
export function publicFixtures(world: World): Fixtures {
  return {
    agents: [...world.agents.values()].filter(isRoutableAgent).map((a) => ({ sys_id: a.sys_id, name: a.name, presence: world.presence.get(a.presence)?.name ?? 'Unknown' })),
    queues: [...world.queues.values()].map((q) => ({ sys_id: q.sys_id, name: q.name, external_id: q.external_id })),
    documents: [...world.documents.values()].filter((d) => d.active).map((d) => ({ sys_id: d.sys_id, table: d.table, number: d.number })),
    presence_states: [...world.presence.values()].map((p) => ({ sys_id: p.sys_id, name: p.name, available: p.available })),
  };
}
