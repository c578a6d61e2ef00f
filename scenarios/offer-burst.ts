/**
 * offer-burst: new assignments arriving in bursts, as when queues flood at shift change or after an outage.
 * An open model (arrival rate), so a slow target shows as latency and dropped iterations, not a lower rate.
 */
import { sendOffer } from '../src/k6/offer.js';
import { initRun } from '../src/k6/run.js';

const run = initRun('offer-burst');
export const options = run.options;

function iteration(): void {
  sendOffer(run.cfg, run.headers, run.entry());
}
export default run.iterate(iteration);

export function handleSummary(data: unknown): Record<string, string> {
  return run.handleSummary(data);
}
