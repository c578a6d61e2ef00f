/**
 * The k6 end of the drain channel (src/shared/control.ts): each VU asks the CLI at most once a second whether
 * to stop starting work. Once told, it starts nothing more; what it already started finishes, so every request
 * the target received is one k6 records. Between asks an iteration costs one clock read and no promise.
 */
import secrets from 'k6/secrets';
import { CONTROL_SOURCE, CONTROL_STOP, controlKey } from '../shared/control.js';

let stopped = false;
/** when this VU asks next, epoch ms: the start of the next second (keys are per second, shared by every VU) */
let nextAskMs = 0;

async function ask(now: number): Promise<boolean> {
  nextAskMs = (Math.floor(now / 1000) + 1) * 1000;
  try {
    stopped = (await secrets.source(CONTROL_SOURCE).get(controlKey(now))) === CONTROL_STOP;
  } catch {
    // the CLI is gone or slow: keep going; its SIGINT still ends the run
  }
  return stopped;
}

/** The iteration behind the drain channel: `work` unless the CLI has asked this VU to start no more. */
export function behindDrain(work: () => void): () => void | Promise<void> {
  return () => {
    if (stopped) return;
    const now = Date.now();
    if (now < nextAskMs) return work();
    return ask(now).then((stop) => {
      if (!stop) work();
    });
  };
}
