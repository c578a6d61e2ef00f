/** The timeout sweep's grid: every combination of offer timeout, routing delay and clock skew. */
import { MEASUREMENTS } from './measurements.js';

export interface Sweep {
  /** offer timeouts, seconds */
  readonly timeouts: readonly number[];
  /** how long the CCaaS router took before the request, ms (offered_on moves back by this) */
  readonly delaysMs: readonly number[];
  /** how far the caller's clock runs ahead of the target's, ms (offered_on moves forward by this) */
  readonly skewsMs: readonly number[];
}

export const DEFAULT_SWEEP: Sweep = { timeouts: [5, 10, 20, 30], delaysMs: [300, 2000], skewsMs: [0, 2000] };

export interface SweepPoint {
  readonly timeout: number;
  readonly delayMs: number;
  readonly skewMs: number;
}

/** Every combination, timeouts outermost, in a fixed order. */
export function sweepPoints(s: Sweep): SweepPoint[] {
  return s.timeouts.flatMap((timeout) =>
    s.delaysMs.flatMap((delayMs) => s.skewsMs.map((skewMs) => ({ timeout, delayMs, skewMs }))),
  );
}

/**
 * What became of an offer. `skew_refused`: an offer of a skew arm that the target refused because its
 * offered_on lay ahead of the target's clock, the refusal the arm exists to provoke (its own fate, never the
 * target failing).
 */
export const FATES = ['accepted', 'rejected', 'expired', 'refused', 'skew_refused', 'unresolved'] as const;
export type Fate = (typeof FATES)[number];

/**
 * The operation of a sweep offer: `offer_skewed` on the skew arms (offered_on moved ahead on purpose), judged by
 * no SLO since their refusals are the experiment; `offer` on the rest, what a real integration's traffic meets.
 */
export const sweepOfferOp = (p: Pick<SweepPoint, 'skewMs'>): 'offer' | 'offer_skewed' =>
  p.skewMs === 0 ? 'offer' : 'offer_skewed';

/** The submetric of the offers of skew arm `skewMs` that met `fate`. */
export const skewFateSubmetric = (skewMs: number, fate: Fate): string =>
  `${MEASUREMENTS.offerFates}{skew_ms:${skewMs},fate:${fate}}`;

/** The submetric of offers at `timeout` that met `fate`, as k6's thresholds and end-of-test data name it. */
export const fateSubmetric = (timeout: number, fate: Fate): string =>
  `${MEASUREMENTS.offerFates}{timeout:${timeout},fate:${fate}}`;

/** The submetric of the time to accept of offers at `timeout`. */
export const timeToAcceptSubmetric = (timeout: number): string => `${MEASUREMENTS.timeToAccept}{timeout:${timeout}}`;
