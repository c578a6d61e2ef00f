/**
 * Where a run's fixtures (agents, queues, documents, presence states) come from: a user file (JSON, or CSV
 * with one row per record), the simulator's /sim/fixtures, or discovery through the Table API as on a real
 * instance (queues, presence states, agents by role and presence, active interactions).
 */
import { readFileSync } from 'node:fs';
import type { Fixtures, FixtureAgent, FixtureDocument, FixturePresence, FixtureQueue } from '../../shared/api.js';
import { EnvironmentError, UsageError } from '../errors.js';

/** CSV columns: kind is agent, queue, document or presence; the other columns apply by kind. */
export const CSV_COLUMNS = ['kind', 'sys_id', 'name', 'table', 'presence', 'external_id', 'available'] as const;

function parseCsv(text: string, file: string): Fixtures {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const header = lines.shift()?.split(',').map((h) => h.trim());
  if (!header || !header.includes('kind') || !header.includes('sys_id')) throw new UsageError(`invalid --fixtures: ${file} needs a header with at least kind,sys_id (columns: ${CSV_COLUMNS.join(',')})`);
  const out = { agents: [] as FixtureAgent[], queues: [] as FixtureQueue[], documents: [] as FixtureDocument[], presence_states: [] as FixturePresence[] };
  lines.forEach((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    const row = Object.fromEntries(header.map((h, j) => [h, cells[j] ?? '']));
    if (!/^[0-9a-f]{32}$/.test(row.sys_id ?? '')) throw new UsageError(`invalid --fixtures: ${file} line ${i + 2}: sys_id must be 32 lowercase hex characters, got "${row.sys_id}"`);
    const kinds: Record<string, () => void> = {
      agent: () => out.agents.push({ sys_id: row.sys_id!, name: row.name || row.sys_id!, presence: row.presence || 'Available' }),
      queue: () => out.queues.push({ sys_id: row.sys_id!, name: row.name || row.sys_id!, external_id: row.external_id || null }),
      document: () => out.documents.push({ sys_id: row.sys_id!, table: row.table || 'interaction', number: row.name || row.sys_id! }),
      presence: () => out.presence_states.push({ sys_id: row.sys_id!, name: row.name || row.sys_id!, available: row.available === 'true' }),
    };
    const add = kinds[row.kind ?? ''];
    if (!add) throw new UsageError(`invalid --fixtures: ${file} line ${i + 2}: kind must be one of ${Object.keys(kinds).join(', ')}, got "${row.kind}"`);
    add();
  });
  return out;
}

/** Reads a fixtures file: JSON in the /sim/fixtures shape, or CSV (by extension). */
export function loadFixturesFile(file: string): Fixtures {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`invalid --fixtures: ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (file.toLowerCase().endsWith('.csv')) return parseCsv(text, file);
  try {
    return JSON.parse(text) as Fixtures;
  } catch (e) {
    throw new UsageError(`invalid --fixtures: ${file} is not a JSON fixtures file (${(e as Error).message.split('\n')[0]})`);
  }
}

type Row = Record<string, string>;

async function table(base: string, headers: Record<string, string>, path: string): Promise<Row[]> {
  const res = await fetch(`${base}/api/now/table/${path}`, { headers: { ...headers, Accept: 'application/json' }, signal: AbortSignal.timeout(30_000) }).catch((e: Error) => {
    throw new EnvironmentError(`target ${base} is not reachable: ${e.message}`);
  });
  if (res.status === 401) throw new EnvironmentError(`target ${base} refused the credentials while discovering fixtures (401)`);
  if (!res.ok) throw new EnvironmentError(`Table API ${path.split('?')[0]} answered ${res.status} at ${base}: pass --fixtures FILE instead`);
  return ((await res.json()) as { result: Row[] }).result;
}

/** Discovers fixtures through the Table API, as on a real instance. */
export async function discoverFixtures(base: string, headers: Record<string, string>, maxDocuments = 5000): Promise<Fixtures> {
  const presence = await table(base, headers, 'awa_presence_state?sysparm_fields=sys_id,name,available');
  const queues = await table(base, headers, 'awa_queue?sysparm_query=active=true&sysparm_fields=sys_id,name,external_id');
  const agentRole = await table(base, headers, 'sys_user_has_role?sysparm_query=role.name=awa_agent&sysparm_fields=user');
  const externalRole = new Set((await table(base, headers, 'sys_user_has_role?sysparm_query=role.name=awa_external_user&sysparm_fields=user')).map((r) => r.user));
  const presenceOf = new Map((await table(base, headers, 'awa_agent_presence?sysparm_fields=agent,current_presence_state')).map((r) => [r.agent, r.current_presence_state]));
  const presenceName = new Map(presence.map((p) => [p.sys_id, p.name]));
  const users = await table(base, headers, 'sys_user?sysparm_fields=sys_id,name');
  const names = new Map(users.map((u) => [u.sys_id, u.name]));
  const documents = await table(base, headers, `interaction?sysparm_query=active=true&sysparm_fields=sys_id,number&sysparm_limit=${maxDocuments}`);
  return {
    presence_states: presence.map((p) => ({ sys_id: p.sys_id!, name: p.name!, available: p.available === 'true' })),
    queues: queues.map((q) => ({ sys_id: q.sys_id!, name: q.name!, external_id: q.external_id || null })),
    agents: agentRole
      .map((r) => r.user!)
      .filter((u) => externalRole.has(u))
      .map((u) => ({ sys_id: u, name: names.get(u) ?? u, presence: presenceName.get(presenceOf.get(u) ?? '') ?? 'Unknown' })),
    documents: documents.map((d) => ({ sys_id: d.sys_id!, table: 'interaction', number: d.number! })),
  };
}
