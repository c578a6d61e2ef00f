/**
 * doctor's checks of a planned run against the target's fixtures, found as a run on a real instance finds
 * them (the Table API): agents with awa_agent and awa_external_user, queues, presence states, active
 * documents, each against what the plan needs; and what the plan will create there. Each says what to do.
 */
import { SCENARIOS } from '../../shared/scenarios.js';
import { targetAuth } from '../credentials.js';
import { discoverFixtures } from '../data/fixtures-source.js';
import { fixtureNeeds } from '../run/fixture-needs.js';
import { documentsNeeded, plannedIterations } from '../run/inputs.js';
import type { RunOptions } from '../run/plan.js';

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export async function planChecks(plan: RunOptions, targetUrl: string, env: NodeJS.ProcessEnv): Promise<Check[]> {
  const fixtures = await discoverFixtures(targetUrl, targetAuth(plan.credentials ?? env, targetUrl)).catch(
    (e: Error) => e,
  );
  if (fixtures instanceof Error)
    return [
      {
        name: 'fixtures',
        ok: false,
        detail: `${fixtures.message}: the caller needs read access to awa_queue, awa_presence_state, sys_user_has_role, awa_agent_presence, sys_user and interaction`,
      },
    ];
  const needs = fixtureNeeds(plan, fixtures, documentsNeeded(plan)).map((n) => ({
    name: n.kind.replace(' ', '-'),
    ok: n.found >= n.needed,
    detail: `${n.found} found, the plan needs ${n.needed}${n.found >= n.needed ? '' : `: ${n.fix}`}`,
  }));
  const names = new Set(fixtures.presence_states.map((p) => p.name));
  const used = SCENARIOS[plan.scenario]!.needs.presence;
  const missing = used.filter((n) => !names.has(n));
  const presence: Check = missing.length
    ? {
        name: 'presence',
        ok: false,
        detail: `no presence state named ${missing.join(' or ')}: the run uses ${used.join(' and ')}; create it in awa_presence_state`,
      }
    : {
        name: 'presence',
        ok: true,
        detail: `states ${[...names].join(', ')}; available agents now: ${fixtures.agents.filter((a) => a.presence === 'Available').length} of ${fixtures.agents.length}`,
      };
  const iterations = plannedIterations(plan);
  const interactions = Math.round(iterations * SCENARIOS[plan.scenario]!.interactionsPerIteration);
  const creates: Check = {
    name: 'creates',
    ok: true,
    detail: `${plan.scenario} (${plan.profile}, ${plan.params.rate}/s for ${plan.params.durationSec} s) creates about ${iterations} work items and ${interactions} interactions, each tagged with its testid (external_segment_id) and listed in records.log; 'offerload cleanup <testid>' or 'run --cleanup' puts them back`,
  };
  return [...needs, presence, creates];
}
