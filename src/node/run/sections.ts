/**
 * Report sections, one row each: capacity's plateaus and knee (capacity.ts), the timeout sweep's fates per
 * timeout, contention's races and the target's invariants, and what every run cost the instance.
 */
import { RACE_WINNERS, raceSubmetric } from '../../shared/races.js';
import { SCENARIOS } from '../../shared/scenarios.js';
import { FATES, fateSubmetric, skewFateSubmetric, timeToAcceptSubmetric } from '../../shared/sweep.js';
import { ownTestid } from '../../shared/wire.js';
import { measureClockOffset } from './clock-offset.js';
import { DEFAULT_TARGET_EXPIRY, expectedWaitAdvice } from '../analysis/timeouts.js';
import type { K6SummaryData } from '../results/summary.js';
import type { RunSummary, SkewSection, TimeoutRow } from '../results/model.js';
import { arrivalsSection } from './arrivals-section.js';
import { forecastSection } from './forecast-section.js';
import { contactsSection } from './contacts.js';
import { capacitySection } from './capacity.js';
import { generatorSection } from './generator-health.js';
import { rateLimitSection, sessionsSection } from './instance-cost.js';
import type { SectionContext } from './section-context.js';

export type { SectionContext } from './section-context.js';

const count = (data: K6SummaryData | undefined, metric: string): number => data?.metrics[metric]?.values.count ?? 0;

/** Fates per offer timeout, and how long agents took to accept. */
export async function sweepSection(c: SectionContext): Promise<Pick<RunSummary, 'timeouts'> | undefined> {
  if (SCENARIOS[c.scenario]!.section !== 'timeouts' || !c.data) return undefined;
  const byTimeout: Record<string, TimeoutRow> = {};
  for (const t of c.sweep.timeouts) {
    const fates = Object.fromEntries(FATES.map((f) => [f, count(c.data, fateSubmetric(t, f))])) as TimeoutRow['fates'];
    const answered = fates.accepted! + fates.rejected! + fates.expired!;
    const tta = c.data.metrics[timeToAcceptSubmetric(t)]?.values;
    byTimeout[String(t)] = {
      fates,
      expired_share: answered === 0 ? null : Math.round((fates.expired! / answered) * 1000) / 1000,
      time_to_accept_ms: tta?.count
        ? { p50: Math.round(tta.med ?? 0), p95: Math.round(tta['p(95)'] ?? 0), max: Math.round(tta.max ?? 0) }
        : null,
    };
  }
  return {
    timeouts: {
      sweep: c.sweep,
      by_timeout: byTimeout,
      skew: await skewSection(c),
      advice: expectedWaitAdvice(byTimeout, DEFAULT_TARGET_EXPIRY),
    },
  };
}

/** The skew arms' offers and refusals, and the target's clock offset measured now from its Date headers. */
async function skewSection(c: SectionContext): Promise<SkewSection> {
  const arms = c.sweep.skewsMs.map((skew) => ({
    skew_ms: skew,
    offers: FATES.reduce((a, f) => a + count(c.data, skewFateSubmetric(skew, f)), 0),
    refused: count(c.data, skewFateSubmetric(skew, 'skew_refused')),
  }));
  const tolerated = arms.filter((a) => a.offers > 0 && a.refused === 0).map((a) => a.skew_ms);
  return {
    arms,
    largest_tolerated_ms: tolerated.length > 0 ? Math.max(...tolerated) : null,
    clock_offset: (await measureClockOffset(c.targetUrl, ownTestid(c.testid, 'clock'))) ?? null,
  };
}

/** Races and their winners; the target's own invariants when it is the simulator. */
export async function contentionSection(c: SectionContext): Promise<Pick<RunSummary, 'contention'> | undefined> {
  if (SCENARIOS[c.scenario]!.section !== 'races') return undefined;
  const races = Object.fromEntries(RACE_WINNERS.map((w) => [w, count(c.data, raceSubmetric(w))]));
  const res = await fetch(`${c.targetUrl}/sim/invariants`).catch(() => undefined);
  const invariants = res?.ok ? ((await res.json()) as { ok: boolean; violations: string[] }) : null;
  return { contention: { races_by_winners: races, exactly_one_winner: races.many === 0, invariants } };
}

export const SECTIONS: readonly ((c: SectionContext) => Promise<Partial<RunSummary> | undefined>)[] = [
  capacitySection,
  sweepSection,
  contentionSection,
  sessionsSection,
  rateLimitSection,
  generatorSection,
  arrivalsSection,
  forecastSection,
  contactsSection,
];
