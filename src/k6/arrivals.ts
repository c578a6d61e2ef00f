/**
 * Poisson arrivals on the k6 side (src/shared/arrivals.ts makes the plan in Node): k6 starts each window's
 * iterations ahead of it (the plan's lead), and each iteration sleeps until its own arrival time. One that starts after its
 * arrival time (no VU was free) is late: counted, with how late, never silently shifted.
 */
import { sleep } from 'k6';
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import { Counter, Trend } from 'k6/metrics';
import { type ArrivalPlan, LATE_AFTER_MS } from '../shared/arrivals.js';
import type { ContactPlanFile } from '../shared/contact-plan.js';
import { MEASUREMENTS } from '../shared/measurements.js';
import { GENERATOR_TAG } from './config.js';
import { iterationIndex } from './data.js';

const arrivals = new Counter(MEASUREMENTS.arrivals);
const late = new Counter(MEASUREMENTS.arrivalsLate);

/** Counts an iteration's arrival, stamped now (its work starts): every iteration, planned or evenly spaced. */
export const arrived = (): void => arrivals.add(1, GENERATOR_TAG);
const lateness = new Trend(MEASUREMENTS.arrivalLateness, true);

/**
 * Loads the plan's arrival times into shared memory (init context); returns the wait before an iteration's work,
 * which says whether the iteration has an arrival at all (one started past the plan does nothing).
 */
export function loadArrivals(path: string): () => boolean {
  // parsed once per k6 process (SharedArray), never in each VU: each arrival's due time from the scenario's start
  const dueMs = new SharedArray('offerload-arrivals', () => {
    const plan = JSON.parse(open(path)) as ArrivalPlan;
    return plan.offsetsMs.map((o) => o + plan.leadMs);
  }) as unknown as readonly number[];
  let startMs: number | undefined;
  return () => {
    const k = iterationIndex();
    if (k >= dueMs.length) return false;
    startMs ??= exec.scenario.startTime;
    const due = startMs + dueMs[k]!;
    lastDue = due;
    const wait = due - Date.now();
    if (wait > 0) sleep(wait / 1000);
    else if (-wait > LATE_AFTER_MS) {
      late.add(1, GENERATOR_TAG);
      lateness.add(-wait, GENERATOR_TAG);
    }
    arrived();
    return true;
  };
}

let lastDue = 0;
/** This VU's current iteration's arrival time, epoch ms (a contact's timeline counts from it, lateness and all). */
export const arrivalTime = (): number => lastDue;

/** The arrival plan's windows, for the executor's stages (options are built in the __VU 0 init only). */
export function arrivalWindows(path: string): Pick<ArrivalPlan, 'counts' | 'windowMs' | 'leadMs'> {
  const { counts, windowMs, leadMs } = JSON.parse(open(path)) as ArrivalPlan;
  return { counts, windowMs, leadMs };
}

/** A contact plan's overlap and longest life, for the executor's VUs and graceful stop (the __VU 0 init only). */
export function contactLives(path: string): Pick<ContactPlanFile, 'peakConcurrent' | 'longestMs'> {
  const { peakConcurrent, longestMs } = JSON.parse(open(path)) as ContactPlanFile;
  return { peakConcurrent, longestMs };
}
