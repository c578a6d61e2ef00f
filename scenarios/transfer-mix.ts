/**
 * transfer-mix: the real CCaaS flow. Each iteration is one call: the interaction is created, offered and
 * accepted (auto-assign, or the agent desk through the inbox actions API), then transferred blind or by
 * consult to an agent or a queue (consults end with or without hand-over), and closed.
 */
import { initRun } from '../src/k6/run.js';
import { TRANSFER_CALL } from '../src/shared/scenarios.js';
import { transferFlow } from '../src/k6/transfer.js';

const run = initRun('transfer-mix');
export const options = run.options;

function iteration(): void {
  transferFlow(run.cfg, run.headers, run.entry(), TRANSFER_CALL);
}
export default run.iterate(iteration);

export function handleSummary(data: unknown): Record<string, string> {
  return run.handleSummary(data);
}
