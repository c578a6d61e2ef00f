/**
 * The refinement phase's plan, pure: where the next probe goes, how long a probe is, how much time and how
 * many documents the phase may take. refine.ts runs it.
 */
import { capacityPlateaus, expectedIterations, getProfile, type ProfileParams } from '../../shared/profiles.js';

/** The knee is known once its bracket is this narrow, as a share of its low end. */
export const KNEE_TOLERANCE = 0.05;
/** Most probes a run makes (four halvings take a 25% bracket under 2%). */
export const MAX_PROBES = 4;
/** Seconds a probe costs beyond its plateau: k6's start, the drain, collecting. */
export const PROBE_OVERHEAD_SEC = 5;

/** The next rate to probe: the middle of the bracket (whole requests per second), or undefined once it is narrow enough. */
export function nextProbe(b: { met: number; missed: number }, tolerance = KNEE_TOLERANCE): number | undefined {
  if ((b.missed - b.met) / b.met <= tolerance) return undefined;
  const mid = Math.round((b.met + b.missed) / 2);
  return mid > b.met && mid < b.missed ? mid : undefined;
}

/** One probe's plan: one plateau as long as a coarse one. */
export function probeParams(params: ProfileParams, rate: number): ProfileParams {
  const plateauSec = capacityPlateaus(params)[0]!.seconds;
  return { ...params, rate, ceiling: rate, durationSec: plateauSec };
}

/** Iterations the refinement phase may send: every probe at the ceiling's rate (an upper bound, for sizing documents). */
export function refinementIterations(params: ProfileParams): number {
  const ceiling = params.ceiling ?? params.rate * 8;
  return MAX_PROBES * expectedIterations(getProfile('capacity'), probeParams(params, ceiling));
}

/** Seconds the refinement may take: what the early stop left of the planned duration, and at least 30% of it. */
export function refinementBudgetSec(params: ProfileParams, coarseSec: number): number {
  return Math.max(params.durationSec - coarseSec, params.durationSec * 0.3);
}
