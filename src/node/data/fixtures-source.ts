/**
 * Where a run's fixtures (agents, queues, documents, presence states) come from: a user file (JSON, or CSV
 * with one row per record), the simulator's /sim/fixtures, or discovery through the Table API as on a real
 * instance (queues, presence states, agents by role and presence, active interactions).
 */
import { readFileSync } from 'node:fs';
import type { Fixtures, FixtureAgent, FixtureDocument, FixturePresence, FixtureQueue } from '../../shared/api.js';
import { targetAuth, type TargetAuth } from '../credentials.js';
import { EnvironmentError, UsageError } from '../errors.js';

/** CSV columns: kind is agent, queue, document or presence; the other columns apply by kind. */
export const CSV_COLUMNS = ['kind', 'sys_id', 'name', 'table', 'presence', 'external_id', 'available'] as const;

function parseCsv(text: string, file: string): Fixtures {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const header = lines
    .shift()
    ?.split(',')
    .map((h) => h.trim());
  if (!header?.includes('kind') || !header.includes('sys_id'))
    throw new UsageError(
      `invalid --fixtures: ${file} needs a header with at least kind,sys_id (columns: ${CSV_COLUMNS.join(',')})`,
    );
  const out = {
    agents: [] as FixtureAgent[],
    queues: [] as FixtureQueue[],
    documents: [] as FixtureDocument[],
    presence_states: [] as FixturePresence[],
  };
  lines.forEach((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    const row = Object.fromEntries(header.map((h, j) => [h, cells[j] ?? '']));
    if (!/^[0-9a-f]{32}$/.test(row.sys_id ?? ''))
      throw new UsageError(
        `invalid --fixtures: ${file} line ${i + 2}: sys_id must be 32 lowercase hex characters, got "${row.sys_id}"`,
      );
    const kinds: Record<string, () => void> = {
      agent: () =>
        out.agents.push({ sys_id: row.sys_id!, name: row.name || row.sys_id!, presence: row.presence || 'Available' }),
      queue: () =>
        out.queues.push({ sys_id: row.sys_id!, name: row.name || row.sys_id!, external_id: row.external_id || null }),
      document: () =>
        out.documents.push({ sys_id: row.sys_id!, table: row.table || 'interaction', number: row.name || row.sys_id! }),
      presence: () =>
        out.presence_states.push({
          sys_id: row.sys_id!,
          name: row.name || row.sys_id!,
          available: row.available === 'true',
        }),
    };
    const add = kinds[row.kind ?? ''];
    if (!add)
      throw new UsageError(
        `invalid --fixtures: ${file} line ${i + 2}: kind must be one of ${Object.keys(kinds).join(', ')}, got "${row.kind}"`,
      );
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
    throw new UsageError(
      `invalid --fixtures: ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  if (file.toLowerCase().endsWith('.csv')) return parseCsv(text, file);
  try {
    return JSON.parse(text) as Fixtures;
  } catch (e) {
    throw new UsageError(
      `invalid --fixtures: ${file} is not a JSON fixtures file (${(e as Error).message.split('\n')[0]})`,
    );
  }
}

type Row = Record<string, string>;

/** Rows asked for per Table API request while discovering; the platform's own cap is 10000. */
export const DISCOVERY_PAGE_SIZE = 1000;
/** A listing stops here even if pages keep coming, so a server that ignores sysparm_offset cannot loop it forever. */
const MAX_DISCOVERED_ROWS = 100_000;

/**
 * A reference field's sys_id whatever its shape: discovery asks for plain strings (sysparm_exclude_reference_link),
 * but a server may send `{link, value}` (or `{display_value, value}`) anyway.
 */
function plain(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'value' in value)
    return plain((value as { value: unknown }).value);
  return value === undefined || value === null ? '' : String(value);
}

/** One Table API request: the page's rows as plain strings, and X-Total-Count when the server sent it. */
async function tablePage(
  base: string,
  auth: TargetAuth,
  table: string,
  params: URLSearchParams,
): Promise<{ rows: Row[]; total: number | undefined }> {
  const headers = await auth.headers();
  const res = await fetch(`${base}/api/now/table/${table}?${params.toString()}`, {
    headers: { ...headers, Accept: 'application/json' },
    signal: AbortSignal.timeout(30_000),
  }).catch((e: Error) => {
    throw new EnvironmentError(`target ${base} is not reachable: ${e.message}`);
  });
  if (res.status === 401)
    throw new EnvironmentError(`target ${base} refused the credentials while discovering fixtures (401): ${auth.hint}`);
  if (!res.ok)
    throw new EnvironmentError(`Table API ${table} answered ${res.status} at ${base}: pass --fixtures FILE instead`);
  const result = ((await res.json()) as { result?: Record<string, unknown>[] }).result ?? [];
  const count = Number(res.headers.get('x-total-count') ?? NaN);
  return {
    rows: result.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)]))),
    total: Number.isInteger(count) ? count : undefined,
  };
}

/**
 * Every row of a table matching `query` (at most `max`), page by page: sysparm_offset advances until a page comes
 * back shorter than asked for or X-Total-Count rows have been read.
 */
async function table(
  base: string,
  auth: TargetAuth,
  name: string,
  opts: { query?: string; fields: string; pageSize: number; max?: number },
): Promise<Row[]> {
  const max = Math.min(opts.max ?? MAX_DISCOVERED_ROWS, MAX_DISCOVERED_ROWS);
  const rows: Row[] = [];
  while (rows.length < max) {
    const limit = Math.min(opts.pageSize, max - rows.length);
    const params = new URLSearchParams({
      sysparm_fields: opts.fields,
      sysparm_exclude_reference_link: 'true',
      sysparm_limit: String(limit),
      sysparm_offset: String(rows.length),
    });
    if (opts.query) params.set('sysparm_query', opts.query);
    const page = await tablePage(base, auth, name, params);
    rows.push(...page.rows);
    if (page.rows.length < limit || (page.total !== undefined && rows.length >= page.total)) break;
  }
  return rows;
}

/**
 * Discovers fixtures through the Table API, as on a real instance: at most `maxDocuments` active interactions,
 * `pageSize` rows per request (default 1000).
 */
export async function discoverFixtures(
  base: string,
  auth: TargetAuth,
  maxDocuments = 5000,
  pageSize = DISCOVERY_PAGE_SIZE,
): Promise<Fixtures> {
  const list = (name: string, fields: string, query?: string, max?: number): Promise<Row[]> =>
    table(base, auth, name, { fields, query, pageSize, max });
  const presence = await list('awa_presence_state', 'sys_id,name,available');
  const queues = await list('awa_queue', 'sys_id,name,external_id', 'active=true');
  const agentRole = await list('sys_user_has_role', 'user', 'role.name=awa_agent');
  const externalRole = new Set(
    (await list('sys_user_has_role', 'user', 'role.name=awa_external_user')).map((r) => r.user),
  );
  const presenceOf = new Map(
    (await list('awa_agent_presence', 'agent,current_presence_state')).map((r) => [r.agent, r.current_presence_state]),
  );
  const presenceName = new Map(presence.map((p) => [p.sys_id, p.name]));
  const users = await list('sys_user', 'sys_id,name');
  const names = new Map(users.map((u) => [u.sys_id, u.name]));
  const documents = await list('interaction', 'sys_id,number', 'active=true', maxDocuments);
  return {
    presence_states: presence.map((p) => ({ sys_id: p.sys_id!, name: p.name!, available: p.available === 'true' })),
    queues: queues.map((q) => ({ sys_id: q.sys_id!, name: q.name!, external_id: q.external_id || null })),
    agents: agentRole
      .map((r) => r.user!)
      .filter((u) => externalRole.has(u))
      .map((u) => ({
        sys_id: u,
        name: names.get(u) ?? u,
        presence: presenceName.get(presenceOf.get(u) ?? '') ?? 'Unknown',
      })),
    documents: documents.map((d) => ({ sys_id: d.sys_id!, table: 'interaction', number: d.number! })),
  };
}

/** Where a run's fixtures come from, as its plan says: a user file, else the simulator's /sim/fixtures, else the Table API. */
export interface FixtureChoice {
  readonly fixturesFile: string | undefined;
  readonly discover: boolean;
}

/** The fixtures of a run: a user file, else the simulator's /sim/fixtures, else discovery through the Table API. */
export async function loadFixtures(
  choice: FixtureChoice,
  targetUrl: string,
  creds: Readonly<Record<string, string>>,
): Promise<Fixtures> {
  if (choice.fixturesFile) return loadFixturesFile(choice.fixturesFile);
  if (!choice.discover) {
    const res = await fetch(`${targetUrl}/sim/fixtures`).catch((e: Error) => {
      throw new EnvironmentError(`target ${targetUrl} is not reachable: ${e.message}`);
    });
    if (res.ok) return (await res.json()) as Fixtures;
    await res.body?.cancel();
  }
  return discoverFixtures(targetUrl, targetAuth(creds, targetUrl));
}
