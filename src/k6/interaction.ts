/** Interaction API and agent-side calls a CCaaS integration makes around an offer. */
import type { PoolEntry } from '../shared/pool.js';
import type { RunConfig } from './config.js';
import { send, type Answer } from './request.js';

/** Creates the interaction for a call, queued in the entry's queue; returns its sys_id when created. */
export function createInteraction(cfg: RunConfig, headers: Record<string, string>, e: PoolEntry): string | undefined {
  const a = send(cfg, headers, 'interaction_create', 'POST', '/api/now/interaction', {
    channel: e.channel,
    queue: e.queue,
    short_description: e.subject,
    external_id: e.segment,
  });
  return a.outcome === 'success' ? (a.json?.result?.sys_id as string | undefined) : undefined;
}

/** Closes the interaction when the call ends. */
export function closeInteraction(cfg: RunConfig, headers: Record<string, string>, sysId: string): Answer {
  return send(cfg, headers, 'interaction_close', 'POST', `/api/now/interaction/${sysId}/close`, {});
}

/** The agent desk accepts the card (inbox actions API). */
export function inboxAccept(cfg: RunConfig, headers: Record<string, string>, agent: string, workItem: string): Answer {
  return send(cfg, headers, 'accept', 'POST', '/api/now/awa/inbox/actions/accept', { agent_id: agent, work_item_id: workItem });
}
