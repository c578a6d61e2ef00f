/**
 * The k6 end of the drain channel (src/shared/control.ts): each VU asks the CLI at most once a second whether
 * to stop starting work. Once told, it starts nothing more; what it already started finishes, so every request
 * the target received is one k6 records.
 */
import secrets from 'k6/secrets';
import { CONTROL_SOURCE, CONTROL_STOP, controlKey } from '../shared/control.js';

let stopped = false;
let askedKey = '';

/** Whether this VU should start no more work; false at once when the run has no drain channel (the operator's runners). */
export async function stopRequested(enabled: boolean): Promise<boolean> {
  if (!enabled || stopped) return stopped;
  const key = controlKey(Date.now());
  if (key === askedKey) return false;
  askedKey = key;
  try {
    stopped = (await secrets.source(CONTROL_SOURCE).get(key)) === CONTROL_STOP;
  } catch {
    // the CLI is gone or slow: keep going; its SIGINT still ends the run
  }
  return stopped;
}
