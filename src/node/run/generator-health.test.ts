import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { childNamed, readProc, sampleFields } from './generator-health.js';

describe('generator health', () => {
  it('turns two readings into the share of all cores, the cores busy and the memory', () => {
    const f = sampleFields({ atMs: 0, cpuSec: 10, rssMb: 90 }, { atMs: 2000, cpuSec: 13, rssMb: 120.04 }, 4);
    expect(f).toEqual({ cpu_share: 0.375, cpu_cores: 1.5, rss_mb: 120 });
  });

  it('never reports a negative share when the CPU time did not grow', () => {
    expect(sampleFields({ atMs: 0, cpuSec: 5, rssMb: 1 }, { atMs: 1000, cpuSec: 5, rssMb: 1 }, 2).cpu_share).toBe(0);
  });

  it('reads its own process from /proc: CPU time spent and resident memory', () => {
    const r = readProc(process.pid)!;
    expect(r.cpuSec).toBeGreaterThan(0);
    expect(r.rssMb).toBeGreaterThan(10);
    expect(readProc(2 ** 22 + 1)).toBeUndefined();
  });

  it("finds this process's child by its command name, and nothing once it is gone", async () => {
    const child = spawn('sleep', ['5']);
    await new Promise((r) => setTimeout(r, 200));
    expect(childNamed('sleep')).toBe(child.pid);
    child.kill();
    await new Promise((r) => child.once('close', r));
    expect(childNamed('sleep')).toBeUndefined();
  });
});
