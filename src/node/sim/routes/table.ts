/**
 * Table API reads (`GET /api/now/table/{table}[/{sys_id}]`) of the records a harness needs: work items,
 * users with their roles, queues, presence states, interactions. Values are strings, as the Table API sends them.
 */
import { formatOfferedOn } from '../../../shared/time.js';
import type { Engine } from '../engine.js';
import type { WorkItem } from '../work-items.js';
import { platformReply } from '../respond.js';
import { ok, type Route } from './types.js';

type Row = Record<string, string>;

const dateTime = (ms: number | null): string => (ms === null ? '' : formatOfferedOn(ms).replace('T', ' ').slice(0, 19));

function workItemRow(i: WorkItem): Row {
  return {
    sys_id: i.sys_id,
    document_table: i.document_table,
    document_id: i.document_id,
    queue: i.queue,
    assigned_to: i.assigned_to ?? '',
    state: i.state,
    active: String(i.active),
    rejected: String(i.rejected),
    timed_out: String(i.timed_out),
    cancel_reason: i.cancel_reason ?? '',
    offered_on: dateTime(i.offered_on),
    offer_count: String(i.offer_count),
    consult_of: i.consult_of ?? '',
    state_changed_on: dateTime(i.state_changed_on),
  };
}

/** Every table the simulator serves, as rows. */
export const TABLES: Record<string, (engine: Engine) => Row[]> = {
  awa_work_item: (e) => [...e.items.all.values()].map(workItemRow),
  sys_user: (e) =>
    [...e.world.agents.values()].map((a) => ({ sys_id: a.sys_id, name: a.name, user_name: a.user_name, roles: a.roles.join(','), active: 'true' })),
  awa_queue: (e) => [...e.world.queues.values()].map((q) => ({ sys_id: q.sys_id, name: q.name, external_id: q.external_id ?? '', active: 'true' })),
  awa_presence_state: (e) => [...e.world.presence.values()].map((p) => ({ sys_id: p.sys_id, name: p.name, available: String(p.available) })),
  // role grants as the platform stores them; `role.name` is the dot-walked role name a query filters on
  sys_user_has_role: (e) =>
    [...e.world.agents.values()].flatMap((a) => a.roles.map((role) => ({ sys_id: `${a.sys_id.slice(0, 24)}${role.length.toString(16).padStart(8, '0')}`, user: a.sys_id, 'role.name': role }))),
  awa_agent_presence: (e) =>
    [...e.world.agents.values()].map((a) => ({ agent: a.sys_id, current_presence_state: a.presence, sys_id: a.sys_id })),
  interaction: (e) =>
    [...e.world.documents.values()]
      .filter((d) => d.table === 'interaction')
      .map((d) => ({ sys_id: d.sys_id, number: d.number, active: String(d.active), state: d.active ? 'work_in_progress' : 'closed_complete' })),
};

/** Parses the equality terms of a sysparm_query (`a=b^c=d`); ordering terms are ignored. */
export function parseQuery(q: string | null): [string, string][] {
  if (!q) return [];
  return q
    .split('^')
    .filter((t) => t.includes('=') && !t.startsWith('ORDERBY'))
    .map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)] as [string, string]);
}

export function selectRows(engine: Engine, table: string, query: URLSearchParams): Row[] | undefined {
  const all = TABLES[table]?.(engine);
  if (!all) return undefined;
  const terms = parseQuery(query.get('sysparm_query'));
  const rows = all.filter((r) => terms.every(([k, v]) => r[k] === v));
  const limit = Number(query.get('sysparm_limit') ?? 10000);
  const fields = query.get('sysparm_fields')?.split(',').map((f) => f.trim()).filter(Boolean);
  const picked = fields ? rows.map((r) => Object.fromEntries(fields.map((f) => [f, r[f] ?? '']))) : rows;
  return picked.slice(0, Number.isFinite(limit) && limit > 0 ? limit : 10000);
}

/** The Table API routes: a list with a query, and one record by sys_id. */
export function tableRoutes(engine: Engine): Route[] {
  const config = engine.config;
  return [
    {
      name: 'table',
      pattern: /^\/api\/now\/table\/([a-z_]+)\/?$/,
      method: 'GET',
      handle: (req) => {
        const rows = selectRows(engine, req.params[0]!, req.query);
        return rows ? ok({ result: rows }) : platformReply(config, 'not_found');
      },
    },
    {
      name: 'table',
      pattern: /^\/api\/now\/table\/([a-z_]+)\/([0-9a-f]{32})\/?$/,
      method: 'GET',
      handle: (req) => {
        const row = selectRows(engine, req.params[0]!, new URLSearchParams())?.find((r) => r.sys_id === req.params[1]);
        return row ? ok({ result: row }) : platformReply(config, 'not_found');
      },
    },
  ];
}
