/** Offer Work requests: the new assignment a CCaaS router sends for a pool entry. */
import { offerPath } from '../shared/api.js';
import { offerBody, type PoolEntry } from '../shared/pool.js';
import type { RunConfig } from './config.js';
import { noteCreated } from './records.js';
import { send, type Answer } from './request.js';

/** Offers the entry's document (or `documentId`) to its agent, noting the work item it creates; `extra` overrides assignment fields. */
export function sendOffer(
  cfg: RunConfig,
  headers: Record<string, string>,
  entry: PoolEntry,
  opts: { op?: string; documentId?: string; table?: string; assignment?: Record<string, unknown>; agent?: string } = {},
): Answer {
  const body = offerBody(entry, Date.now(), cfg.testid);
  if (opts.assignment || opts.agent)
    body.assignment = { ...body.assignment, ...opts.assignment, ...(opts.agent ? { agent_sys_id: opts.agent } : {}) };
  const path = offerPath(opts.table ?? entry.table, opts.documentId ?? entry.document, cfg.apiVersion);
  const a = send(cfg, headers, opts.op ?? 'offer', 'POST', path, body);
  noteCreated(cfg, 'work_item', a.workItem);
  return a;
}
