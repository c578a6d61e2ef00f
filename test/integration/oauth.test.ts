/**
 * OAuth client credentials through a whole run: every VU fetches an access token from the simulator's
 * /oauth_token.do and renews it before it expires (tokens live 4 s here, the run 14 s), so no request is
 * refused; the client secret appears nowhere in the output or the results.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/node/results/model.js';
import type { ChildProcess } from 'node:child_process';
import { ROOT, runCli, startSimProcess, stop } from '../helpers/cli.js';
import { call } from '../helpers/sim-client.js';
import { startTestInflux } from '../helpers/influx.js';

const SECRET = 'oauth-secret-51c2-never-print';
let influx: Awaited<ReturnType<typeof startTestInflux>>;
beforeAll(async () => {
  influx = await startTestInflux('oauth');
});
afterAll(async () => influx?.stop());

describe('OAuth client credentials', () => {
  it('renews tokens before they expire during the run, and never leaks the client secret', async () => {
    const testid = `oauth-${Date.now().toString(36)}`;
    const results = path.join(influx.dir, 'results');
    const r = await runCli(
      [
        'run',
        'offer-burst',
        '--profile',
        'average',
        '--rate',
        '6',
        '--duration',
        '14s',
        '--sim-config',
        path.join(ROOT, 'test/fixtures/short-tokens/sim.json'),
        '--influx',
        influx.url,
        '--out',
        results,
        '--testid',
        testid,
      ],
      {
        OFFERLOAD_OAUTH_CLIENT_ID: 'ccaas-client',
        OFFERLOAD_OAUTH_CLIENT_SECRET: SECRET,
        OFFERLOAD_USERNAME: '',
        OFFERLOAD_PASSWORD: '',
        OFFERLOAD_TOKEN: '',
      },
    );
    expect(r.code).toBe(0);
    const s = JSON.parse(readFileSync(path.join(results, testid, 'summary.json'), 'utf8')) as RunSummary;
    const offers = s.operations.offer!;
    expect(offers.outcomes.unauthorized ?? 0).toBe(0);
    expect(offers.outcomes.success).toBeGreaterThan(50);
    // token requests are requests too: counted on both sides, so the totals still balance
    expect(s.accounting.balanced).toBe(true);
    expect(s.accounting.sent).toBeGreaterThan(offers.requests + 3);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const files = readdirSync(path.join(results, testid), { recursive: true, withFileTypes: true }).filter((e) =>
      e.isFile(),
    );
    for (const f of files) expect(readFileSync(path.join(f.parentPath, f.name), 'utf8')).not.toContain(SECRET);
  }, 120_000);
});

describe('OAuth client credentials for every command that talks to the target', () => {
  const CLIENT = {
    OFFERLOAD_OAUTH_CLIENT_ID: 'ccaas-only',
    OFFERLOAD_OAUTH_CLIENT_SECRET: SECRET,
    OFFERLOAD_USERNAME: '',
    OFFERLOAD_PASSWORD: '',
    OFFERLOAD_TOKEN: '',
  };
  let sim: { url: string; child: ChildProcess };
  beforeAll(async () => {
    // a target whose integration user has OAuth client credentials and nothing else: basic or no Authorization is refused
    sim = await startSimProcess(['--port', '0', '--agents.mode', 'external', '--oauth.tokenTtlSec', '3'], CLIENT);
  });
  afterAll(async () => sim && stop(sim.child));

  it('run (fixture discovery, preflight, k6), doctor and cleanup all authenticate with OAuth alone', async () => {
    const unauthenticated = await call(sim.url, '/api/now/table/awa_queue?sysparm_limit=1', {
      method: 'GET',
      auth: null,
    });
    expect(unauthenticated.status).toBe(401);

    const doctor = await runCli(
      [
        'doctor',
        '--target',
        sim.url,
        '--influx',
        influx.url,
        '--scenario',
        'contention',
        '--profile',
        'smoke',
        '--json',
      ],
      CLIENT,
      60_000,
    );
    const checks = Object.fromEntries(
      (JSON.parse(doctor.stdout) as { name: string; ok: boolean; detail: string }[]).map((c) => [c.name, c]),
    );
    expect(checks.target, doctor.stdout).toMatchObject({ ok: true });
    expect(checks.agents!.detail).toMatch(/^\d+ found, the plan needs 2$/);
    expect(checks.documents!.ok).toBe(true);

    const testid = `oauth-cl-${Date.now().toString(36)}`;
    const results = path.join(influx.dir, 'results-target');
    // a run longer than a token's life: discovery, k6 and cleanup each renew
    const run = await runCli(
      [
        'run',
        'contention',
        '--profile',
        'smoke',
        '--duration',
        '8s',
        '--target',
        sim.url,
        '--discover',
        '--no-influx',
        '--out',
        results,
        '--testid',
        testid,
        '--quiet',
      ],
      CLIENT,
    );
    expect(run.code, run.stderr).toBe(0);
    const s = JSON.parse(readFileSync(path.join(results, testid, 'summary.json'), 'utf8')) as RunSummary;
    for (const [op, o] of Object.entries(s.operations)) expect(o.outcomes.unauthorized ?? 0, op).toBe(0);
    const leftOpen = async () => (await call(sim.url, `/sim/stats?testid=${testid}`, { method: 'GET' })).json.left_open;
    expect((await leftOpen()).interactions_open).toBeGreaterThan(0);

    const done = await runCli(['cleanup', testid, '--target', sim.url, '--out', results, '--json'], CLIENT);
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout).failed).toBe(0);
    expect(await leftOpen()).toMatchObject({
      interactions_open: 0,
      agents_changed: 0,
      work_items_open: { pending_accept: 0 },
    });
    for (const out of [doctor, run, done]) expect(out.stdout + out.stderr).not.toContain(SECRET);
  }, 180_000);

  it('says which credentials to check when the token endpoint refuses them, with exit 3', async () => {
    const wrong = { ...CLIENT, OFFERLOAD_OAUTH_CLIENT_SECRET: 'not-the-secret' };
    const r = await runCli(['cleanup', 'no-such-run', '--target', sim.url, '--json'], wrong, 30_000);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /granted no token \(401\): check OFFERLOAD_OAUTH_CLIENT_ID\/OFFERLOAD_OAUTH_CLIENT_SECRET/,
    );
    expect(r.stderr).not.toContain('not-the-secret');
  }, 60_000);
});
