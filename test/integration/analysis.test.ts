/**
 * The analysis commands on real runs against the simulator: compare (same build passes, one slowed route
 * fails on exactly its operations), drift (a leaking target is flagged, a steady one passes), timeouts
 * (the recommendation follows the simulated accept-delay distribution), and report.html drawn in Chromium.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/node/analysis/compare.js';
import type { Recommendation } from '../../src/node/analysis/timeouts.js';
import { colouredPixels, dumpDom, screenshot } from '../helpers/chromium.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { startTestInflux } from '../helpers/influx.js';

let influx: Awaited<ReturnType<typeof startTestInflux>>;
let results: string;
const ids: Record<string, string> = {};

async function run(name: string, scenario: string, args: string[]): Promise<void> {
  ids[name] = `an-${name}-${Date.now().toString(36)}`;
  const r = await runCli([
    'run',
    scenario,
    '--influx',
    influx.url,
    '--out',
    results,
    '--testid',
    ids[name]!,
    '--quiet',
    ...args,
  ]);
  if (r.code !== 0 && r.code !== 1) throw new Error(`run ${name} exited ${r.code}: ${r.stderr}`);
}
const cli = (args: string[]) => runCli([...args, '--results', results, '--influx', influx.url]);
const fixture = (name: string) => path.join(ROOT, 'test/fixtures', name, 'sim.json');

beforeAll(async () => {
  influx = await startTestInflux('analysis');
  results = path.join(influx.dir, 'results');
  const mix = ['--profile', 'average', '--rate', '6', '--duration', '20s'];
  await run('base', 'transfer-mix', mix);
  await run('same', 'transfer-mix', mix);
  await run('slow', 'transfer-mix', [...mix, '--sim-config', fixture('slow-interaction')]);
  const steady = ['--profile', 'average', '--rate', '8', '--duration', '40s'];
  await run('steady', 'offer-burst', steady);
  await run('leak', 'offer-burst', [...steady, '--sim-config', fixture('leaking')]);
  await run('sweep', 'timeout-sweep', [
    '--profile',
    'smoke',
    '--rate',
    '6',
    '--duration',
    '18s',
    '--timeouts',
    '2,12,24',
    '--delays',
    '300',
    '--skews',
    '0',
  ]);
}, 600_000);
afterAll(async () => influx?.stop());

describe('offerload compare', () => {
  it('finds no regression between two runs of the same build', async () => {
    const r = await cli(['compare', ids.base!, ids.same!, '--format', 'json']);
    const c = JSON.parse(r.stdout) as Comparison;
    expect(c.results.filter((x) => x.verdict === 'regression')).toEqual([]);
    expect(c.results.filter((x) => x.verdict !== 'insufficient data').length).toBeGreaterThan(20);
    expect(r.code).toBe(0);
  });

  it('finds the regression of exactly the operations whose service time tripled', async () => {
    const r = await cli(['compare', ids.base!, ids.slow!, '--format', 'json']);
    expect(r.code).toBe(1);
    const c = JSON.parse(r.stdout) as Comparison;
    const regressions = c.results.filter((x) => x.verdict === 'regression');
    const regressed = new Set(regressions.map((x) => x.op));
    expect(regressed).toContain('interaction_create');
    expect(regressed).toContain('interaction_close');
    const p95 = c.results.find((x) => x.op === 'interaction_create' && x.metric === 'p95')!;
    expect(p95.change).toBeGreaterThan(0.5);
    // requests stay on their session's node, so a slowed route can make a neighbour on the same node wait a
    // little (a real platform effect); the slowed operations' change must still dwarf any other
    const others = regressions.filter((x) => !x.op.startsWith('interaction_'));
    for (const o of others) expect(o.change, `${o.op} ${o.metric}`).toBeLessThan(p95.change / 3);
    expect(others.length).toBeLessThanOrEqual(2);
  });

  it('writes markdown and JUnit for CI', async () => {
    const md = await cli(['compare', ids.base!, ids.slow!, '--format', 'markdown']);
    expect(md.stdout).toContain('| interaction_create | p95 |');
    expect(md.stdout).toMatch(/^### REGRESSION in .*interaction_create p95/);
    const junit = await cli(['compare', ids.base!, ids.slow!, '--format', 'junit']);
    expect(junit.stdout).toMatch(/<testsuite name="compare [^"]+" tests="\d+" failures="[1-9]\d*">/);
  });
});

describe('offerload drift', () => {
  it('flags a target whose latency rises steadily during the run', async () => {
    const r = await cli(['drift', ids.leak!, '--format', 'json']);
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout) as {
      findings: { op: string; metric: string; verdict: string; slope_change: number }[];
    };
    const p95 = d.findings.find((f) => f.metric === 'p95')!;
    expect(p95.verdict).toBe('sustained slope');
    expect(p95.slope_change).toBeGreaterThan(0.5);
  });

  it('passes a steady run', async () => {
    const r = await cli(['drift', ids.steady!]);
    expect(r.stdout).toContain('steady: no slope or step beyond the thresholds');
    expect(r.code).toBe(0);
  });
});

describe('offerload timeouts', () => {
  it('recommends the shortest tested timeout the accept-delay distribution allows, and estimates between', async () => {
    // simulated agents: accept delay log-normal, median 4 s, sigma 0.6; 5% never answer, 5% reject.
    // Expected expiry share: 2 s about 90%, 12 s about 8%, 24 s about 5%; for a 20% target, 12 s.
    // The estimate: P(delay > T - 0.3 s) = (0.20 - 0.05) / 0.95 gives T of about 7.6 s.
    const r = await cli(['timeouts', ids.sweep!, '--target-expiry', '0.2', '--format', 'json']);
    expect(r.code).toBe(0);
    const rec = JSON.parse(r.stdout) as Recommendation;
    expect(rec.recommended_s).toBe(12);
    expect(rec.by_timeout.find((x) => x.timeout_s === 2)!.expired_share!).toBeGreaterThan(0.6);
    expect(rec.estimated_s!).toBeGreaterThan(5);
    expect(rec.estimated_s!).toBeLessThan(11);
    // in the contact's terms, fitted at 24 s: the true agents' best timeout is 9.7 s (5.48 s of expected wait);
    // from about 35 answered offers the fit is rough, so only its sanity is held here (the fit itself is
    // checked against exact counts in src/node/analysis/timeouts.test.ts)
    const ew = rec.expected_wait;
    if (ew) {
      expect(ew.model.from_timeout_s).toBe(24);
      expect(ew.model.accept_median_s).toBeGreaterThan(2);
      expect(ew.model.accept_median_s).toBeLessThan(8);
      expect(ew.best.timeout_s).toBeGreaterThan(3);
      expect(
        ew.curve.find((p) => p.timeout_s === ew.best.timeout_s || p.timeout_s === Math.round(ew.best.timeout_s)),
      ).toBeDefined();
    } else {
      const text = await cli(['timeouts', ids.sweep!]);
      expect(text.stdout).toContain('too few answered offers at the longest timeout to fit the accept model');
    }
  });

  it('refuses a run that is not a timeout sweep', async () => {
    const r = await cli(['timeouts', ids.base!]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a timeout-sweep run');
  });
});

describe('report.html', () => {
  it('draws its charts with data in a real browser', () => {
    const file = path.join(results, ids.base!, 'report.html');
    const dom = dumpDom(file);
    const polylines = [...dom.matchAll(/<polyline class="series" data-points="(\d+)"/g)].map((m) => Number(m[1]));
    expect(polylines.length).toBeGreaterThanOrEqual(10);
    // the busy operations have a point per window; sparse ones (consult endings) fewer
    expect(polylines.filter((n) => n > 10).length).toBeGreaterThanOrEqual(10);
    expect([...dom.matchAll(/<rect class="bar" data-value="(\d+)"/g)].length).toBeGreaterThan(3);
    const png = screenshot(file, 1000, 2400);
    // coloured pixels where the charts are drawn: lines were painted (text is grey). The whole chart area, not
    // one band: how far down the first chart starts moves with the summary lines above it (628 in the band once)
    expect(colouredPixels(png, 60, 500, 960, 2400)).toBeGreaterThan(1500);
  });

  it('is beside junit.xml and summary.md, which agree with summary.json', () => {
    const dir = path.join(results, ids.base!);
    const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as { slos: { pass: boolean }[] };
    const junit = readFileSync(path.join(dir, 'junit.xml'), 'utf8');
    expect(junit).toContain(`tests="${summary.slos.length}"`);
    expect(junit).toContain(`failures="${summary.slos.filter((s) => !s.pass).length}"`);
    expect(readFileSync(path.join(dir, 'summary.md'), 'utf8')).toContain('| interaction_create |');
  });
});
