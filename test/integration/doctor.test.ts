/** doctor --target against the simulator as a separate process: the planned run's fixtures and what it will create, each with what to do. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { ensureDatabase } from '../../src/node/influx/store.js';
import { runCli, startSimProcess, stop } from '../helpers/cli.js';
import { startTestInflux } from '../helpers/influx.js';
import { ENV } from '../helpers/sim-client.js';
import { parseRunArgs } from '../../src/node/cli/run.js';
import { documentsNeeded, plannedIterations } from '../../src/node/run/inputs.js';

/** The documents an offer-burst smoke run needs: its Poisson arrivals from the default seed, 5% over. */
const smokeDocuments = documentsNeeded(parseRunArgs(['offer-burst', '--profile', 'smoke', '--no-influx'], {}));

let influx: Awaited<ReturnType<typeof startTestInflux>>;
const sims: ChildProcess[] = [];
beforeAll(async () => {
  influx = await startTestInflux('doctor');
  await ensureDatabase({ url: influx.url, database: 'offerload' });
});
afterAll(async () => {
  for (const s of sims) await stop(s);
  await influx?.stop();
});

const sim = async (...args: string[]): Promise<string> => {
  const s = await startSimProcess(['--port', '0', ...args], ENV);
  sims.push(s.child);
  return s.url;
};

describe('doctor for a planned run', () => {
  it('finds agents, queues, presence states and documents through the Table API and says what the run creates', async () => {
    const url = await sim();
    const r = await runCli(
      ['doctor', '--target', url, '--influx', influx.url, '--scenario', 'contention', '--profile', 'smoke', '--json'],
      ENV,
      60_000,
    );
    expect(r.code, r.stdout).toBe(0);
    const checks = Object.fromEntries(
      (JSON.parse(r.stdout) as { name: string; ok: boolean; detail: string }[]).map((c) => [c.name, c]),
    );
    expect(checks.agents).toMatchObject({ ok: true });
    expect(checks.agents!.detail).toMatch(/^\d+ found, the plan needs 2$/);
    expect(checks.queues!.detail).toMatch(/^\d+ found, the plan needs 1$/);
    // the plan's own count: its Poisson arrivals from the default seed, 5% over
    const plan = parseRunArgs(['contention', '--profile', 'smoke', '--target', url], ENV);
    expect(checks.documents!.detail).toBe(
      `${checks.documents!.detail.split(' ')[0]} found, the plan needs ${documentsNeeded(plan)}`,
    );
    expect(checks.presence!.detail).toMatch(/^states .*Available.*; available agents now: \d+ of \d+$/);
    expect(checks.creates!.detail).toMatch(
      new RegExp(
        `creates about ${plannedIterations(plan)} work items and ${Math.round(plannedIterations(plan) * 0.25)} interactions, each tagged with its testid`,
      ),
    );
  }, 90_000);

  it('says how many documents the plan needs and how many the target has, and what to do, with exit 3', async () => {
    const url = await sim('--fixtures.documents', '5');
    const r = await runCli(
      ['doctor', '--target', url, '--influx', influx.url, '--scenario', 'offer-burst', '--profile', 'smoke'],
      ENV,
      60_000,
    );
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(
      new RegExp(
        `^FIX {2}documents +\\d found, the plan needs ${smokeDocuments}: create more active interactions \\(the Interaction API\\), shorten the run or lower the rate$`,
        'm',
      ),
    );
    expect(r.stdout).toMatch(/^ok {3}agents /m);
  }, 90_000);

  it('refuses a run whose target has too few documents before any load, naming both counts, with exit 3', async () => {
    const url = await sim('--fixtures.documents', '5');
    const r = await runCli(
      [
        'run',
        'offer-burst',
        '--profile',
        'smoke',
        '--target',
        url,
        '--no-influx',
        '--out',
        `${influx.dir}/results`,
        '--quiet',
      ],
      ENV,
      60_000,
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      new RegExp(
        `offerload: target has too few fixtures: the plan \\(offer-burst, smoke, 2/s for 10 s\\) needs ${smokeDocuments} documents and the fixtures hold \\d: create more active interactions`,
      ),
    );
    expect(r.stderr).not.toContain('running offer-burst');
  }, 90_000);
});
