/**
 * AWA Agent API (neighbour-apis.md §1): an agent's presence and channel availability, the presence states it
 * can choose, and its capacities per service channel. Default and versioned URLs; errors in the platform's
 * error envelope whatever the Offer Work envelope switch says.
 */
import { CATALOGUE, formatMessage } from '../../../shared/messages.js';
import { GENERIC_ERROR_MESSAGES } from '../../../shared/neighbour-messages.js';
import type { Engine } from '../platform/engine.js';
import type { Agent } from '../platform/fixtures.js';
import { isObj, readBoolean, str, type Obj } from '../platform/offer.js';
import { plainError, type Reply } from '../respond.js';
import { ok, type Route } from './types.js';

/** `/api/now[/{api_version}]/awa/agents/{user_id}{suffix}`; any id, so a bad one gets the API's own 404 */
const agentPath = (suffix: string): RegExp => new RegExp(`^/api/now(?:/v\\d+)?/awa/agents/([^/]+)${suffix}/?$`);

/** The documented bad-id answer; its 404 status is unconfirmed. */
const recordNotFound = (detail: string): Reply =>
  plainError(404, 'agent_record_not_found', CATALOGUE.agent_record_not_found.template, detail);
const badRequest = (detail: string): Reply => plainError(400, 'bad_request', GENERIC_ERROR_MESSAGES[400]!, detail);

/** The agent's active work (pending accept or accepted) per service channel: its queue's channel. */
function workloadByChannel(engine: Engine, agent: Agent): Map<string, number> {
  const load = new Map<string, number>();
  for (const index of [engine.items.activeByDocument, engine.items.consultByDocument]) {
    for (const item of index.values()) {
      if (item.assigned_to !== agent.sys_id || (item.state !== 'pending_accept' && item.state !== 'accepted')) continue;
      const channel = engine.world.queues.get(item.queue)?.channel;
      if (channel) load.set(channel, (load.get(channel) ?? 0) + 1);
    }
  }
  return load;
}

/** GET's `result`; PUT leaves the channels out unless the request sent them. */
function agentResult(engine: Engine, agent: Agent, withChannels = true): Obj {
  const state = engine.world.presence.get(agent.presence)!;
  const presence: Obj = { name: state.name, sys_id: state.sys_id, available: state.available };
  if (withChannels) {
    presence.channels = [...agent.channels].map(([sys_id, available]) => ({
      name: engine.world.channels.get(sys_id)?.name ?? '',
      available,
      sys_id,
    }));
  }
  return { sys_id: agent.sys_id, presence };
}

function presenceStates(engine: Engine): Obj[] {
  return [...engine.world.presence.values()].map((p) => ({
    name: p.name,
    order: p.order,
    show_channels: p.show_channels,
    sys_id: p.sys_id,
    available: p.available,
    disable_inactivity_check: p.disable_inactivity_check,
    channels: p.channels.map((c) => {
      const channel = engine.world.channels.get(c.channel)!;
      return {
        name: channel.name,
        available: c.available,
        sys_id: channel.sys_id,
        restrict_update: c.restrict_update,
        service_channel_type: channel.service_channel_type,
      };
    }),
  }));
}

function capacities(engine: Engine, agent: Agent): Obj {
  const load = workloadByChannel(engine, agent);
  const channels = [...agent.capacities].map(([channel_sys_id, max_capacity]) => ({
    channel_sys_id,
    current_workload: load.get(channel_sys_id) ?? 0,
    max_capacity,
  }));
  const result: Obj = { channels };
  // universal_* only when the agent has a universal capacity record
  if (agent.universalCapacity !== null) {
    result.universal_capacity = agent.universalCapacity;
    result.universal_workload = channels.reduce((sum, c) => sum + c.current_workload, 0);
  }
  return result;
}

/** Channel availabilities a PUT names, checked before anything changes; `available` defaults to false. */
function readChannels(_engine: Engine, agent: Agent, value: unknown): Map<string, boolean> | Reply {
  if (!Array.isArray(value)) return badRequest('presence.channels must be an array of {sys_id, available}');
  const wanted = new Map<string, boolean>();
  for (const c of value) {
    const id = isObj(c) ? str(c.sys_id) : undefined;
    if (!id) return badRequest('presence.channels[].sys_id is required');
    if (!agent.channels.has(id))
      return recordNotFound(`service channel ${id} does not exist or is not one of the agent's channels`);
    const available = readBoolean((c as Obj).available, false);
    if (typeof available === 'object')
      return badRequest(`presence.channels[].available must be true or false, got ${available.invalid}`);
    wanted.set(id, available);
  }
  return wanted;
}

