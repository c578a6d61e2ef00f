/** Interaction API and agent-side calls a CCaaS integration makes around an offer. */
import type { PoolEntry } from '../shared/pool.js';
import type { RunConfig } from './config.js';
import { noteCreated } from './records.js';
import { send, type Answer } from './request.js';

/**
 * Creates the interaction for a call, queued in the entry's queue; returns its sys_id when created. The body
 * holds only documented fields: `channel` (required) and `queue`; short_description is not settable here (the
 * Table API sets it) and opened_by is the caller.
 */
export function createInteraction(cfg: RunConfig, headers: Record<string, string>, e: PoolEntry): string | undefined {
  // the pool's channel, as it holds it (a channel name until the pool carries the connector's sys_id)
  const a = send(cfg, headers, 'interaction_create', 'POST', '/api/now/interaction', {
    channel: e.channel,
    queue: e.queue,
  });
  const sysId = a.outcome === 'success' ? (a.json?.result?.sys_id as string | undefined) : undefined;
  noteCreated(cfg, 'interaction', sysId);
  return sysId;
}

/** Closes the interaction when the call ends (documented without a body). */
export function closeInteraction(cfg: RunConfig, headers: Record<string, string>, sysId: string): Answer {
  return send(cfg, headers, 'interaction_close', 'POST', `/api/now/interaction/${sysId}/close`);
}

/** The agent desk accepts the card (inbox actions API). */
export function inboxAccept(cfg: RunConfig, headers: Record<string, string>, agent: string, workItem: string): Answer {
  return send(cfg, headers, 'accept', 'POST', '/api/now/awa/inbox/actions/accept', {
    agent_id: agent,
    work_item_id: workItem,
  });
}
