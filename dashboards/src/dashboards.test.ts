import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
