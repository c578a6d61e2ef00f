/**
 * The target's clock offset from its Date headers, against the real simulator over HTTP with its clock set
 * ahead and behind: the bounds hold the true offset, and narrow to about the requests' spacing.
 */
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../sim/http/server.js';
import { simConfig } from '../sim/config.js';
import { measureClockOffset } from './clock-offset.js';

describe('clock offset from Date headers', () => {
  it.each([0, 1500, -2300])('finds an instance clock %i ms off real time', async (offsetMs) => {
    const sim = await startSimulator(
      simConfig({ port: 0, platform: { clockOffsetMs: offsetMs }, capacity: { fast: true } }, {}),
    );
    try {
      const m = (await measureClockOffset(sim.url, 'clock-test'))!;
      expect(m.samples).toBe(24);
      // the true offset lies inside the bounds every answer agreed on; 24 requests 50 ms apart cover every phase
      // of a second, so the bounds are at most the spacing plus a round trip and a timer's lateness wide
      expect(m.low_ms).toBeLessThanOrEqual(offsetMs + 5);
      expect(m.high_ms).toBeGreaterThanOrEqual(offsetMs - 5);
      expect(m.high_ms - m.low_ms).toBeLessThan(150);
      expect(Math.abs(m.offset_ms - offsetMs)).toBeLessThan(80);
    } finally {
      await sim.close();
    }
  });

  it('says nothing of a target that cannot be reached', async () => {
    expect(await measureClockOffset('http://127.0.0.1:9', 'clock-test', 3, 10)).toBeUndefined();
  });
});
