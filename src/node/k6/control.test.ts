import { describe, expect, it } from 'vitest';
import { CONTROL_GO, CONTROL_STOP, controlKey, controlSecretSource } from '../../shared/control.js';
import { openControl } from './control.js';

describe('the drain channel', () => {
  it('answers "keep going" with a blank (which k6 does not add to its redaction list), then "stop" once asked to', async () => {
    const c = await openControl();
    try {
      expect(c.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/control$/);
      const ask = async () => (await fetch(`${c.url}/${controlKey(Date.now())}`)).text();
      expect(await ask()).toBe(CONTROL_GO);
      expect(CONTROL_GO.trim()).toBe('');
      c.stop();
      expect(await ask()).toBe(CONTROL_STOP);
    } finally {
      await c.close();
    }
  });

  it('gives every VU the same key within a second, so one fetch serves them all', () => {
    expect(controlKey(1_700_000_000_123)).toBe(controlKey(1_700_000_000_999));
    expect(controlKey(1_700_000_001_000)).not.toBe(controlKey(1_700_000_000_999));
  });

  it("configures k6's url secret source with no retries, a short timeout and no limit that could hold an iteration back", () => {
    const arg = controlSecretSource('http://127.0.0.1:4000/control');
    expect(arg).toBe(
      'url=name=offerload_control,urlTemplate=http://127.0.0.1:4000/control/{key},timeout=250ms,maxRetries=0,requestsPerMinuteLimit=6000000,requestsBurst=100000',
    );
  });
});
