/**
 * The tables the simulator's Table API serves, described once: where the records come from, how to find one by
 * sys_id, each column's value, which columns reference which table, and which column names a record when
 * another one references it. Rows, queries, dot-walks, display values and links are all read from here.
 */
import { createHash } from 'node:crypto';
import { formatOfferedOn } from '../../../shared/time.js';
import type { Engine } from '../platform/engine.js';
import { documentKey, type Agent, type DocumentRecord, type PresenceState, type Queue } from '../platform/fixtures.js';
import type { WorkItem } from '../platform/work-items.js';

export interface Column<R> {
  /** the value as the Table API sends it: a string; a reference's value is the referenced sys_id, '' when empty */
  readonly get: (record: R, engine: Engine) => string;
  /** the table a reference column points to */
  readonly references?: string;
}

export interface TableSpec<R> {
  readonly records: (engine: Engine) => Iterable<R>;
  readonly find: (engine: Engine, sysId: string) => R | undefined;
  /** the column whose value stands for a record that another record references (display_value) */
  readonly display: string;
  /** in the order a row lists them */
  readonly columns: Readonly<Record<string, Column<R>>>;
}

const col = <R>(get: (record: R, engine: Engine) => string): Column<R> => ({ get });
const ref = <R>(references: string, get: (record: R, engine: Engine) => string): Column<R> => ({ get, references });
// Each table's record type stays inside its own entry; the registry only passes records back to the same entry.
const table = <R>(spec: TableSpec<R>): TableSpec<unknown> => spec as unknown as TableSpec<unknown>;

const dateTime = (ms: number | null): string => (ms === null ? '' : formatOfferedOn(ms).replace('T', ' ').slice(0, 19));
const hashId = (text: string): string => createHash('md5').update(text).digest('hex');

interface Role {
  readonly sys_id: string;
  readonly name: string;
}
/** Role sys_ids are a hash of the name, so they are the same on every seed; each is remembered for lookups either way. */
const rolesByName = new Map<string, Role>();
const rolesById = new Map<string, Role>();
export function roleId(name: string): string {
  let role = rolesByName.get(name);
  if (!role) {
    role = { sys_id: hashId(`sys_user_role:${name}`), name };
    rolesByName.set(name, role);
    rolesById.set(role.sys_id, role);
  }
  return role.sys_id;
}
/** The roles an instance has even when no seeded user holds them (the integration user's among them). */
const KNOWN_ROLES = ['awa_agent', 'awa_external_user', 'awa_manager', 'awa_integration_user', 'rest_service', 'itil'];
function roles(engine: Engine): Role[] {
  const names = new Set(KNOWN_ROLES);
  for (const a of engine.world.agents.values()) for (const r of a.roles) names.add(r);
  return [...names].map((name) => ({ sys_id: roleId(name), name }));
}

interface Grant {
  readonly user: Agent;
  readonly role: string;
}
const grants = (engine: Engine): Grant[] =>
  [...engine.world.agents.values()].flatMap((user) => user.roles.map((role) => ({ user, role })));
const grantId = (g: Grant): string => hashId(`sys_user_has_role:${g.user.sys_id}:${roleId(g.role)}`);

const interactions = (engine: Engine): DocumentRecord[] =>
  [...engine.world.documents.values()].filter((d) => d.table === 'interaction');
/** An interaction's queue and assignee are its active work item's. */
const routedBy = (engine: Engine, d: DocumentRecord): WorkItem | undefined =>
  engine.items.active(documentKey('interaction', d.sys_id));

