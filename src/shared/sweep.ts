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

/** What became of an offer. */
export const FATES = ['accepted', 'rejected', 'expired', 'refused', 'unresolved'] as const;
export type Fate = (typeof FATES)[number];

/** The submetric of offers at `timeout` that met `fate`, as k6's thresholds and end-of-test data name it. */
export const fateSubmetric = (timeout: number, fate: Fate): string =>
  `${MEASUREMENTS.offerFates}{timeout:${timeout},fate:${fate}}`;

/** The submetric of the time to accept of offers at `timeout`. */
export const timeToAcceptSubmetric = (timeout: number): string => `${MEASUREMENTS.timeToAccept}{timeout:${timeout}}`;
