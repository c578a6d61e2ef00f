/** Shared panel presets: every dashboard's panels come from these, so they look and behave alike. */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as xychart from '@grafana/grafana-foundation-sdk/xychart';
import { DATASOURCE } from './influxql.js';

type Targets = cog.Builder<cog.Dataquery>[];

function withTargets<T extends { withTarget(t: cog.Builder<cog.Dataquery>): T }>(panel: T, targets: Targets): T {
  for (const t of targets) panel.withTarget(t);
  return panel;
}

/** A time series of latency, ms. */
export function latencyPanel(title: string, description: string, targets: Targets): timeseries.PanelBuilder {
  return withTargets(
    new timeseries.PanelBuilder()
      .title(title)
      .description(description)
      .datasource(DATASOURCE)
      .unit('ms')
      .min(0)
      .lineWidth(1)
      .fillOpacity(0)
      .height(9)
      .span(12),
    targets,
  );
}

/** A time series of rates or counts. */
export function ratePanel(title: string, description: string, unit: string, targets: Targets): timeseries.PanelBuilder {
  return withTargets(
    new timeseries.PanelBuilder()
      .title(title)
      .description(description)
      .datasource(DATASOURCE)
      .unit(unit)
      .min(0)
      .fillOpacity(10)
      .height(8)
      .span(12),
    targets,
  );
}

/** Stacked bars: outcomes, conflicts, errors per bucket. */
export function stackedPanel(
  title: string,
  description: string,
  unit: string,
  targets: Targets,
): timeseries.PanelBuilder {
  return withTargets(
    new timeseries.PanelBuilder()
      .title(title)
      .description(description)
      .datasource(DATASOURCE)
      .unit(unit)
      .min(0)
      .drawStyle(common.GraphDrawStyle.Bars)
      .fillOpacity(80)
      .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
      .height(8)
      .span(12),
    targets,
  );
}

/**
 * A latency heatmap from raw response times (Grafana buckets them: calculate), one panel per value of
 * `repeatBy` (a multi-value variable), so each operation's distribution shows on its own.
 */
export function latencyHeatmap(
  title: string,
  description: string,
  repeatBy: string,
  targets: Targets,
): heatmap.PanelBuilder {
  return withTargets(
    new heatmap.PanelBuilder()
      .title(title)
      .description(description)
      .datasource(DATASOURCE)
      .unit('ms')
      .calculate(true)
      .repeat(repeatBy)
      .repeatDirection('h')
      .maxPerRow(3)
      .height(8)
      .span(8),
    targets,
  );
}

/** A single figure for the whole range. */
export function statPanel(title: string, description: string, unit: string, targets: Targets): stat.PanelBuilder {
  return withTargets(
    new stat.PanelBuilder().title(title).description(description).datasource(DATASOURCE).unit(unit).height(4).span(6),
    targets,
  );
}

/**
 * A single count that is normally zero (202s, quota cancellations): shows 0 rather than "No data", because
 * InfluxDB 1.x returns no series at all when a WHERE matches no points, fill(0) or not.
 */
export function rareCountPanel(title: string, description: string, targets: Targets): stat.PanelBuilder {
  return statPanel(title, description, 'short', targets).noValue('0');
}

/**
 * Points of one quantity against another, not against time (latency against served throughput): each
 * target a table whose first numeric column is x and the others y (the chart's automatic mapping).
 */
export function xyPanel(title: string, description: string, unit: string, targets: Targets): xychart.PanelBuilder {
  return withTargets(
    new xychart.PanelBuilder()
      .title(title)
      .description(description)
      .datasource(DATASOURCE)
      .unit(unit)
      .min(0)
      .mapping(xychart.SeriesMapping.Auto)
      .show(xychart.XYShowMode.Points)
      .height(9)
      .span(24),
    targets,
  );
}

/** A table (per plateau, per run). */
export function tablePanel(title: string, description: string, targets: Targets): table.PanelBuilder {
  return withTargets(
    new table.PanelBuilder().title(title).description(description).datasource(DATASOURCE).height(8).span(24),
    targets,
  );
}

/** Every offerload dashboard starts the same way: uid, tag, description, refresh and time range. */
export function offerloadDashboard(
  title: string,
  uid: string,
  description: string,
  refresh: string,
  from: string,
): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .tags(['offerload'])
    .description(description)
    .refresh(refresh)
    .time({ from, to: 'now' });
}

export function row(title: string): dashboard.RowBuilder {
  return new dashboard.RowBuilder(title);
}