export const TABLES: Readonly<Record<string, TableSpec<unknown>>> = {
  awa_work_item: table<WorkItem>({
    records: (e) => e.items.all.values(),
    find: (e, id) => e.items.all.get(id),
    display: 'sys_id',
    columns: {
      sys_id: col((i) => i.sys_id),
      document_table: col((i) => i.document_table),
      document_id: col((i) => i.document_id),
      queue: ref('awa_queue', (i) => i.queue),
      assigned_to: ref('sys_user', (i) => i.assigned_to ?? ''),
      state: col((i) => i.state),
      active: col((i) => String(i.active)),
      rejected: col((i) => String(i.rejected)),
      timed_out: col((i) => String(i.timed_out)),
      cancel_reason: col((i) => i.cancel_reason ?? ''),
      offered_on: col((i) => dateTime(i.offered_on)),
      offer_count: col((i) => String(i.offer_count)),
      consult_of: col((i) => i.consult_of ?? ''),
      external_segment_id: col((i) => i.external_segment_id ?? ''),
      state_changed_on: col((i) => dateTime(i.state_changed_on)),
    },
  }),
  sys_user: table<Agent>({
    records: (e) => e.world.agents.values(),
    find: (e, id) => e.world.agents.get(id),
    display: 'name',
    columns: {
      sys_id: col((a) => a.sys_id),
      name: col((a) => a.name),
      user_name: col((a) => a.user_name),
      roles: col((a) => a.roles.join(',')),
      active: col(() => 'true'),
    },
  }),
  sys_user_role: table<Role>({
    records: roles,
    find: (e, id) => rolesById.get(id) ?? roles(e).find((r) => r.sys_id === id),
    display: 'name',
    columns: { sys_id: col((r) => r.sys_id), name: col((r) => r.name) },
  }),
  sys_user_has_role: table<Grant>({
    records: grants,
    find: (e, id) => grants(e).find((g) => grantId(g) === id),
    display: 'sys_id',
    columns: {
      sys_id: col(grantId),
      user: ref('sys_user', (g) => g.user.sys_id),
      role: ref('sys_user_role', (g) => roleId(g.role)),
      // listed in every row, as harnesses read it; a dot-walk through `role` gives the same value
      'role.name': col((g) => g.role),
    },
  }),
  awa_queue: table<Queue>({
    records: (e) => e.world.queues.values(),
    find: (e, id) => e.world.queues.get(id),
    display: 'name',
    columns: {
      sys_id: col((q) => q.sys_id),
      name: col((q) => q.name),
      external_id: col((q) => q.external_id ?? ''),
      active: col(() => 'true'),
    },
  }),
  awa_presence_state: table<PresenceState>({
    records: (e) => e.world.presence.values(),
    find: (e, id) => e.world.presence.get(id),
    display: 'name',
    columns: { sys_id: col((p) => p.sys_id), name: col((p) => p.name), available: col((p) => String(p.available)) },
  }),
  // one presence record per agent; it shares the agent's sys_id, so a lookup by agent needs no index
  awa_agent_presence: table<Agent>({
    records: (e) => e.world.agents.values(),
    find: (e, id) => e.world.agents.get(id),
    display: 'sys_id',
    columns: {
      sys_id: col((a) => a.sys_id),
      agent: ref('sys_user', (a) => a.sys_id),
      current_presence_state: ref('awa_presence_state', (a) => a.presence),
    },
  }),
  interaction: table<DocumentRecord>({
    records: interactions,
    find: (e, id) => e.world.documents.get(documentKey('interaction', id)),
    display: 'number',
    columns: {
      sys_id: col((d) => d.sys_id),
      number: col((d) => d.number),
      active: col((d) => String(d.active)),
      state: col((d) => (d.active ? 'work_in_progress' : 'closed_complete')),
      queue: ref('awa_queue', (d, e) => routedBy(e, d)?.queue ?? ''),
      assigned_to: ref('sys_user', (d, e) => routedBy(e, d)?.assigned_to ?? ''),
    },
  }),
};

/** Reads one field of a record: a column, or a dot-walk through reference columns (`role.name`, `assigned_to.name`). */
export interface FieldReader {
  /** the table the field (the last column of a dot-walk) references, if it is a reference */
  readonly references?: string;
  readonly read: (record: unknown, engine: Engine) => string;
}

/** The reader for a field of a table, or undefined when the table has no such field. */
export function fieldReader(tableName: string, field: string): FieldReader | undefined {
  const spec = TABLES[tableName];
  if (!spec) return undefined;
  const column = spec.columns[field];
  if (column) return { references: column.references, read: column.get };
  const dot = field.indexOf('.');
  const head = dot > 0 ? spec.columns[field.slice(0, dot)] : undefined;
  if (!head?.references) return undefined;
  const target = TABLES[head.references]!;
  const rest = fieldReader(head.references, field.slice(dot + 1));
  if (!rest) return undefined;
  return {
    references: rest.references,
    read: (record, engine) => {
      const id = head.get(record, engine);
      const next = id === '' ? undefined : target.find(engine, id);
      return next === undefined ? '' : rest.read(next, engine);
    },
  };
}
