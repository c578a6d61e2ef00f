/**
 * contention: races on purpose. Each iteration offers one document to several agents at once, re-offers
 * the work that was just taken, and now and then offers a call to an agent who is switching to Away.
 * Conflicts are the point here; the race counter and the target's invariants say whether each race had
 * exactly one winner.
 */
import { contentionIteration, raceThresholds } from '../src/k6/contention.js';
import { initRun } from '../src/k6/run.js';

const run = initRun('contention');
run.addThresholds(raceThresholds);
export const options = run.options;

function iteration(): void {
  contentionIteration(run.cfg, run.headers, run.entry(), [run.entryAt(7919), run.entryAt(104729)]);
}
export default run.iterate(iteration);

export function handleSummary(data: unknown): Record<string, string> {
  return run.handleSummary(data);
}
