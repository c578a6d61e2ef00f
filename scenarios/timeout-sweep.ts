/**
 * timeout-sweep: offers across a grid of offer timeouts, routing delays and clock skews, each followed to
 * its fate through the Table API. Tells a performance engineer how often offers expire at each timeout, how
 * long agents take to accept, and how much clock skew the target tolerates.
 */
import exec from 'k6/execution';
import { initRun } from '../src/k6/run.js';
import { readSweep, sweepIteration, sweepThresholds } from '../src/k6/sweep.js';
import { sweepPoints } from '../src/shared/sweep.js';

const run = initRun('timeout-sweep');
const sweep = readSweep();
const points = sweepPoints(sweep);
run.addThresholds(() => sweepThresholds(sweep));
export const options = run.options;

function iteration(): void {
  sweepIteration(run.cfg, run.headers, run.entry(), points[exec.scenario.iterationInTest % points.length]!);
}
export default run.iterate(iteration);

export function handleSummary(data: unknown): Record<string, string> {
  return run.handleSummary(data);
}
