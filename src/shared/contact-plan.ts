/**
 * The contact-centre scenario's plan, as k6 reads it: each contact's timeline, made in Node before k6 starts by a
 * discrete-event simulation of the connector's routing and its agents (src/node/contact-centre/simulate.ts). A
 * timeline is what a CCaaS connector sends the instance for one contact, in order, each step at its time from the
 * contact's arrival: the interaction created, offers (re-offers after a rejection or an expiry), the agent's
 * accept or reject, presence kept in step with the agent's status, transfers, the close.
 */

import { MEASUREMENTS } from './measurements.js';
import { TRANSFER_KINDS } from './scenarios.js';

/** What a step does; its letter is how it is written in the plan file. */
export const STEP_KINDS = {
  /** the contact arrives: its interaction is created on its queue */
  C: 'create',
  /** the connector finds the queued work item through the Table API (polling, off by default) */
  F: 'find_queued',
  /** an offer to `agent`; arg 1: auto-assign */
  O: 'offer',
  /** the agent accepts the card the last offer or transfer put in front of them (inbox actions) */
  A: 'accept',
  /** the agent rejects it (inbox actions, with a reject reason) */
  R: 'reject',
  /** the connector sets the agent's presence to the busy state (the agent is at capacity) */
  B: 'busy',
  /** the connector sets the agent's presence to Available (a slot is free again, or back from Away) */
  V: 'available',
  /** a transfer during handling; arg: index in TRANSFER_KINDS; agent: the target agent, -1 for a queue */
  T: 'transfer',
  /** the consult ends; arg 1: with hand-over */
  E: 'consult_end',
  /** the contact ends: its interaction is closed */
  K: 'close',
  /** the contact hung up while waiting in the connector's queue: its interaction is closed */
  Q: 'abandon',
} as const;
export type StepCode = keyof typeof STEP_KINDS;

export interface Step {
  /** from the contact's arrival, ms of run time */
  readonly atMs: number;
  readonly code: StepCode;
  /** the agent's index in the plan's agents, -1 for none */
  readonly agent: number;
  readonly arg: number;
}

/** What became of a contact: served, abandoned (it hung up in the connector's queue), failed (a request did). */
export const CONTACT_FATES = ['served', 'abandoned', 'failed'] as const;
export type ContactFate = (typeof CONTACT_FATES)[number];

/** The submetric of contacts of one fate in k6's end-of-test data. */
export const contactFateSubmetric = (fate: ContactFate): string => `${MEASUREMENTS.contacts}{fate:${fate}}`;

/** What the plan file says it is. */
export const CONTACT_PLAN_FORMAT = 'offerload-contacts/1';

/** The plan file the CLI writes next to the arrival plan; contact k is iteration k. */
export interface ContactPlanFile {
  readonly format: typeof CONTACT_PLAN_FORMAT;
  /** the agents' sys_ids, by index */
  readonly agents: readonly string[];
  /** presence state sys_ids: Available, the busy state, the state an offer that times out leaves its agent in */
  readonly presence: { readonly available: string; readonly busy: string; readonly afterTimeout: string };
  /** the offer timeout sent with every offer, seconds (compressed with --speedup) */
  readonly offerTimeoutSec: number;
  /** the service channel whose reject reasons rejects send (empty when the target names none) */
  readonly serviceChannel: string;
  /** the most contacts alive at once (k6's VUs) and the longest a contact lives, ms (k6's graceful stop) */
  readonly peakConcurrent: number;
  readonly longestMs: number;
  /** each contact's steps, encoded */
  readonly contacts: readonly string[];
}

/** Steps as one string: `atMs,code,agent,arg` joined by `;` (SharedArray hands strings back cheaply). */
export function encodeSteps(steps: readonly Step[]): string {
  return steps.map((s) => `${Math.round(s.atMs)},${s.code},${s.agent},${s.arg}`).join(';');
}

export function decodeSteps(text: string): Step[] {
  if (text === '') return [];
  return text.split(';').map((part) => {
    const f = part.split(',');
    return { atMs: Number(f[0]), code: f[1] as StepCode, agent: Number(f[2]), arg: Number(f[3]) };
  });
}

/** The operation (`op` tag) a step sends. */
export function stepOp(s: Step): string {
  switch (s.code) {
    case 'C':
      return 'interaction_create';
    case 'F':
      return 'find_queued';
    case 'O':
      return 'offer';
    case 'A':
      return 'accept';
    case 'R':
      return 'reject';
    case 'B':
      return 'presence_busy';
    case 'V':
      return 'presence_available';
    case 'T':
      return `transfer_${TRANSFER_KINDS[s.arg]}`;
    case 'E':
      return s.arg === 1 ? 'consult_end_handover' : 'consult_end_return';
    case 'K':
    case 'Q':
      return 'interaction_close';
  }
}
