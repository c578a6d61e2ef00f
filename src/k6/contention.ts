/**
 * Deliberate races. One document offered to several agents within milliseconds (one k6 batch, sent in
 * parallel); a re-offer of the work just taken; an offer racing the agent's own switch to Away. Each race
 * counts its winners: more than one is a broken target.
 */
import { RACE_WINNERS, raceSubmetric, winnersLabel } from '../shared/races.js';
import http from 'k6/http';
import { MEASUREMENTS } from '../shared/measurements.js';
import { Counter } from 'k6/metrics';
import { offerPath } from '../shared/api.js';
import { offerBody, type PoolEntry } from '../shared/pool.js';
import type { PresenceSnapshot } from '../shared/run-records.js';
import type { RunConfig } from './config.js';
import { createInteraction } from './interaction.js';
import { noteCreated, notePresence } from './records.js';
import { answer, params, send } from './request.js';

/** One count per race, tagged with how many offers won it: 0, 1 or many. */
export const races = new Counter(MEASUREMENTS.races);

const agentPath = (agent: string): string => `/api/now/awa/agents/${agent}`;

/** This VU's presence state sys_ids by name, read once; a failed read is tried again next time. */
let presenceStates: Map<string, string> | undefined;

/** The sys_id of the presence state `name`, from GET .../presence_states (the same list for every agent). */
function presenceStateId(
  cfg: RunConfig,
  headers: Record<string, string>,
  anyAgent: string,
  name: string,
): string | undefined {
  if (!presenceStates) {
    const a = send(cfg, headers, 'presence_states', 'GET', `${agentPath(anyAgent)}/presence_states`);
    const list = a.outcome === 'success' ? a.json?.result : undefined;
    if (!Array.isArray(list)) return undefined;
    presenceStates = new Map();
    for (let i = 0; i < list.length; i++) presenceStates.set(String(list[i]?.name), String(list[i]?.sys_id));
  }
  return presenceStates.get(name);
}

/** The Agent API's PUT body: a presence state and, optionally, each channel's availability. */
interface PresencePut {
  presence: { sys_id: string; channels?: { sys_id: string; available: boolean }[] };
}

/**
 * The PUT body that puts an agent back as GET read it: its presence state and each channel's availability
 * (a channel left out of a PUT that sends channels would become unavailable).
 */
function restoreBody(presence: any): PresencePut {
  const body: PresencePut = { presence: { sys_id: String(presence.sys_id) } };
  if (Array.isArray(presence.channels))
    body.presence.channels = presence.channels.map((c: any) => ({
      sys_id: String(c.sys_id),
      available: c.available === true,
    }));
  return body;
}

/** A presence as the Agent API's GET read it, for the record log. */
function snapshotOf(presence: any): PresenceSnapshot {
  const channels = Array.isArray(presence.channels)
    ? presence.channels.map((c: any) => [String(c.sys_id), c.available === true] as const)
    : [];
  return { state: String(presence.sys_id), channels };
}

/** Offers `doc` to every agent at once; returns how many offers won. */
function race(
  cfg: RunConfig,
  headers: Record<string, string>,
  e: PoolEntry,
  agents: readonly string[],
  doc: { table: string; id: string },
  op: string,
): number {
  const url = cfg.target + offerPath(doc.table, doc.id, cfg.apiVersion);
  const requests = agents.map((agent) => {
    const body = offerBody(e, Date.now(), cfg.testid);
    body.assignment = { ...body.assignment, agent_sys_id: agent };
    return { method: 'POST', url, body: JSON.stringify(body), params: params(cfg, headers, op) };
  });
  const responses = http.batch(requests as unknown as http.BatchRequests) as unknown as http.RefinedResponse<'text'>[];
  const won = responses.map((res) => answer(op, res)).filter((a) => a.outcome === 'success');
  for (const a of won) noteCreated(cfg, 'work_item', a.workItem);
  return won.length;
}

export function contentionIteration(
  cfg: RunConfig,
  headers: Record<string, string>,
  e: PoolEntry,
  others: readonly PoolEntry[],
): void {
  const racers = [...new Set([e.agent, e.peerAgent, ...others.map((o) => o.peerAgent)])];
  const winners = race(cfg, headers, e, racers, { table: e.table, id: e.document }, 'offer_race');
  races.add(1, { race: 'same_document', winners: winnersLabel(winners) });
  // The work is taken (pending or accepted): another router re-offers it to someone else.
  const reoffer = offerBody(e, Date.now(), cfg.testid);
  reoffer.assignment = { ...reoffer.assignment, agent_sys_id: others[0]?.agent ?? e.peerAgent };
  noteCreated(
    cfg,
    'work_item',
    send(cfg, headers, 'reoffer', 'POST', offerPath(e.table, e.document, cfg.apiVersion), reoffer).workItem,
  );
  if (e.dice[0] >= 0.25) return;
  // One race in four: the agent switches to Away while a new call is offered to them.
  const agent = e.peerAgent;
  const away = presenceStateId(cfg, headers, agent, 'Away');
  if (!away) return;
  // the agent's own presence first, so the race can put it back as it was (not to a fixed Available)
  const before = send(cfg, headers, 'presence_read', 'GET', agentPath(agent));
  const previous = before.outcome === 'success' ? before.json?.result?.presence : undefined;
  if (!previous?.sys_id) return;
  const doc = createInteraction(cfg, headers, e);
  if (!doc) return;
  // noted before the change, so an interrupted run still knows what to put back
  notePresence(cfg, agent, snapshotOf(previous));
  const body = offerBody(e, Date.now(), cfg.testid);
  body.assignment = { ...body.assignment, agent_sys_id: agent };
  const responses = http.batch([
    {
      method: 'PUT',
      url: cfg.target + agentPath(agent),
      body: JSON.stringify({ presence: { sys_id: away } }),
      params: params(cfg, headers, 'presence_away'),
    },
    {
      method: 'POST',
      url: cfg.target + offerPath('interaction', doc, cfg.apiVersion),
      body: JSON.stringify(body),
      params: params(cfg, headers, 'offer_going_away'),
    },
  ] as unknown as http.BatchRequests) as unknown as http.RefinedResponse<'text'>[];
  answer('presence_away', responses[0]!);
  noteCreated(cfg, 'work_item', answer('offer_going_away', responses[1]!).workItem);
  send(cfg, headers, 'presence_restore', 'PUT', agentPath(agent), restoreBody(previous));
}

/** Per-winners race submetrics in the end-of-test data, for summary.json. */
export const raceThresholds = (): Record<string, string[]> =>
  Object.fromEntries(RACE_WINNERS.map((w) => [raceSubmetric(w), ['count>=0']]));
