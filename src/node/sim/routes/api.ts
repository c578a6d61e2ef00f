/**
 * The platform routes: Offer Work (both URL forms, assignments and transfers) and the neighbouring APIs a
 * CCaaS integration uses: interactions, agents' presence, inbox accept/reject, consult end, Table API reads.
 */
import { formatMessage } from '../../../shared/messages.js';
import type { SimConfig } from '../config.js';
import type { Engine } from '../engine.js';
import { documentKey } from '../fixtures.js';
import { decideAssignment, findQueue, isRefusal, SUCCESS_MESSAGE, str, type Decision } from '../offer.js';
import { failure, platformReply, refusalReply, type Reply } from '../respond.js';
import { decideTransfer, endConsult } from '../transfer.js';
import { selectRows } from './table.js';
import { ok, type Route, type SimRequest } from './types.js';

const OFFER = /^\/api\/now(?:\/(v\d+))?\/awa\/documents\/([^/]+)\/([^/]+)\/offer\/?$/;

function decisionReply(config: SimConfig, d: Decision): Reply {
  if (d.kind !== 'placed') return refusalReply(config, d);
  const i = d.item;
  return ok({
    result: {
      work_item: { display_name: d.display, sys_id: i.sys_id, document_id: i.document_id, document_table: i.document_table, queue: i.queue },
      success: true,
      message: SUCCESS_MESSAGE,
    },
  });
}

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

export function apiRoutes(engine: Engine): Route[] {
  const config = engine.config;
  return [
    {
      name: 'offer',
      pattern: OFFER,
      method: 'POST',
      handle: (req) => {
        const [, table = '', documentId = ''] = req.params;
        const decide = req.body.transfer !== undefined ? decideTransfer : decideAssignment;
        return decisionReply(config, decide(engine, table, documentId, req.body));
      },
    },
    { name: 'inbox', pattern: /^\/api\/now\/awa\/inbox\/actions\/accept\/?$/, method: 'POST', handle: (req) => inboxAction(engine, req, 'accept') },
    { name: 'inbox', pattern: /^\/api\/now\/awa\/inbox\/actions\/reject\/?$/, method: 'POST', handle: (req) => inboxAction(engine, req, 'reject') },
    {
      name: 'consult',
      pattern: /^\/api\/now\/awa\/consult\/end\/?$/,
      method: 'PUT',
      handle: (req) => {
        const r = endConsult(engine, req.body);
        if (isRefusal(r)) return refusalReply(config, r);
        return ok({ result: { success: true, hand_over: r.handOver, work_item: r.item.sys_id, assigned_to: r.item.assigned_to } });
      },
    },
    {
      name: 'agents',
      pattern: /^\/api\/now\/awa\/agents\/([0-9a-f]{32})\/?$/,
      method: 'GET',
      handle: (req) => {
        const agent = engine.world.agents.get(req.params[0]!);
        if (!agent) return platformReply(config, 'not_found');
        const p = engine.world.presence.get(agent.presence)!;
        return ok({ result: { sys_id: agent.sys_id, name: agent.name, presence_state: { sys_id: p.sys_id, name: p.name }, available: p.available } });
      },
    },
    {
      name: 'agents',
      pattern: /^\/api\/now\/awa\/agents\/([0-9a-f]{32})\/?$/,
      method: 'PUT',
      handle: (req) => {
        const agent = engine.world.agents.get(req.params[0]!);
        if (!agent) return platformReply(config, 'not_found');
        const wanted = str(req.body.presence_state) ?? '';
        const state = engine.world.presence.get(wanted) ?? [...engine.world.presence.values()].find((p) => p.name.toLowerCase() === wanted.toLowerCase());
        if (!state) return failure(config, config.validationStatus, 'invalid_presence_state', formatMessage('invalid_presence_state', { presence: wanted }), 'presence_state');
        engine.agents.setPresence(agent, state.sys_id);
        return ok({ result: { sys_id: agent.sys_id, presence_state: { sys_id: state.sys_id, name: state.name }, available: state.available } });
      },
    },
    {
      name: 'interaction',
      pattern: /^\/api\/now\/interaction\/?$/,
      method: 'POST',
      handle: (req) => {
        const queueRef = str(req.body.queue);
        const queue = queueRef === undefined ? undefined : findQueue(engine, queueRef, 'queue');
        if (queue && isRefusal(queue)) return refusalReply(config, queue);
        const sys_id = [...Array(4)].map(() => Math.floor(engine.random() * 2 ** 32).toString(16).padStart(8, '0')).join('');
        const number = engine.nextInteractionNumber();
        engine.world.documents.set(documentKey('interaction', sys_id), { sys_id, table: 'interaction', number, active: true });
        if (queue) engine.items.create('interaction', sys_id, queue.sys_id);
        return ok(
          { result: { sys_id, number, state: queue ? 'queued' : 'new', active: 'true', channel: str(req.body.channel) ?? '', short_description: str(req.body.short_description) ?? '', queue: queue?.sys_id ?? '' } },
          201,
        );
      },
    },
    {
      name: 'interaction',
      pattern: /^\/api\/now\/interaction\/([0-9a-f]{32})\/close\/?$/,
      method: 'POST',
      handle: (req) => {
        const key = documentKey('interaction', req.params[0]!);
        const doc = engine.world.documents.get(key);
        if (!doc) return platformReply(config, 'not_found');
        engine.closeDocument('interaction', doc.sys_id);
        return ok({ result: { sys_id: doc.sys_id, number: doc.number, state: 'closed_complete', active: 'false' } });
      },
    },
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
