/**
 * OAuth client credentials through a whole run: every VU fetches an access token from the simulator's
 * /oauth_token.do and renews it before it expires (tokens live 4 s here, the run 14 s), so no request is
 * refused; the client secret appears nowhere in the output or the results.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/node/results/model.js';
import { ROOT, runCli } from '../helpers/cli.js';
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
      ['run', 'offer-burst', '--profile', 'average', '--rate', '6', '--duration', '14s', '--sim-config', path.join(ROOT, 'test/fixtures/short-tokens/sim.json'), '--influx', influx.url, '--out', results, '--testid', testid],
      { OFFERLOAD_OAUTH_CLIENT_ID: 'ccaas-client', OFFERLOAD_OAUTH_CLIENT_SECRET: SECRET, OFFERLOAD_USERNAME: '', OFFERLOAD_PASSWORD: '', OFFERLOAD_TOKEN: '' },
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
    const files = readdirSync(path.join(results, testid), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    for (const f of files) expect(readFileSync(path.join(f.parentPath, f.name), 'utf8')).not.toContain(SECRET);
  }, 120_000);
});
