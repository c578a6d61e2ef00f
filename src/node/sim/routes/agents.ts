/** AWA Agent API: an agent's presence. */
import { formatMessage } from '../../../shared/messages.js';
import type { SimConfig } from '../config.js';
import type { Engine } from '../engine.js';
import { documentKey } from '../fixtures.js';
import { findQueue, isRefusal, str } from '../offer.js';
import { failure, platformReply, refusalReply, type Reply } from '../respond.js';
import { endConsult } from '../transfer.js';
import { ok, type Route, type SimRequest } from './types.js';

export function agentRoutes(engine: Engine): Route[] {
  const config = engine.config;
  return [
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
  ];
}
