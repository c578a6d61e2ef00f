/**
 * Fixtures from where a real instance would have them: discovered through the Table API (page by page), or a
 * user's CSV file; both drive a real run against the simulator, and bad files are refused with the line at fault.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fixtures } from '../../src/shared/api.js';
import { discoverFixtures, loadFixturesFile } from '../../src/node/data/fixtures-source.js';
import { targetAuth } from '../../src/node/credentials.js';
import type { RunSummary } from '../../src/node/results/model.js';
import { runCli, startSimProcess, stop } from '../helpers/cli.js';
import { readPoolFile } from '../../src/shared/pool.js';
import { simConfig } from '../../src/node/sim/config.js';
import { publicFixtures } from '../../src/node/sim/platform/fixtures.js';
import { startSimulator, type Simulator } from '../../src/node/sim/http/server.js';
import { basic, ENV } from '../helpers/sim-client.js';

const CREDS = { OFFERLOAD_USERNAME: 'fixtures.it', OFFERLOAD_PASSWORD: 'fixtures-only' };
const dir = mkdtempSync(path.join(tmpdir(), 'offerload-fixtures-'));
let sim: { url: string; child: ChildProcess };
let fx: Fixtures;
beforeAll(async () => {
  sim = await startSimProcess(['--port', '0'], CREDS);
  fx = (await (await fetch(`${sim.url}/sim/fixtures`)).json()) as Fixtures;
});
afterAll(async () => sim && stop(sim.child));

const auth = (url: string) => targetAuth(CREDS, url);

describe('fixtures', () => {
  it('discovers the same agents, queues, presence states and interactions through the Table API', async () => {
    const found = await discoverFixtures(sim.url, auth(sim.url));
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
    for (const [name, extra] of [
      ['discover', ['--discover']],
      ['csv', ['--fixtures', csv]],
    ] as const) {
      const testid = `fx-${name}-${Date.now().toString(36)}`;
      const r = await runCli(
        [
          'run',
          'offer-burst',
          '--profile',
          'smoke',
          '--rate',
          '5',
          '--duration',
          '6s',
          '--target',
          sim.url,
          ...extra,
          '--no-influx',
          '--out',
          path.join(dir, 'results'),
          '--testid',
          testid,
          '--quiet',
        ],
        CREDS,
      );
      expect(r.code, r.stderr).toBe(0);
      const s = JSON.parse(readFileSync(path.join(dir, 'results', testid, 'summary.json'), 'utf8')) as RunSummary;
      expect(s.operations.offer!.outcomes.success).toBeGreaterThan(15);
      expect(s.accounting.balanced).toBe(true);
    }
    const csvRun = readdirSync(path.join(dir, 'results')).find((d) => d.startsWith('fx-csv'))!;
    const pool = readPoolFile(
      readFileSync(path.join(dir, 'results', csvRun, 'inputs', 'pool.json'), 'utf8'),
      'pool.json',
    );
    expect(pool.entries.length).toBeGreaterThan(0);
    const allowed = new Set(fx.agents.slice(0, 40).map((a) => a.sys_id));
    for (const e of pool.entries) expect(allowed.has(e.agent)).toBe(true);
  }, 120_000);

  it.each([
    ['a bad sys_id', 'kind,sys_id\nagent,XYZ\n', /line 2: sys_id must be 32 lowercase hex characters, got "XYZ"/],
    [
      'an unknown kind',
      `kind,sys_id\nrobot,${'a'.repeat(32)}\n`,
      /line 2: kind must be one of agent, queue, document, presence, got "robot"/,
    ],
    ['no header', `${'a'.repeat(32)}\n`, /needs a header with at least kind,sys_id/],
  ])('refuses a CSV with %s', (_, text, message) => {
    const file = path.join(dir, `bad-${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(file, text);
    expect(() => loadFixturesFile(file)).toThrow(message);
  });
});

describe('fixture discovery in pages', () => {
  const PAGE = 50;
  let inProcess: Simulator;
  let proxy: Server | undefined;
  beforeAll(async () => {
    // 200 agents and about 270 active interactions: several pages of 50 each; some documents closed, so the query matters
    inProcess = await startSimulator(
      simConfig(
        {
          capacity: { fast: true },
          agents: { mode: 'external' },
          fixtures: { documents: 400, inactiveDocumentShare: 0.2 },
        },
        ENV,
      ),
    );
  });
  afterAll(async () => {
    await inProcess?.close();
    await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  });
  const login = { Authorization: basic(ENV.OFFERLOAD_USERNAME, ENV.OFFERLOAD_PASSWORD) };
  const own = () => publicFixtures(inProcess.engine.world);
  const tableRequests = () => inProcess.stats.snapshot().routes.table?.total ?? 0;

  it('finds every routable agent and active interaction with pages smaller than either list', async () => {
    const expected = own();
    const interactions = expected.documents.filter((d) => d.table === 'interaction');
    expect(expected.agents.length).toBeGreaterThan(PAGE * 3);
    expect(interactions.length).toBeGreaterThan(PAGE * 3);
    const before = tableRequests();
    const found = await discoverFixtures(inProcess.url, targetAuth(ENV, inProcess.url), 5000, PAGE);
    expect(found.agents.map((a) => a.sys_id)).toEqual(expected.agents.map((a) => a.sys_id));
    expect(found.agents).toEqual(expected.agents);
    expect(found.documents.map((d) => d.sys_id)).toEqual(interactions.map((d) => d.sys_id));
    expect(found.documents.length).toBe(new Set(found.documents.map((d) => d.sys_id)).size);
    expect(found.queues).toEqual(expected.queues);
    expect(found.presence_states).toEqual(expected.presence_states);
    // pages per listing: a short last page ends it, or X-Total-Count when the last page is exactly full
    const world = inProcess.engine.world;
    const users = [...world.agents.values()];
    const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE));
    const listings = [
      world.presence.size,
      world.queues.size,
      users.filter((u) => u.roles.includes('awa_agent')).length,
      users.filter((u) => u.roles.includes('awa_external_user')).length,
      users.length,
      users.length,
      interactions.length,
    ];
    expect(tableRequests() - before).toBe(listings.reduce((sum, n) => sum + pages(n), 0));
    expect(tableRequests() - before).toBeGreaterThan(listings.length * 3);
  });

  it('stops at maxDocuments even in the middle of a page', async () => {
    const found = await discoverFixtures(inProcess.url, targetAuth(ENV, inProcess.url), 120, PAGE);
    expect(found.documents.map((d) => d.sys_id)).toEqual(
      own()
        .documents.filter((d) => d.table === 'interaction')
        .slice(0, 120)
        .map((d) => d.sys_id),
    );
  });

  it('reads sys_ids out of {link, value} references when a server sends them despite sysparm_exclude_reference_link', async () => {
    // a proxy that drops the parameter, so the simulator answers with reference objects as a real instance may
    proxy = createServer((req, res) => {
      const url = new URL(req.url ?? '/', inProcess.url);
      url.searchParams.delete('sysparm_exclude_reference_link');
      void fetch(url, { headers: { Authorization: req.headers.authorization ?? '', Accept: 'application/json' } }).then(
        async (upstream) => {
          const count = upstream.headers.get('x-total-count');
          res.writeHead(upstream.status, {
            'Content-Type': 'application/json',
            ...(count ? { 'X-Total-Count': count } : {}),
          });
          res.end(await upstream.text());
        },
      );
    });
    await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
    const via = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const sample = (await (
      await fetch(`${via}/api/now/table/sys_user_has_role?sysparm_limit=1&sysparm_exclude_reference_link=true`, {
        headers: login,
      })
    ).json()) as { result: { user: unknown }[] };
    expect(sample.result[0]!.user).toMatchObject({ link: expect.stringContaining('/api/now/table/sys_user/') });
    const found = await discoverFixtures(via, targetAuth(ENV, via), 5000, PAGE);
    expect(found.agents).toEqual(own().agents);
  });
});
