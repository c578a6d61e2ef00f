/** The simulator's bookkeeping invariants, checked on demand (`/sim/invariants`) and by tests. */
import type { Engine } from './engine.js';
import { documentKey } from './fixtures.js';

export interface InvariantReport {
  readonly ok: boolean;
  readonly checked: { readonly work_items: number; readonly documents: number; readonly agents: number };
  /** the first violations found (at most 20) */
  readonly violations: string[];
}

/** Checks every invariant over the whole state. */
export function checkInvariants(engine: Engine): InvariantReport {
  const violations: string[] = [];
  const add = (v: string): void => {
    if (violations.length < 20) violations.push(v);
  };
  const primaries = new Map<string, number>();
  const consults = new Map<string, number>();
  for (const item of engine.items.all.values()) {
    const key = documentKey(item.document_table, item.document_id);
    if (!item.active) continue;
    const count = item.consult_of === null ? primaries : consults;
    count.set(key, (count.get(key) ?? 0) + 1);
    const index = item.consult_of === null ? engine.items.activeByDocument : engine.items.consultByDocument;
    if (index.get(key) !== item) add(`active work item ${item.sys_id} is not the indexed one for ${key}`);
    if ((item.state === 'pending_accept' || item.state === 'accepted') && !item.assigned_to)
      add(`${item.state} work item ${item.sys_id} has no agent`);
    if (item.state === 'queued' && item.assigned_to)
      add(`queued work item ${item.sys_id} is assigned to ${item.assigned_to}`);
    if (item.state === 'canceled') add(`canceled work item ${item.sys_id} is still active`);
    const doc = engine.world.documents.get(key);
    if (!doc) add(`work item ${item.sys_id} names unknown document ${key}`);
    else if (!doc.active) add(`closed document ${key} still has active work item ${item.sys_id}`);
  }
  for (const [key, n] of primaries) if (n > 1) add(`document ${key} has ${n} active work items`);
  for (const [key, n] of consults) if (n > 1) add(`document ${key} has ${n} active consults`);
  for (const [key, item] of engine.items.activeByDocument)
    if (!item.active) add(`index holds inactive work item ${item.sys_id} for ${key}`);
  const { created, pruned } = engine.items.counts;
  if (created !== engine.items.all.size + pruned)
    add(`created ${created} work items but holds ${engine.items.all.size} and pruned ${pruned}`);
  for (const agent of engine.world.agents.values()) {
    if (!engine.world.presence.has(agent.presence)) add(`agent ${agent.sys_id} has unknown presence ${agent.presence}`);
    for (const channel of [...agent.channels.keys(), ...agent.capacities.keys()])
      if (!engine.world.channels.has(channel)) add(`agent ${agent.sys_id} names unknown service channel ${channel}`);
  }
  return {
    ok: violations.length === 0,
    checked: {
      work_items: engine.items.all.size,
      documents: engine.world.documents.size,
      agents: engine.world.agents.size,
    },
    violations,
  };
}
