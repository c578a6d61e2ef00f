/** Every dashboard offerload ships, by file name, and the generator that writes them to dashboards/. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { capacityDashboard } from './capacity.js';
import { compareDashboard } from './compare.js';
import { overviewDashboard } from './overview.js';
import { soakDashboard } from './soak.js';
import { targetDashboard } from './target.js';

export const DASHBOARD_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const DASHBOARDS: Readonly<Record<string, () => dashboard.DashboardBuilder>> = {
  'run-overview.json': overviewDashboard,
  'soak.json': soakDashboard,
  'capacity.json': capacityDashboard,
  'compare.json': compareDashboard,
  'target.json': targetDashboard,
};

/**
 * What an import (grafana.com style) asks for: the InfluxDB datasource the `datasource` variable starts on.
 * Provisioning reads the same file and ignores these keys.
 */
const IMPORT_HEADER = {
  __inputs: [
    {
      name: 'DS_INFLUXDB',
      label: 'InfluxDB',
      description: "InfluxDB (1.x, or 2.x/3.x through the v1 API) holding offerload's runs",
      type: 'datasource',
      pluginId: 'influxdb',
      pluginName: 'InfluxDB',
    },
  ],
  __requires: [
    { type: 'grafana', id: 'grafana', name: 'Grafana', version: '11.0.0' },
    { type: 'datasource', id: 'influxdb', name: 'InfluxDB', version: '1.0.0' },
  ],
};

/** The JSON text of each dashboard, as committed. */
export function renderDashboards(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(DASHBOARDS).map(([file, make]) => [
      file,
      `${JSON.stringify({ ...IMPORT_HEADER, ...make().build() }, null, 2)}\n`,
    ]),
  );
}

/** Writes every dashboard to dashboards/<file>; returns the files written. */
export function writeDashboards(): string[] {
  return Object.entries(renderDashboards()).map(([file, text]) => {
    writeFileSync(path.join(DASHBOARD_DIR, file), text);
    return file;
  });
}
