import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NON_FAILURE_CLASSES, outcomeClass, type Outcome } from '../../src/shared/outcome.js';
import { DASHBOARD_DIR, renderDashboards } from './index.js';

const rendered = renderDashboards();

describe('dashboards as code', () => {
  it.each(Object.keys(rendered))(
    '%s is committed exactly as its source generates it (run: npm run dashboards)',
    (file) => {
      expect(readFileSync(path.join(DASHBOARD_DIR, file), 'utf8')).toBe(rendered[file]);
    },
  );

  it.each(Object.keys(rendered))(
    '%s: every panel queries InfluxDB through the datasource variable within the time filter',
    (file) => {
      const d = JSON.parse(rendered[file]!) as {
        panels: { type: string; title: string; targets?: { query: string; datasource: { uid: string } }[] }[];
      };
      const panels = d.panels.filter((p) => p.type !== 'row');
      expect(panels.length).toBeGreaterThanOrEqual(4);
      for (const p of panels) {
        expect(p.targets?.length, p.title).toBeGreaterThan(0);
        for (const t of p.targets!) {
          expect(t.datasource.uid).toBe('${datasource}');
          expect(t.query).toContain('$timeFilter');
          // percentiles are taken per bucket over raw points, never averaged across buckets
          expect(t.query).not.toMatch(/mean\(\s*"p\d+"\)/);
        }
      }
    },
  );

  it.each(Object.keys(rendered))(
    '%s: asks an import for an InfluxDB datasource and starts on the one compose provisions',
    (file) => {
      const d = JSON.parse(rendered[file]!) as {
        __inputs: { name: string; type: string; pluginId: string }[];
        templating: { list: { name: string; type: string; query: string; current: { value: string } }[] };
      };
      expect(d.__inputs).toEqual([
        expect.objectContaining({ name: 'DS_INFLUXDB', type: 'datasource', pluginId: 'influxdb' }),
      ]);
      const ds = d.templating.list.find((v) => v.name === 'datasource')!;
      expect({ type: ds.type, query: ds.query, current: ds.current.value }).toEqual({
        type: 'datasource',
        query: 'influxdb',
        current: 'offerload-influxdb',
      });
      expect(
        readFileSync(path.join(DASHBOARD_DIR, '..', 'deploy/grafana/provisioning/datasources/influxdb.yml'), 'utf8'),
      ).toContain(`uid: ${ds.current.value}`);
    },
  );

  it('draws the p95 SLO on the latency panels and the error-rate SLO on the error panels, from their variables', () => {
    const sloTargets = Object.entries(rendered).flatMap(([file, text]) =>
      (
        JSON.parse(text) as { panels: { title: string; targets?: { query: string; alias?: string }[] }[] }
      ).panels.flatMap((p) =>
        (p.targets ?? [])
          .filter((t) => /\$slo_/.test(t.query))
          .map((t) => `${file}: ${p.title}: ${/\$(slo_\w+)/.exec(t.query)![1]}`),
      ),
    );
    expect(sloTargets.sort()).toEqual([
      'capacity.json: Latency against served throughput: slo_p95_ms',
      'capacity.json: Offer latency per bucket: slo_p95_ms',
      'compare.json: Error rate: slo_error_rate',
      'compare.json: p95 latency: baseline vs candidate: slo_p95_ms',
      'run-overview.json: Latency percentiles per operation: slo_p95_ms',
      'soak.json: p95 and p99 per minute: slo_p95_ms',
    ]);
  });

  it('plots only shares in panels whose unit is a share: no count or sum of answers drawn as a percentage', () => {
    const shares = Object.entries(rendered).flatMap(([file, text]) =>
      (
        JSON.parse(text) as {
          panels: { title: string; fieldConfig?: { defaults?: { unit?: string } }; targets?: { query: string }[] }[];
        }
      ).panels
        .filter((p) => p.fieldConfig?.defaults?.unit === 'percentunit')
        .flatMap((p) => (p.targets ?? []).map((t) => ({ panel: `${file}: ${p.title}`, query: t.query }))),
    );
    expect(shares.length).toBeGreaterThan(3);
    for (const { panel, query } of shares) expect(query, panel).not.toMatch(/\b(count|sum)\(/);
  });

  it('counts failures and what the target served by the classifier’s one table, never a list written again', () => {
    const queries = Object.values(rendered).flatMap((text) =>
      (JSON.parse(text) as { panels: { targets?: { query: string }[] }[] }).panels.flatMap((p) =>
        (p.targets ?? []).map((t) => t.query),
      ),
    );
    expect(
      queries.filter((q) => q.includes(`"outcome_class" !~ /^(${NON_FAILURE_CLASSES.join('|')})$/`)).length,
    ).toBeGreaterThanOrEqual(2);
    expect(
      queries.filter((q) => q.includes(`"outcome_class" =~ /^(${NON_FAILURE_CLASSES.join('|')})$/`)).length,
    ).toBeGreaterThanOrEqual(1);
    for (const q of queries) expect(q).not.toMatch(/"outcome_class" != 'success'/);
  });

  it('draws the capacity plateaus and the fitted curve against served throughput, from what the run wrote', () => {
    const d = JSON.parse(rendered['capacity.json']!) as {
      panels: { type: string; title: string; targets?: { query: string; resultFormat: string }[] }[];
    };
    const xy = d.panels.filter((p) => p.type === 'xychart');
    expect(xy.map((p) => p.title)).toEqual(['Latency against served throughput']);
    expect(xy[0]!.targets!.map((t) => [/FROM "(\w+)"/.exec(t.query)![1], t.resultFormat])).toEqual([
      ['offerload_capacity_plateaus', 'table'],
      ['offerload_capacity_fit', 'table'],
      ['offerload_capacity_plateaus', 'table'],
    ]);
  });

  it('has a latency heatmap repeated per operation on the run overview', () => {
    const d = JSON.parse(rendered['run-overview.json']!) as {
      panels: { type: string; repeat?: string; targets?: { query: string }[] }[];
    };
    const heatmaps = d.panels.filter((p) => p.type === 'heatmap');
    expect(heatmaps.map((p) => [p.repeat, p.targets![0]!.query])).toEqual([
      [
        'op',
        'SELECT "value" FROM "offerload_latency_ms" WHERE "testid" =~ /^$testid$/ AND "op" =~ /^$op$/ AND $timeFilter',
      ],
    ]);
  });

  // the refusals and failures a run can meet, whatever class the catalogue gives them
  const refusalsAndFailures: Outcome[] = [
    'rate_limited',
    'session_busy',
    'server_error',
    'transaction_cancelled',
    'timeout',
    'network_error',
  ];
  const failurePanels = Object.entries(rendered).flatMap(([file, text]) =>
    (JSON.parse(text) as { panels: { title: string; targets?: { query: string }[] }[] }).panels
      .filter((p) => p.title === '429, 5xx and timeouts')
      .map((p) => ({ file, query: p.targets![0]!.query })),
  );

  it.each(refusalsAndFailures)("shows %s on every '429, 5xx and timeouts' panel", (outcome) => {
    expect(failurePanels.map((p) => p.file)).toEqual(['run-overview.json', 'capacity.json']);
    for (const p of failurePanels) {
      const classes = /"outcome_class" =~ \/\^\(([^)]*)\)\$\//.exec(p.query)?.[1]?.split('|');
      expect(classes, `${p.file}: ${p.query}`).toContain(outcomeClass(outcome));
    }
  });
});
