/**
 * The workloads offerload knows: what each drives, the operations it reports (`op` tag values), which
 * profiles fit it, how long one iteration can take (VU sizing) and its default SLOs.
 */

/** Service level objectives for one operation; a missing key is not judged. */
export interface Slo {
  readonly p95_ms?: number;
  readonly p99_ms?: number;
  /** share of answers that were neither success nor a 409 conflict */
  readonly error_rate?: number;
  /** share of answers that were 409 conflicts */
  readonly conflict_rate?: number;
}

export interface ScenarioInfo {
  readonly description: string;
  readonly ops: readonly string[];
  readonly profiles: readonly string[];
  readonly defaultProfile: string;
  /** the longest an iteration takes at worst, seconds: VUs are sized from it */
  readonly iterationSec: number;
  /** requests an iteration sends by operation, on average (plans, the forecast's dry run, offerload plan) */
  readonly requestsPerOp: Readonly<Record<string, number>>;
  /** SLOs by operation; `*` applies to every operation without its own */
  readonly slos: Readonly<Record<string, Slo>>;
  /** k6 keeps no samples (no end-of-test summary): the CLI summarises from InfluxDB windows */
  readonly summaryFromInflux?: boolean;
  /**
   * iterations offer the pool's documents (rather than creating their own through the Interaction API): the
   * run needs a fresh one for each, so every window offers the same mix
   */
  readonly offersPoolDocuments?: boolean;
  /** offers may send after_timeout_presence (agents switched Away when an offer times out); false keeps presence steady */
  readonly movesPresence?: boolean;
  /** what an iteration needs of the target's fixtures beside its documents: agents, queues, presence states by name */
  readonly needs: { readonly agents: number; readonly queues: number; readonly presence: readonly string[] };
  /** interactions an iteration creates through the Interaction API, on average (plans, doctor) */
  readonly interactionsPerIteration: number;
  /** iterations walk the timeout sweep's grid: the bundle reads OFFERLOAD_SWEEP, the run takes --timeouts, --delays, --skews */
  readonly sweeps?: boolean;
  /**
   * iterations are the contacts of a contact centre's plan (src/node/contact-centre/): the run takes the contact
   * centre's flags (agents, handle times), drives the agents itself (the embedded simulator's agents are
   * external) and k6 replays each contact's timeline (src/shared/contact-plan.ts)
   */
  readonly plansContacts?: boolean;
  /** the summary section particular to the scenario (src/node/run/sections.ts) */
  readonly section?: 'timeouts' | 'races' | 'contacts';
}

/** What most scenarios need: one agent and one queue, agents Available. */
const ONE_OF_EACH: ScenarioInfo['needs'] = { agents: 1, queues: 1, presence: ['Available'] };

const OFFER_SLO: Slo = { p95_ms: 500, p99_ms: 1500, error_rate: 0.01 };
const BURST_PROFILES = ['smoke', 'average', 'burst', 'shift-start', 'spike', 'irregular', 'forecast'];

export const TRANSFER_KINDS = ['blind_agent', 'blind_queue', 'consult_agent', 'consult_queue'] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

/** Shares of each transfer kind; they add up to 1. */
export const TRANSFER_SHARES: Readonly<Record<TransferKind, number>> = {
  blind_agent: 0.3,
  blind_queue: 0.3,
  consult_agent: 0.25,
  consult_queue: 0.15,
};

/** The transfer kind a uniform draw picks from the mix. */
export function pickKind(draw: number, mix: Readonly<Record<TransferKind, number>> = TRANSFER_SHARES): TransferKind {
  let left = draw;
  for (const kind of TRANSFER_KINDS) if ((left -= mix[kind]) < 0) return kind;
  return TRANSFER_KINDS[TRANSFER_KINDS.length - 1]!;
}

/** transfer-mix's call: a share accepted at once (auto-assign) rather than by the agent desk; consults handed over. */
export const TRANSFER_CALL = { autoAssignShare: 0.4, handOverShare: 0.5 } as const;

