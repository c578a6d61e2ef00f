/**
 * timeout-sweep: offers across a grid of offer timeouts, routing delays and clock skews, each followed to
 * its fate through the Table API. Tells a performance engineer how often offers expire at each timeout, how
 * long agents take to accept, and how much clock skew the target tolerates.
 */
import exec from 'k6/execution';
import { initRun } from '../src/k6/run.js';
import { sweepIteration } from '../src/k6/sweep.js';
import { FATES, sweepPoints, DEFAULT_SWEEP, type Sweep } from '../src/shared/sweep.js';

const run = initRun('timeout-sweep');
const sweep: Sweep = __ENV.OFFERLOAD_SWEEP ? (JSON.parse(__ENV.OFFERLOAD_SWEEP) as Sweep) : DEFAULT_SWEEP;
const points = sweepPoints(sweep);
// per-timeout fate submetrics in the end-of-test data, for summary.json
run.addThresholds(() => {
  const thresholds: Record<string, string[]> = {};
  for (const t of sweep.timeouts) for (const fate of FATES) thresholds[`offerload_offer_fates{timeout:${t},fate:${fate}}`] = ['count>=0'];
  for (const t of sweep.timeouts) thresholds[`offerload_time_to_accept_ms{timeout:${t}}`] = ['max>=0'];
  return thresholds;
});
export const options = run.options;

function iteration(): void {
  sweepIteration(run.cfg, run.headers, run.entry(), points[exec.scenario.iterationInTest % points.length]!);
}
export default run.iterate(iteration);

export function handleSummary(data: unknown): Record<string, string> {
  return run.handleSummary(data);
}
