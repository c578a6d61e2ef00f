/**
 * What a run left on its target, read back from the target itself: the interactions its records file names
 * (still active or not), its active work items (by the testid its offers carry in external_segment_id, and by
 * the sys_ids the file names), and each agent's presence now beside the one the run first found.
 */
import { runSegmentQuery, type PresenceSnapshot, type RecordLog } from '../../shared/run-records.js';
import type { TargetClient } from './client.js';

export interface LeftWorkItem {
  readonly sys_id: string;
  readonly state: string;
  readonly assigned_to: string;
  readonly document_table: string;
  readonly document_id: string;
}

export interface LeftAgent {
  readonly agent: string;
  readonly previous: PresenceSnapshot;
  /** undefined when the Agent API could not read the agent */
  readonly current: PresenceSnapshot | undefined;
}

export interface Leftovers {
  /** the run's interactions still active */
  readonly interactions: readonly string[];
  readonly workItems: readonly LeftWorkItem[];
  readonly agents: readonly LeftAgent[];
}

/** IN lists per Table API query, so a URL stays far under any server's limit. */
const CHUNK = 100;

async function activeOf(
  client: TargetClient,
  table: string,
  ids: readonly string[],
  fields: string,
): Promise<Record<string, string>[]> {
  const rows: Record<string, string>[] = [];
  for (let i = 0; i < ids.length; i += CHUNK)
    rows.push(...(await client.rows(table, `sys_idIN${ids.slice(i, i + CHUNK).join(',')}^active=true`, fields)));
  return rows;
}

/** An agent's presence as the Agent API reads it, or undefined when it cannot. */
export async function presenceOf(client: TargetClient, agent: string): Promise<PresenceSnapshot | undefined> {
  const a = await client.request('GET', `/api/now/awa/agents/${agent}`);
  const p = a.status === 200 ? a.json?.result?.presence : undefined;
  if (typeof p?.sys_id !== 'string') return undefined;
  const channels = Array.isArray(p.channels)
    ? p.channels.map((c: any) => [String(c.sys_id), c.available === true] as const)
    : [];
  return { state: p.sys_id, channels };
}

const ITEM_FIELDS = 'sys_id,state,assigned_to,document_table,document_id';

export async function findLeftovers(client: TargetClient, testid: string, log: RecordLog): Promise<Leftovers> {
  const interactions = (await activeOf(client, 'interaction', log.interactions, 'sys_id')).map((r) => r.sys_id!);
  const byId = new Map<string, LeftWorkItem>();
  const items = [
    ...(await client.rows('awa_work_item', `${runSegmentQuery(testid)}^active=true`, ITEM_FIELDS)),
    ...(await activeOf(client, 'awa_work_item', log.workItems, ITEM_FIELDS)),
  ];
  for (const r of items)
    byId.set(r.sys_id!, {
      sys_id: r.sys_id!,
      state: r.state ?? '',
      assigned_to: r.assigned_to ?? '',
      document_table: r.document_table ?? '',
      document_id: r.document_id ?? '',
    });
  const agents: LeftAgent[] = [];
  for (const [agent, previous] of log.presence)
    agents.push({ agent, previous, current: await presenceOf(client, agent) });
  return { interactions, workItems: [...byId.values()], agents };
}
