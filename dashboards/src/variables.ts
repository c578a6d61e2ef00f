/** Template variables shared by the dashboards: the datasource, the run (testid), scenario, operation, generator, simulator, SLOs. */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { MEASUREMENTS } from '../../src/shared/measurements.js';
import { SCENARIOS } from '../../src/shared/scenarios.js';
import { DATASOURCE, PROVISIONED_DATASOURCE } from './influxql.js';

/**
 * Which InfluxDB the panels read: any datasource of the InfluxDB type. Its default is the one the compose
 * stack provisions; a Grafana without it offers its own InfluxDB datasources (and import asks, by __inputs).
 */
export const datasource = (): dashboard.DatasourceVariableBuilder =>
  new dashboard.DatasourceVariableBuilder('datasource')
    .label('InfluxDB')
    .type('influxdb')
    .current({ selected: true, text: PROVISIONED_DATASOURCE.name, value: PROVISIONED_DATASOURCE.uid });

/** The load generators of the run (k6-operator runners, or this machine): the CLI's health samples carry the tag. */
export const generator = (): dashboard.QueryVariableBuilder =>
  tagValues(
    'generator',
    'Generator',
    `SHOW TAG VALUES FROM "${MEASUREMENTS.generator}" WITH KEY = "generator" WHERE "testid" =~ /^$testid$/`,
  )
    .includeAll(true)
    .multi(true)
    .allValue('.*');

/** An SLO objective drawn on the panels, editable per dashboard view; defaults are the offer SLOs (src/shared/scenarios.ts). */
const OFFER_SLO = SCENARIOS['offer-burst']!.slos.offer!;
export const SLO_DEFAULTS = { slo_p95_ms: OFFER_SLO.p95_ms!, slo_error_rate: OFFER_SLO.error_rate! } as const;

export const slo = (
  name: keyof typeof SLO_DEFAULTS,
  label: string,
  value: number = SLO_DEFAULTS[name],
): dashboard.TextBoxVariableBuilder =>
  new dashboard.TextBoxVariableBuilder(name)
    .label(label)
    .defaultValue(String(value))
    .current({ selected: true, text: String(value), value: String(value) });

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
  tagValues(name, label, 'SHOW TAG VALUES FROM "http_reqs" WITH KEY = "testid"').sort(
    dashboard.VariableSort.AlphabeticalDesc,
  );

export const scenario = (): dashboard.QueryVariableBuilder =>
  tagValues(
    'scenario',
    'Scenario',
    'SHOW TAG VALUES FROM "http_reqs" WITH KEY = "scenario" WHERE "testid" =~ /^$testid$/',
  )
    .includeAll(true)
    .multi(true);

export const operation = (): dashboard.QueryVariableBuilder =>
  tagValues(
    'op',
    'Operation',
    `SHOW TAG VALUES FROM "${MEASUREMENTS.latency}" WITH KEY = "op" WHERE "testid" =~ /^$testid$/`,
  )
    .includeAll(true)
    .multi(true);

export const simulator = (): dashboard.QueryVariableBuilder =>
  tagValues('sim', 'Simulator', `SHOW TAG VALUES FROM "${MEASUREMENTS.sim}" WITH KEY = "sim"`)
    .includeAll(true)
    .multi(true);
