/** The run's arrival plan, made from its profile (or forecast) and seed before k6 starts (src/shared/arrivals.ts). */
import { type ArrivalPlan, arrivalPlan, evenArrivalPlan, profileCurve } from '../../shared/arrivals.js';
import { getProfile } from '../../shared/profiles.js';
import { SCENARIOS } from '../../shared/scenarios.js';
import type { RunOptions } from './plan.js';

/**
 * The run's arrival plan (Poisson arrivals made from its seed; a forecast's evenly spaced ones), or undefined for
 * k6's own evenly spaced starts.
 */
export function arrivalPlanOf(
  opts: Pick<RunOptions, 'scenario' | 'profile' | 'params' | 'arrivals' | 'seed' | 'forecast'>,
): ArrivalPlan | undefined {
  const curve = profileCurve(getProfile(opts.profile), opts.params);
  // a contact plan is made from arrival times: evenly spaced ones are drawn as a plan too
  if (opts.arrivals.mode === 'even')
    return opts.params.curve || SCENARIOS[opts.scenario]!.plansContacts ? evenArrivalPlan(curve, opts.seed) : undefined;
  return arrivalPlan(curve, {
    seed: opts.seed,
    dispersion: opts.arrivals.dispersion,
    // a forecast's rate is one draw per interval, as its intervals are the forecast's
    intervalSec: opts.params.curve && opts.forecast ? opts.forecast.replaySec : undefined,
  });
}
