/**
 * Queueing theory for the capacity tests' expectations, computed: the blocking probability of an M/D/c/K queue
 * (Poisson arrivals, a deterministic service time, c servers, K places in all), which has no simple closed form,
 * by simulating the queue itself (seeded, 200,000 arrivals: the blocking share's standard error is under 0.05
 * points at the shares the tests read). This is the model, not the simulator under test.
 */
import { seededRandom } from '../../src/shared/random.js';

/** The share of arrivals an M/D/c/K queue refuses, at `rate` per second with service `serviceSec`. */
export function blockingMDcK(
  rate: number,
  serviceSec: number,
  servers: number,
  places: number,
  arrivals = 200_000,
): number {
  const random = seededRandom(7);
  const free = new Array<number>(servers).fill(0);
  // departure times of those in the system, ascending (FIFO with equal service times keeps them in order)
  const inSystem: number[] = [];
  let head = 0;
  let t = 0;
  let refused = 0;
  for (let i = 0; i < arrivals; i++) {
    t += -Math.log(1 - random()) / rate;
    while (head < inSystem.length && inSystem[head]! <= t) head++;
    if (inSystem.length - head >= places) {
      refused++;
      continue;
    }
    let s = 0;
    for (let k = 1; k < servers; k++) if (free[k]! < free[s]!) s = k;
    const done = Math.max(t, free[s]!) + serviceSec;
    free[s] = done;
    inSystem.push(done);
  }
  return refused / arrivals;
}

/** The arrival rate at which the M/D/c/K queue refuses `share` of arrivals (bisection; blocking rises with the rate). */
export function rateRefusing(share: number, serviceSec: number, servers: number, places: number): number {
  let lo = 0.01;
  let hi = (2 * servers) / serviceSec;
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    if (blockingMDcK(mid, serviceSec, servers, places) < share) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