function putPresence(engine: Engine, agent: Agent, body: Obj): Reply {
  const presence = body.presence;
  if (!isObj(presence)) return badRequest('presence is required: {"presence":{"sys_id":<presence state>}}');
  const stateId = str(presence.sys_id);
  if (!stateId) return badRequest('presence.sys_id is required');
  const state = engine.world.presence.get(stateId);
  // the catalogue's answer for an unknown state, at its 400: the validation-status switch is Offer Work's
  if (!state)
    return plainError(
      CATALOGUE.invalid_presence_state.status,
      'invalid_presence_state',
      formatMessage('invalid_presence_state', { presence: stateId }),
      'presence.sys_id',
    );
  const channels = presence.channels === undefined ? undefined : readChannels(engine, agent, presence.channels);
  if (channels && !(channels instanceof Map)) return channels;
  // through the agents' behaviour, so churn and routing see the change
  engine.agents.setPresence(agent, state.sys_id);
  for (const [id, available] of channels ?? []) agent.channels.set(id, available);
  return ok({ result: agentResult(engine, agent, channels !== undefined) });
}

/** A max capacity as the API types it (a String, samples show a number): a whole number, 0 or more. */
function readCapacity(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * PUT capacities; each part optional. The answer lists the channels the request set and universal_capacity when
 * the agent has one (which channels it lists is unconfirmed). Documented statuses: 200, 400 and 404 only.
 */
function putCapacities(agent: Agent, body: Obj): Reply {
  const channels = body.channels;
  if (channels !== undefined && !isObj(channels))
    return badRequest('channels must be an object of {"<channel_sys_id>": <max capacity>}');
  const set = new Map<string, number>();
  for (const [id, value] of Object.entries(channels ?? {})) {
    if (!agent.capacities.has(id))
      return recordNotFound(`service channel ${id} does not exist or is not one of the agent's channels`);
    const max = readCapacity(value);
    if (max === undefined)
      return badRequest(`channels.${id} must be a whole number of 0 or more, got ${JSON.stringify(value)}`);
    set.set(id, max);
  }
  let universal: number | undefined;
  if (body.universal_capacity !== undefined) {
    universal = readCapacity(body.universal_capacity);
    if (universal === undefined)
      return badRequest(
        `universal_capacity must be a whole number of 0 or more, got ${JSON.stringify(body.universal_capacity)}`,
      );
  }
  for (const [id, max] of set) agent.capacities.set(id, max);
  // setting it gives the agent a universal capacity record
  if (universal !== undefined) agent.universalCapacity = universal;
  const result: Obj = {
    channels: [...set].map(([channel_sys_id, max_capacity]) => ({ channel_sys_id, max_capacity })),
  };
  if (agent.universalCapacity !== null) result.universal_capacity = agent.universalCapacity;
  return ok({ result });
}

export function agentRoutes(engine: Engine): Route[] {
  /** Runs `handle` for the agent the path names, or answers the bad-id 404. */
  const forAgent =
    (handle: (agent: Agent, body: Obj) => Reply) =>
    (req: { params: readonly string[]; body: Obj }): Reply => {
      const agent = engine.world.agents.get(req.params[0]!);
      return agent ? handle(agent, req.body) : recordNotFound(`sys_user ${req.params[0]} does not exist`);
    };
  return [
    {
      name: 'agents',
      pattern: agentPath(''),
      method: 'GET',
      handle: forAgent((agent) => ok({ result: agentResult(engine, agent) })),
    },
    {
      name: 'agents',
      pattern: agentPath(''),
      method: 'PUT',
      handle: forAgent((agent, body) => putPresence(engine, agent, body)),
      // a run's presence changes, as the agent stood before them (what cleanup restores)
      hooks: {
        deciding: (h) =>
          h.footprints.notePresence(h.testid, h.params[0]!, engine.world.agents.get(h.params[0]!)?.presence),
      },
    },
    {
      name: 'agents',
      pattern: agentPath('/presence_states'),
      method: 'GET',
      handle: forAgent(() => ok({ result: presenceStates(engine) })),
    },
    {
      name: 'agents',
      pattern: agentPath('/capacities'),
      method: 'GET',
      handle: forAgent((agent) => ok({ result: capacities(engine, agent) })),
    },
    {
      name: 'agents',
      pattern: agentPath('/capacities'),
      method: 'PUT',
      handle: forAgent((agent, body) => putCapacities(agent, body)),
    },
  ];
}
