/**
 * AWA Inbox Actions API (neighbour-apis.md §2): the card actions an agent desktop sends (accept, reject) and
 * the reject reasons of a service channel. Failures carry the documented text in error.detail with a generic
 * error.message (the reference does not quote the message).
 */
import { CATALOGUE, formatMessage, type NeighbourMessageCode } from '../../../shared/messages.js';
import { GENERIC_ERROR_MESSAGES } from '../../../shared/neighbour-messages.js';
import type { Engine } from '../platform/engine.js';
import { str, type Obj } from '../platform/offer.js';
import { plainError, type Reply } from '../respond.js';
import type { WorkItem } from '../platform/work-items.js';
import { ok, type Route } from './types.js';

const ACTIONS = '^/api/now(?:/v\\d+)?/awa/inbox/actions';

/** A catalogue failure: its status, the generic message for that status, the documented text as detail. */
function refuse(code: NeighbourMessageCode, values: Record<string, string> = {}): Reply {
  const { status } = CATALOGUE[code];
  return plainError(status, code, GENERIC_ERROR_MESSAGES[status] ?? 'Bad Request', formatMessage(code, values));
}

/** Both actions need the item offered to this agent and waiting in pending accept (which is checked first is unconfirmed). */
function offeredTo(item: WorkItem, agentId: string): Reply | undefined {
  if (item.assigned_to !== null && item.assigned_to !== agentId) return refuse('inbox_other_agent');
  if (!item.active || item.state !== 'pending_accept') return refuse('inbox_not_pending_accept');
  return undefined;
}

function accept(engine: Engine, body: Obj): Reply {
  const agentId = str(body.agent_id);
  if (!agentId) return refuse('inbox_missing_agent_id');
  const itemId = str(body.work_item_id);
  if (!itemId) return refuse('inbox_missing_work_item_id');
  const item = engine.items.all.get(itemId);
  if (!item) return refuse('inbox_wrong_work_item_id');
  const refused = offeredTo(item, agentId);
  if (refused) return refused;
  engine.items.accept(item);
  return ok({ result: { documentSysId: item.document_id, documentTable: item.document_table } });
}

function reject(engine: Engine, body: Obj): Reply {
  const agentId = str(body.agent_id);
  if (!agentId) return refuse('inbox_missing_agent_id');
  const itemId = str(body.work_item_id);
  if (!itemId) return refuse('inbox_missing_work_item_id');
  const reasonId = str(body.reject_reason_id);
  if (!reasonId) return refuse('inbox_missing_reject_reason_id');
  if (!engine.world.agents.has(agentId)) return refuse('inbox_no_agent', { agent: agentId });
  const item = engine.items.all.get(itemId);
  if (!item) return refuse('inbox_no_work_item', { work_item: itemId });
  // any existing reason; whether it must belong to the work item's channel is unconfirmed
  if (!engine.world.rejectReasons.has(reasonId)) return refuse('inbox_no_reject_reason', { reason: reasonId });
  const refused = offeredTo(item, agentId);
  if (refused) return refused;
  // assigned_to emptied, rejected set, back to its queue
  engine.items.reject(item);
  return ok({ result: { agent_id: agentId, work_item_id: itemId, reject_reason_id: reasonId } });
}

/** The reject reasons of a channel, in their seeded order (the reference's sample is not sorted by order either). */
function rejectReasons(engine: Engine, channelId: string): Reply {
  // neither the message nor the detail of this 404 is documented: the detail follows the reject texts' pattern
  if (!engine.world.channels.has(channelId))
    return plainError(
      404,
      'not_found',
      GENERIC_ERROR_MESSAGES[404]!,
      `There is no record for awa_service_channel : ${channelId}`,
    );
  const reasons = [...engine.world.rejectReasons.values()].filter((r) => r.channel === channelId);
  return ok({
    result: reasons.map((r) => ({ sys_id: r.sys_id, value: r.value, display_value: r.display_value, order: r.order })),
  });
}

export function inboxRoutes(engine: Engine): Route[] {
  return [
    {
      name: 'inbox',
      pattern: new RegExp(`${ACTIONS}/accept/?$`),
      method: 'POST',
      handle: (req) => accept(engine, req.body),
    },
    {
      name: 'inbox',
      pattern: new RegExp(`${ACTIONS}/reject/?$`),
      method: 'POST',
      handle: (req) => reject(engine, req.body),
    },
    {
      name: 'inbox',
      pattern: new RegExp(`${ACTIONS}/reject_reasons/([^/]+)/?$`),
      method: 'GET',
      handle: (req) => rejectReasons(engine, req.params[0]!),
    },
  ];
}
