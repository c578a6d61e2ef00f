/**
 * What a run's plan needs from its target's fixtures, one row per kind: how many it needs, how many the
 * fixtures hold, and what to do about a shortfall. The run refuses a plan its fixtures cannot carry before any
 * load (never a silent wrap-around), and `doctor` shows the same rows.
 */
import type { Fixtures } from '../../shared/api.js';
import { SCENARIOS } from '../../shared/scenarios.js';
import type { RunOptions } from './plan.js';
import { agentsOf } from '../contact-centre/model.js';

export interface FixtureNeed {
  readonly kind: 'agents' | 'queues' | 'documents' | 'presence states';
  readonly needed: number;
  readonly found: number;
  /** what to do on the target when found < needed */
  readonly fix: string;
}

const NEEDS: readonly ((opts: RunOptions, f: Fixtures, documents: number) => FixtureNeed)[] = [
  (o, f) => ({
    kind: 'agents',
    // a contact centre needs its agents logged in
    needed: o.contactCentre
      ? agentsOf({ settings: o.contactCentre.settings, forecast: o.forecast })
      : SCENARIOS[o.scenario]!.needs.agents,
    found: f.agents.length,
    fix: 'grant awa_agent and awa_external_user to more users (agents need both to be offered external work)',
  }),
  (o, f) => ({
    kind: 'queues',
    needed: SCENARIOS[o.scenario]!.needs.queues,
    found: f.queues.length,
    fix: 'create or activate AWA queues (awa_queue) with the External flag',
  }),
  (_, f, documents) => ({
    kind: 'documents',
    needed: documents,
    found: f.documents.length,
    fix: 'create more active interactions (the Interaction API), shorten the run or lower the rate',
  }),
  (o, f) => ({
    kind: 'presence states',
    needed: SCENARIOS[o.scenario]!.needs.presence.length,
    found: f.presence_states.length,
    fix: `the run needs ${SCENARIOS[o.scenario]!.needs.presence.join(' and ')}: check awa_presence_state`,
  }),
];

/** Every need of the plan, met or not; `documents`: the fresh documents it offers (run/inputs.ts documentsNeeded). */
export function fixtureNeeds(opts: RunOptions, fixtures: Fixtures, documents: number): FixtureNeed[] {
  return NEEDS.map((need) => need(opts, fixtures, documents));
}

/** The one-line explanation of the needs that are not met, or undefined when all are. */
export function shortfall(opts: RunOptions, fixtures: Fixtures, documents: number): string | undefined {
  const short = fixtureNeeds(opts, fixtures, documents).filter((n) => n.found < n.needed);
  if (short.length === 0) return undefined;
  const plan = `${opts.scenario}, ${opts.profile}, ${opts.params.rate}/s for ${opts.params.durationSec} s`;
  return `the plan (${plan}) needs ${short.map((n) => `${n.needed} ${n.kind} and the fixtures hold ${n.found}`).join('; ')}: ${short.map((n) => n.fix).join('; ')}`;
}
