/**
 * After real short runs into a real InfluxDB, every panel query of every dashboard, with its variables
 * substituted the way Grafana does, executes without error and returns data; so do the variable and
 * annotation queries. Each dashboard is checked against the runs that feed it: every query runs for each of
 * them, and every panel shows data for at least one (a panel on counts that are normally zero, such as
 * 202s, gets its data from the run made to produce them).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDashboards } from '../../dashboards/src/index.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { hasData, influxQuery, substitute, type GrafanaContext } from '../helpers/grafana.js';
import { startTestInflux } from '../helpers/influx.js';

let influx: Awaited<ReturnType<typeof startTestInflux>>;
const runs: Record<string, string> = {};
let fromMs = 0;

async function run(name: string, scenario: string, args: string[]): Promise<void> {
  const testid = `dash-${name}-${Date.now().toString(36)}`;
  const r = await runCli([
    'run',
    scenario,
    '--influx',
    influx.url,
    '--out',
    path.join(influx.dir, 'results'),
    '--testid',
    testid,
    '--quiet',
    ...args,
  ]);
  if (r.code !== 0 && r.code !== 1) throw new Error(`run ${name} exited ${r.code}: ${r.stderr}`);
  runs[name] = testid;
}

beforeAll(async () => {
  influx = await startTestInflux('dashboards');
  fromMs = Date.now() - 60_000;
  // a capacity run on a small simulator: plateaus, 429s, conflicts, the simulator's own measurements
  await run('capacity', 'capacity', [
    '--rate',
    '30',
    '--ceiling',
    '150',
    '--duration',
    '25s',
    '--sim-config',
    path.join(ROOT, 'test/fixtures/small-capacity/sim.json'),
  ]);
  // one VU's parallel batch on a session that runs one transaction and queues none: 202s; an offer quota
  // below the slow end of the service times: quota cancellations; rate-limit rules on: X-RateLimit-* headers
  await run('limits', 'contention', [
    '--profile',
    'smoke',
    '--rate',
    '3',
    '--duration',
    '8s',
    '--sessions',
    'reuse',
    '--sim-config',
    path.join(ROOT, 'test/fixtures/instance-limits/sim.json'),
  ]);
  await run('soak', 'soak', ['--profile', 'smoke', '--rate', '4', '--duration', '8s']);
  // a contact centre replaying a forecast: an interval of 30 minutes in 8 s, 180 contacts on 50 agents
  await run('forecast', 'contact-centre', [
    '--forecast',
    path.join(ROOT, 'test/fixtures/forecast/plain.csv'),
    '--window',
    'Mon 08:00..08:30',
    '--queue',
    'Sales',
    '--speedup',
    '225',
    '--agents',
    '50',
  ]);
  await run('baseline', 'offer-burst', ['--profile', 'smoke', '--rate', '5', '--duration', '6s']);
  await run('candidate', 'offer-burst', ['--profile', 'smoke', '--rate', '5', '--duration', '6s']);
}, 300_000);
afterAll(async () => influx?.stop());

interface Dashboard {
  templating: { list: { name: string; type: string; query: string | { query: string }; includeAll?: boolean }[] };
  annotations: { list: { target?: { query: string } }[] };
  panels: { type: string; title: string; targets?: { refId: string; query: string }[] }[];
  time: { from: string; to: string };
}

/** The runs that feed each dashboard's run variables: one set of variable values per entry. */
const FEEDS: Record<string, Record<string, string>[]> = {
  'run-overview.json': [{ testid: 'capacity' }, { testid: 'limits' }, { testid: 'forecast' }],
  'soak.json': [{ testid: 'soak' }],
  'capacity.json': [{ testid: 'capacity' }],
  'compare.json': [{ baseline: 'baseline', candidate: 'candidate' }],
  'target.json': [{}],
};

const dashboards = Object.entries(renderDashboards()).map(([file, text]) => ({
  file,
  d: JSON.parse(text) as Dashboard,
}));

async function context(file: string, d: Dashboard, feed: Record<string, string>): Promise<GrafanaContext> {
  const elapsed = d.time.from.startsWith('1970');
  const base = { influxUrl: influx.url, database: 'offerload' };
  const c: GrafanaContext = {
    ...base,
    fromMs: elapsed ? 0 : fromMs,
    toMs: elapsed ? 3_600_000 : Date.now() + 1000,
    intervalSec: elapsed ? 5 : 2,
    variables: {},
  };
  for (const v of d.templating.list) {
    const fed = feed[v.name];
    if (fed) {
      c.variables[v.name] = [runs[fed]!];
      continue;
    }
    // the datasource variable picks the datasource (this InfluxDB); a text box (an SLO) is its default value
    if (v.type === 'datasource') continue;
    if (v.type === 'textbox') {
      c.variables[v.name] = [String(v.query)];
      continue;
    }
    // other variables: every value the variable's own query lists (Grafana's All)
    const q = typeof v.query === 'string' ? v.query : v.query.query;
    const r = await influxQuery(base, substitute(q, c));
    expect(r.error, `${file} variable ${v.name}: ${q}`).toBeUndefined();
    const values = r.series.flatMap((s) => s.values.map((row) => String(row[1])));
    expect(values.length, `${file} variable ${v.name} lists no values`).toBeGreaterThan(0);
    c.variables[v.name] = values;
  }
  return c;
}

describe('every dashboard query against a real InfluxDB filled by real runs', () => {
  it.each(dashboards.map((x) => [x.file, x.d] as const))(
    '%s: variables, annotations and every panel return data',
    async (file, d) => {
      const feeds = FEEDS[file]!;
      const contexts: GrafanaContext[] = [];
      for (const feed of feeds) contexts.push(await context(file, d, feed));
      for (const c of contexts) {
        for (const a of d.annotations?.list ?? []) {
          if (!a.target) continue;
          const r = await influxQuery(c, substitute(a.target.query, c));
          expect(r.error, `${file} annotations`).toBeUndefined();
          if (!d.time.from.startsWith('1970')) expect(hasData(r), `${file} annotations return no runs`).toBe(true);
        }
      }
      const panels = d.panels.filter((p) => p.type !== 'row');
      for (const p of panels) {
        let any = false;
        for (const c of contexts) {
          for (const t of p.targets ?? []) {
            const q = substitute(t.query, c);
            const r = await influxQuery(c, q);
            expect(r.error, `${file} / ${p.title} / ${t.refId}: ${q}`).toBeUndefined();
            any ||= hasData(r);
          }
        }
        expect(
          any,
          `${file} / ${p.title} returned no data for any of its runs (${feeds.map((f) => Object.values(f).join('+') || 'all').join(', ')})`,
        ).toBe(true);
      }
    },
    60_000,
  );
});
