/**
 * capacity: plain offers on stepped arrival-rate plateaus up to a ceiling. The CLI watches each window in
 * InfluxDB and stops the run once the SLOs stay broken, then reports the knee per plateau.
 */
import { sendOffer } from '../src/k6/offer.js';
import { initRun } from '../src/k6/run.js';

const run = initRun('capacity');
export const options = run.options;

function iteration(): void {
  sendOffer(run.cfg, run.headers, run.entry());
}
export default run.iterate(iteration);

export function handleSummary(data: unknown): Record<string, string> {
  return run.handleSummary(data);
}
