/** Template variables shared by the dashboards: the run (testid), scenario, operation, simulator. */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { MEASUREMENTS } from '../../src/shared/measurements.js';
import { DATASOURCE } from './influxql.js';

function tagValues(name: string, label: string, query: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged);
}

/** The runs InfluxDB holds, newest first (testids start with the scenario and a timestamp). */
export const testid = (name = 'testid', label = 'Run'): dashboard.QueryVariableBuilder =>
  tagValues(name, label, 'SHOW TAG VALUES FROM "http_reqs" WITH KEY = "testid"').sort(dashboard.VariableSort.AlphabeticalDesc);

export const scenario = (): dashboard.QueryVariableBuilder =>
  tagValues('scenario', 'Scenario', 'SHOW TAG VALUES FROM "http_reqs" WITH KEY = "scenario" WHERE "testid" =~ /^$testid$/').includeAll(true).multi(true);

export const operation = (): dashboard.QueryVariableBuilder =>
  tagValues('op', 'Operation', `SHOW TAG VALUES FROM "${MEASUREMENTS.latency}" WITH KEY = "op" WHERE "testid" =~ /^$testid$/`).includeAll(true).multi(true);

export const simulator = (): dashboard.QueryVariableBuilder =>
  tagValues('sim', 'Simulator', `SHOW TAG VALUES FROM "${MEASUREMENTS.sim}" WITH KEY = "sim"`).includeAll(true).multi(true);
