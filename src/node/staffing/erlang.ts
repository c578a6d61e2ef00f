/**
 * Erlang C: the staffing maths of a contact centre (M/M/N: Poisson arrivals, exponential handle times, no
 * abandonment). Erlang B by its recursion, B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1)), which stays in [0, 1] for
 * any number of agents (the factorial form overflows past a few hundred); then the probability of waiting
 * C = N B(N) / (N - A (1 - B(N))).
 */

/** Erlang B: the share of contacts blocked with N servers and A Erlangs of traffic, and no queue. */
export function erlangB(traffic: number, agents: number): number {
  let b = 1;
  for (let k = 1; k <= agents; k++) b = (traffic * b) / (k + traffic * b);
  return b;
}

/** Erlang C: the probability that a contact waits (1 when the agents cannot keep up: N <= A). */
export function erlangC(traffic: number, agents: number): number {
  if (traffic <= 0) return 0;
  if (agents <= traffic) return 1;
  const b = erlangB(traffic, agents);
  return (agents * b) / (agents - traffic * (1 - b));
}

/** What N agents give for A Erlangs of contacts with mean handle time h, seconds. */
export interface Staffing {
  readonly agents: number;
  readonly traffic: number;
  /** probability that a contact waits */
  readonly waitProbability: number;
  /** share of contacts answered within the target, 0 when the agents cannot keep up */
  readonly serviceLevel: number;
  /** average speed of answer, seconds (Infinity when the agents cannot keep up) */
  readonly asaSec: number;
  /** A / N, at most 1 */
  readonly occupancy: number;
}

export function staffing(traffic: number, agents: number, handleSec: number, targetSec: number): Staffing {
  const c = erlangC(traffic, agents);
  const stable = agents > traffic;
  return {
    agents,
    traffic,
    waitProbability: c,
    serviceLevel: !stable ? 0 : traffic <= 0 ? 1 : 1 - c * Math.exp((-(agents - traffic) * targetSec) / handleSec),
    asaSec: !stable ? Number.POSITIVE_INFINITY : traffic <= 0 ? 0 : (c * handleSec) / (agents - traffic),
    occupancy: agents > 0 ? Math.min(1, traffic / agents) : 1,
  };
}

/** The fewest agents that answer `share` of contacts within `targetSec` (a service level such as 80/20). */
export function agentsFor(traffic: number, handleSec: number, share: number, targetSec: number): Staffing {
  if (!(share > 0 && share < 1)) throw new RangeError(`a service level share must lie between 0 and 1, got ${share}`);
  // the service level rises to 1 as agents are added; far past the traffic it is within any share below 1
  const most = Math.ceil(traffic * 2) + 1000;
  for (let n = Math.max(1, Math.floor(traffic) + 1); n <= most; n++) {
    const s = staffing(traffic, n, handleSec, targetSec);
    if (s.serviceLevel >= share) return s;
  }
  throw new RangeError(`no staffing up to ${most} agents reaches ${share} for ${traffic} Erlangs`);
}
