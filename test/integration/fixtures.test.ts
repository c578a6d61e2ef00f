/**
 * Fixtures from where a real instance would have them: discovered through the Table API, or a user's CSV
 * file; both drive a real run against the simulator, and bad files are refused with the line at fault.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fixtures } from '../../src/shared/api.js';
import { discoverFixtures, loadFixturesFile } from '../../src/node/data/fixtures-source.js';
import type { RunSummary } from '../../src/node/results/summary.js';
import { runCli, startSimProcess, stop } from '../helpers/cli.js';
import { readPoolFile } from '../../src/shared/pool.js';

const CREDS = { OFFERLOAD_USERNAME: 'fixtures.it', OFFERLOAD_PASSWORD: 'fixtures-only' };
const dir = mkdtempSync(path.join(tmpdir(), 'offerload-fixtures-'));
let sim: { url: string; child: ChildProcess };
let fx: Fixtures;
beforeAll(async () => {
  sim = await startSimProcess(['--port', '0'], CREDS);
  fx = (await (await fetch(`${sim.url}/sim/fixtures`)).json()) as Fixtures;
});
afterAll(async () => sim && stop(sim.child));

const auth = { Authorization: `Basic ${Buffer.from(`${CREDS.OFFERLOAD_USERNAME}:${CREDS.OFFERLOAD_PASSWORD}`).toString('base64')}` };

describe('fixtures', () => {
  it('discovers the same agents, queues, presence states and interactions through the Table API', async () => {
    const found = await discoverFixtures(sim.url, auth);
    expect(new Set(found.agents.map((a) => a.sys_id))).toEqual(new Set(fx.agents.map((a) => a.sys_id)));
    expect(found.agents.find((a) => a.sys_id === fx.agents[0]!.sys_id)!.presence).toBe(fx.agents[0]!.presence);
    expect(found.queues).toEqual(fx.queues);
    expect(found.presence_states.map((p) => p.name).sort()).toEqual(['Available', 'Away', 'Offline']);
    expect(found.documents.length).toBe(fx.documents.filter((d) => d.table === 'interaction').length);
  });

  it('runs from discovered fixtures and from a CSV file', async () => {
    const csv = path.join(dir, 'fixtures.csv');
    const rows = [
      'kind,sys_id,name,table,presence,external_id,available',
      ...fx.presence_states.map((p) => `presence,${p.sys_id},${p.name},,,,${p.available}`),
      ...fx.queues.map((q) => `queue,${q.sys_id},${q.name},,,${q.external_id ?? ''},`),
      ...fx.agents.slice(0, 40).map((a) => `agent,${a.sys_id},${a.name},,${a.presence},,`),
      // documents the discovery run above did not take, so the two runs do not collide
      ...fx.documents.slice(3000, 3200).map((d) => `document,${d.sys_id},${d.number},${d.table},,,`),
    ];
    writeFileSync(csv, `${rows.join('\n')}\n`);
    for (const [name, extra] of [['discover', ['--discover']], ['csv', ['--fixtures', csv]]] as const) {
      const testid = `fx-${name}-${Date.now().toString(36)}`;
      const r = await runCli(['run', 'offer-burst', '--profile', 'smoke', '--rate', '5', '--duration', '6s', '--target', sim.url, ...extra, '--no-influx', '--out', path.join(dir, 'results'), '--testid', testid, '--quiet'], CREDS);
      expect(r.code, r.stderr).toBe(0);
      const s = JSON.parse(readFileSync(path.join(dir, 'results', testid, 'summary.json'), 'utf8')) as RunSummary;
      expect(s.operations.offer!.outcomes.success).toBeGreaterThan(15);
      expect(s.accounting.balanced).toBe(true);
    }
    const csvRun = readdirSync(path.join(dir, 'results')).find((d) => d.startsWith('fx-csv'))!;
    const pool = readPoolFile(readFileSync(path.join(dir, 'results', csvRun, 'inputs', 'pool.json'), 'utf8'), 'pool.json');
    expect(pool.entries.length).toBeGreaterThan(0);
    const allowed = new Set(fx.agents.slice(0, 40).map((a) => a.sys_id));
    for (const e of pool.entries) expect(allowed.has(e.agent)).toBe(true);
  }, 120_000);

  it.each([
    ['a bad sys_id', 'kind,sys_id\nagent,XYZ\n', /line 2: sys_id must be 32 lowercase hex characters, got "XYZ"/],
    ['an unknown kind', `kind,sys_id\nrobot,${'a'.repeat(32)}\n`, /line 2: kind must be one of agent, queue, document, presence, got "robot"/],
    ['no header', `${'a'.repeat(32)}\n`, /needs a header with at least kind,sys_id/],
  ])('refuses a CSV with %s', (_, text, message) => {
    const file = path.join(dir, `bad-${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(file, text);
    expect(() => loadFixturesFile(file)).toThrow(message);
  });
});
