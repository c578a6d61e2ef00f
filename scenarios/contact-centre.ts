/**
 * contact-centre: a contact centre on external routing. Each iteration is one contact of the plan the CLI made
 * (src/node/contact-centre/simulate.ts): created when it arrives, offered to the agents the connector believes
 * free (re-offered after a rejection or an expiry), accepted, kept in step through the agents' presence, sometimes
 * transferred, and closed at the end of its handle time, or abandoned in the connector's queue.
 */
import { initRun } from '../src/k6/run.js';
import { contactIteration, contactThresholds, loadContacts } from '../src/k6/contact.js';
import { K6_ENV } from '../src/shared/k6-contract.js';

const run = initRun('contact-centre');
export const options = run.options;
run.addThresholds(contactThresholds);

const path = __ENV[K6_ENV.contacts];
if (!path) throw new Error(`missing ${K6_ENV.contacts}: run contact-centre through 'offerload run'`);
const plan = loadContacts(path);

function iteration(): void {
  contactIteration(run.cfg, run.headers, run.entry(), plan);
}
export default run.iterate(iteration);

export function handleSummary(data: unknown): Record<string, string> {
  return run.handleSummary(data);
}
