import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcomeClass, type Outcome } from '../../src/shared/outcome.js';
import { DASHBOARD_DIR, renderDashboards } from './index.js';

const rendered = renderDashboards();

describe('dashboards as code', () => {
  it.each(Object.keys(rendered))('%s is committed exactly as its source generates it (run: npm run dashboards)', (file) => {
    expect(readFileSync(path.join(DASHBOARD_DIR, file), 'utf8')).toBe(rendered[file]);
  });

  it.each(Object.keys(rendered))('%s: every panel queries InfluxDB through the provisioned datasource within the time filter', (file) => {
    const d = JSON.parse(rendered[file]!) as { panels: { type: string; title: string; targets?: { query: string; datasource: { uid: string } }[] }[] };
    const panels = d.panels.filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThanOrEqual(4);
    for (const p of panels) {
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets!) {
        expect(t.datasource.uid).toBe('offerload-influxdb');
        expect(t.query).toContain('$timeFilter');
        // percentiles are taken per bucket over raw points, never averaged across buckets
        expect(t.query).not.toMatch(/mean\(\s*"p\d+"\)/);
      }
    }
  });

  // the refusals and failures a run can meet, whatever class the catalogue gives them
  const refusalsAndFailures: Outcome[] = ['rate_limited', 'session_busy', 'server_error', 'transaction_cancelled', 'timeout', 'network_error'];
  const failurePanels = Object.entries(rendered).flatMap(([file, text]) =>
    (JSON.parse(text) as { panels: { title: string; targets?: { query: string }[] }[] }).panels.filter((p) => p.title === '429, 5xx and timeouts').map((p) => ({ file, query: p.targets![0]!.query })),
  );

  it.each(refusalsAndFailures)("shows %s on every '429, 5xx and timeouts' panel", (outcome) => {
    expect(failurePanels.map((p) => p.file)).toEqual(['run-overview.json', 'capacity.json']);
    for (const p of failurePanels) {
      const classes = /"outcome_class" =~ \/\^\(([^)]*)\)\$\//.exec(p.query)?.[1]?.split('|');
      expect(classes, `${p.file}: ${p.query}`).toContain(outcomeClass(outcome));
    }
  });
});
