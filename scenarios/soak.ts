/**
 * soak: a steady realistic mix for hours. Most calls are created and offered (simulated or real agents take
 * them from there); one in ten is transferred blind to another queue first. k6 runs without an end-of-test
 * summary or thresholds, so it keeps no samples and its memory stays flat; the CLI judges the SLOs from
 * InfluxDB windows afterwards.
 */
import { createInteraction, closeInteraction } from '../src/k6/interaction.js';
import { sendOffer } from '../src/k6/offer.js';
import { initRun } from '../src/k6/run.js';
import { SOAK_CALL } from '../src/shared/scenarios.js';
import { blindToQueue } from '../src/k6/transfer.js';

const run = initRun('soak');
export const options = run.options;

function iteration(): void {
  const e = run.entry();
  const doc = createInteraction(run.cfg, run.headers, e);
  if (!doc) return;
  if (e.dice[0] < SOAK_CALL.transferShare) {
    blindToQueue(run.cfg, run.headers, e, doc);
    closeInteraction(run.cfg, run.headers, doc);
    return;
  }
  sendOffer(run.cfg, run.headers, e, { documentId: doc, table: 'interaction' });
  // a share of calls end while the card is still out (the caller hangs up)
  if (e.dice[1] < SOAK_CALL.hangUpShare) closeInteraction(run.cfg, run.headers, doc);
}
export default run.iterate(iteration);