/** A call's operations end to end (transfer-mix, contact-centre): create, offer, accept, transfers, consult ends, close. */
const CALL_OPS: readonly string[] = [
  'interaction_create',
  'offer',
  'accept',
  ...TRANSFER_KINDS.map((k) => `transfer_${k}`),
  'consult_end_handover',
  'consult_end_return',
  'interaction_close',
];

/** contact-centre's operations, beyond the transfer flow's: what a connector sends around its agents. */
const CONTACT_OPS = ['find_queued', 'reject', 'reject_reasons', 'presence_busy', 'presence_available'] as const;

/** soak's call: a share transferred blind to a queue (then closed), a share of the rest hung up while offered. */
export const SOAK_CALL = { transferShare: 0.1, hangUpShare: 0.2 } as const;

/** transfer-mix's requests per call by operation, when every step succeeds. */
const transferMixRequests = (): Record<string, number> => {
  const consults = TRANSFER_SHARES.consult_agent + TRANSFER_SHARES.consult_queue;
  return {
    interaction_create: 1,
    offer: 1,
    accept: 1 - TRANSFER_CALL.autoAssignShare,
    ...Object.fromEntries(TRANSFER_KINDS.map((k) => [`transfer_${k}`, TRANSFER_SHARES[k]])),
    consult_end_handover: consults * TRANSFER_CALL.handOverShare,
    consult_end_return: consults * (1 - TRANSFER_CALL.handOverShare),
    interaction_close: 1,
  };
};

