/** The CLI killed with SIGKILL mid-run leaves nothing behind: its k6 dies with it, its embedded simulator is in its own process. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { processesWith, waitFor } from '../helpers/processes.js';

describe('the CLI killed with SIGKILL', () => {
  it('takes its k6 with it: no orphaned load generator keeps loading the target', async () => {
    const testid = `orphan-${Date.now().toString(36)}`;
    // not --quiet: k6 then writes to inherited output, so nothing but the parent-death signal would end it
    // (a piped k6 also dies of SIGPIPE on its next write)
    const cli = spawn(
      process.execPath,
      [
        BIN,
        'run',
        'offer-burst',
        '--profile',
        'average',
        '--rate',
        '5',
        '--duration',
        '60s',
        '--no-influx',
        '--out',
        path.join(tmpdir(), 'offerload-orphans'),
        '--testid',
        testid,
      ],
      {
        cwd: ROOT,
        stdio: 'ignore',
      },
    );
    const needle = `testid=${testid}`;
    expect(await waitFor(() => processesWith(needle).length > 0, 60_000)).toBe(true);
    const k6 = processesWith(needle);
    cli.kill('SIGKILL');
    try {
      expect(await waitFor(() => processesWith(needle).length === 0, 5_000), `k6 ${k6.join(',')} still running`).toBe(
        true,
      );
    } finally {
      // a failing run must not leave its load behind either
      for (const pid of processesWith(needle)) process.kill(pid, 'SIGKILL');
    }
  }, 90_000);
});
