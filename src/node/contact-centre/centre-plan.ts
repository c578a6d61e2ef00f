/** The contact centre model's input and output (src/node/contact-centre/simulate.ts makes one from the other). */
import type { Step } from '../../shared/contact-plan.js';
import type { TransferKind } from '../../shared/scenarios.js';
import type { ContactCentreSettings } from './settings.js';

/** One contact as the model needs it: when it arrives and its handle time's means, seconds of real time. */
export interface ContactInput {
  readonly arrivalMs: number;
  readonly ahtSec: number;
  readonly acwSec: number;
}

export type ModelSettings = Omit<ContactCentreSettings, 'agents' | 'ahtSec' | 'acwSec' | 'busyPresence'>;

export interface CentreModel {
  readonly contacts: readonly ContactInput[];
  readonly agents: number;
  readonly speedup: number;
  readonly seed: number;
  readonly settings: ModelSettings;
}

export interface PlannedContact {
  readonly arrivalMs: number;
  readonly steps: Step[];
  /** from arrival to the first offer, ms of run time (undefined: abandoned unoffered) */
  firstOfferMs: number | undefined;
  /** from arrival to the first accepted offer (an agent starts), ms of run time (undefined: abandoned) */
  answerMs: number | undefined;
  abandoned: boolean;
  offers: number;
  transfer: TransferKind | undefined;
}

/** A second of the plan: agents holding contacts, their slots taken, contacts waiting, interactions open. */
export interface PlanSecond {
  readonly busyAgents: number;
  readonly slots: number;
  readonly waiting: number;
  readonly open: number;
}

export interface CentrePlan {
  readonly contacts: readonly PlannedContact[];
  readonly seconds: readonly PlanSecond[];
  /** the longest a contact's timeline lasts, ms */
  readonly longestMs: number;
  /** the most contacts whose timelines overlap (k6's VUs), arrival to last step */
  readonly peakConcurrent: number;
}