export const SCENARIOS: Readonly<Record<string, ScenarioInfo>> = {
  'offer-burst': {
    description: 'new assignments arriving in bursts: baseline, peaks, recovery (burst, shift start, spike, irregular)',
    ops: ['offer'],
    profiles: BURST_PROFILES,
    defaultProfile: 'burst',
    iterationSec: 0.5,
    requestsPerOp: { offer: 1 },
    slos: { offer: { ...OFFER_SLO, conflict_rate: 0.4 } },
    offersPoolDocuments: true,
    needs: ONE_OF_EACH,
    interactionsPerIteration: 0,
  },
  'transfer-mix': {
    description:
      'the real flow: interaction, offer, accept (auto or inbox), then blind or consult transfers to agents and queues',
    ops: CALL_OPS,
    profiles: ['smoke', 'average', 'burst', 'spike', 'forecast'],
    defaultProfile: 'average',
    iterationSec: 2,
    requestsPerOp: transferMixRequests(),
    slos: { '*': { p95_ms: 800, error_rate: 0.02 } },
    // transfers move work between two agents and two queues
    needs: { agents: 2, queues: 2, presence: ['Available'] },
    interactionsPerIteration: 1,
  },
  soak: {
    description: 'a steady realistic mix for hours (interaction, offer, some transfers, close) with flat k6 memory',
    ops: ['interaction_create', 'offer', 'transfer_blind_queue', 'interaction_close'],
    profiles: ['smoke', 'soak', 'forecast'],
    defaultProfile: 'soak',
    iterationSec: 2,
    requestsPerOp: {
      interaction_create: 1,
      offer: 1 - SOAK_CALL.transferShare,
      transfer_blind_queue: SOAK_CALL.transferShare,
      interaction_close: SOAK_CALL.transferShare + (1 - SOAK_CALL.transferShare) * SOAK_CALL.hangUpShare,
    },
    slos: { '*': { p95_ms: 800, error_rate: 0.01 } },
    summaryFromInflux: true,
    needs: { agents: 1, queues: 2, presence: ['Available'] },
    interactionsPerIteration: 1,
  },
  'contact-centre': {
    description:
      "a contact centre on external routing: contacts arrive, wait for a free agent in the connector's queue, are offered (re-offered after a rejection or an expiry), handled for minutes with presence kept in step, sometimes transferred, and closed",
    ops: [...CALL_OPS, ...CONTACT_OPS],
    profiles: ['smoke', 'average', 'forecast'],
    defaultProfile: 'smoke',
    // a contact lives for minutes: the plan sizes the VUs and the graceful stop from its timelines instead
    iterationSec: 60,
    // with the flags' defaults, from the plan of a run that keeps up (the dry run counts the plan's own)
    requestsPerOp: {
      interaction_create: 1,
      offer: 1.12,
      accept: 0.63,
      reject: 0.06,
      presence_busy: 1.05,
      presence_available: 1.1,
      ...Object.fromEntries(TRANSFER_KINDS.map((k) => [`transfer_${k}`, 0.1 * TRANSFER_SHARES[k]])),
      consult_end_handover: 0.02,
      consult_end_return: 0.02,
      interaction_close: 1,
    },
    slos: { '*': { p95_ms: 800, error_rate: 0.02 } },
    needs: { agents: 1, queues: 2, presence: ['Available', 'Away'] },
    interactionsPerIteration: 1,
    plansContacts: true,
    section: 'contacts',
  },
  capacity: {
    description: 'stepped arrival-rate plateaus up to a ceiling; stops itself once the SLOs stay broken',
    ops: ['offer'],
    profiles: ['smoke', 'capacity'],
    defaultProfile: 'capacity',
    iterationSec: 1,
    requestsPerOp: { offer: 1 },
    slos: { offer: { p95_ms: 500, error_rate: 0.05 } },
    offersPoolDocuments: true,
    // a capacity run measures the target: the same share of agents in each presence on every plateau
    movesPresence: false,
    needs: ONE_OF_EACH,
    interactionsPerIteration: 0,
  },
  contention: {
    description:
      'deliberate races: one document offered to several agents at once, re-offers of taken work, offers to agents going Away',
    ops: [
      'offer_race',
      'reoffer',
      'interaction_create',
      'presence_states',
      'presence_read',
      'presence_away',
      'offer_going_away',
      'presence_restore',
    ],
    profiles: ['smoke', 'average', 'burst'],
    defaultProfile: 'average',
    iterationSec: 2,
    // three agents race for one document, the taken work is offered again; one in four goes through an Away switch
    requestsPerOp: {
      offer_race: 3,
      reoffer: 1,
      interaction_create: 0.25,
      presence_states: 0.25,
      presence_read: 0.25,
      presence_away: 0.25,
      offer_going_away: 0.25,
      presence_restore: 0.25,
    },
    slos: { '*': { p95_ms: 800, error_rate: 0.02 } },
    offersPoolDocuments: true,
    // races between two agents; some are switched Away while an offer is on its way
    needs: { agents: 2, queues: 1, presence: ['Available', 'Away'] },
    // one race in four creates an interaction of its own
    interactionsPerIteration: 0.25,
    section: 'races',
  },
  'timeout-sweep': {
    description:
      'offers across timeouts, routing delays and clock skews, followed to their fate (accepted, rejected, expired)',
    ops: ['offer', 'offer_skewed', 'read_work_item'],
    profiles: ['smoke', 'average'],
    defaultProfile: 'average',
    iterationSec: 40,
    // one offer followed to its fate by reads of its work item; with the default grid half the offers are on a
    // skew arm, and a quarter are refused at once (no reads)
    requestsPerOp: { offer: 0.5, offer_skewed: 0.5, read_work_item: 9 },
    // the skew arms' refusals are the experiment: judged by no SLO (their latency and fates are reported)
    slos: { '*': { p95_ms: 800, error_rate: 0.02 }, offer_skewed: {} },
    offersPoolDocuments: true,
    needs: ONE_OF_EACH,
    interactionsPerIteration: 0,
    sweeps: true,
    section: 'timeouts',
  },
};

/** Requests an iteration sends, on average: the sum over its operations. */
export const requestsPerIteration = (info: ScenarioInfo): number =>
  Object.values(info.requestsPerOp).reduce((a, b) => a + b, 0);

/** The SLO that applies to an operation of a scenario. */
export function sloFor(info: ScenarioInfo, op: string): Slo {
  return info.slos[op] ?? info.slos['*'] ?? {};
}
