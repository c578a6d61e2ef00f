/** AWA Inbox Actions API: the card actions an agent desktop sends (accept, reject). */
import { formatMessage } from '../../../shared/messages.js';
import type { SimConfig } from '../config.js';
import type { Engine } from '../engine.js';
import { documentKey } from '../fixtures.js';
import { findQueue, isRefusal, str } from '../offer.js';
import { failure, platformReply, refusalReply, type Reply } from '../respond.js';
import { endConsult } from '../transfer.js';
import { ok, type Route, type SimRequest } from './types.js';

const bad = (config: SimConfig, message: string, detail: string): Reply => failure(config, 400, 'bad_request', message, detail);
const conflict = (config: SimConfig, message: string, detail: string): Reply => failure(config, 409, 'conflict_other', message, detail);

/** The inbox card actions an agent desktop sends. */
function inboxAction(engine: Engine, req: SimRequest, action: 'accept' | 'reject'): Reply {
  const config = engine.config;
  const agentId = str(req.body.agent_id);
  const itemId = str(req.body.work_item_id);
  if (!agentId || !itemId) return bad(config, 'Missing required field: agent_id and work_item_id', 'both are required');
  const item = engine.items.all.get(itemId);
  if (!item) return platformReply(config, 'not_found');
  if (!item.active || item.state !== 'pending_accept' || item.assigned_to !== agentId) {
    return conflict(config, 'Work item is not offered to this agent', `work item ${itemId} is ${item.active ? item.state : 'inactive'}`);
  }
  if (action === 'reject' && !item.allowed_to_decline) return conflict(config, 'Work item can not be rejected', 'allowed_to_decline is false');
  if (action === 'accept') engine.items.accept(item);
  else engine.items.reject(item);
  return ok({ result: { success: true, work_item: item.sys_id, state: item.state } });
}

export function inboxRoutes(engine: Engine): Route[] {
  const config = engine.config;
  return [
    { name: 'inbox', pattern: /^\/api\/now\/awa\/inbox\/actions\/accept\/?$/, method: 'POST', handle: (req) => inboxAction(engine, req, 'accept') },
    { name: 'inbox', pattern: /^\/api\/now\/awa\/inbox\/actions\/reject\/?$/, method: 'POST', handle: (req) => inboxAction(engine, req, 'reject') },
  ];
}
