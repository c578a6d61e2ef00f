/**
 * The one InfluxQL query builder every dashboard uses, and the Grafana query target it becomes. Queries
 * keep Grafana's own macros ($timeFilter, $__interval, $__interval_ms) and template variables, so the
 * committed JSON is what Grafana runs, and the tests substitute them the way Grafana does.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as common from '@grafana/grafana-foundation-sdk/common';

/** The datasource every panel uses; provisioned with this uid (deploy/grafana/provisioning). */
export const DATASOURCE: common.DataSourceRef = { type: 'influxdb', uid: 'offerload-influxdb' };

type Where = string;

/** A tag equal to a single-value template variable (Grafana fills it regex-escaped). */
export const tagIs = (tag: string, variable: string): Where => `"${tag}" =~ /^$${variable}$/`;
/** A tag matching a multi-value or All variable. */
export const tagIn = (tag: string, variable: string): Where => `"${tag}" =~ /^$${variable}$/`;
export const tagEq = (tag: string, value: string): Where => `"${tag}" = '${value}'`;
export const tagNe = (tag: string, value: string): Where => `"${tag}" != '${value}'`;
export const tagMatches = (tag: string, values: readonly string[]): Where => `"${tag}" =~ /^(${values.join('|')})$/`;

/** Builds one SELECT; `.build()` gives the query text. */
export class Select {
  private readonly fields: string[] = [];
  private measurement = '';
  private readonly conditions: Where[] = [];
  private readonly groups: string[] = [];
  private fillMode = '';
  private bucket: string | undefined;

  field(expression: string, alias?: string): this {
    this.fields.push(alias ? `${expression} AS "${alias}"` : expression);
    return this;
  }

  /** Per-bucket percentiles: `p` of the raw values in each time bucket, never an average of buckets. */
  percentiles(ps: readonly number[], field = 'value'): this {
    for (const p of ps) this.field(`percentile("${field}", ${p})`, `p${p}`);
    return this;
  }

  /** Per second within each bucket. */
  perSecond(expression: string, alias: string): this {
    return this.field(`${expression} / ($__interval_ms / 1000)`, alias);
  }

  from(measurement: string, policy?: string): this {
    this.measurement = policy ? `"${policy}"."${measurement}"` : `"${measurement}"`;
    return this;
  }

  where(...conditions: Where[]): this {
    this.conditions.push(...conditions);
    return this;
  }

  /** Buckets of the dashboard's interval (`$__interval`) or a fixed one. */
  byTime(bucket = '$__interval'): this {
    this.bucket = bucket;
    return this;
  }

  by(...tags: string[]): this {
    this.groups.push(...tags.map((t) => `"${t}"`));
    return this;
  }

  fill(mode: 'none' | 'null' | '0' | 'previous'): this {
    this.fillMode = ` fill(${mode})`;
    return this;
  }

  build(): string {
    const where = [...this.conditions, '$timeFilter'].join(' AND ');
    const group = [...(this.bucket ? [`time(${this.bucket})`] : []), ...this.groups];
    return `SELECT ${this.fields.join(', ')} FROM ${this.measurement} WHERE ${where}${group.length ? ` GROUP BY ${group.join(', ')}` : ''}${this.fillMode}`;
  }
}

export const select = (): Select => new Select();

export interface InfluxTarget extends cog.Dataquery {
  refId: string;
  datasource: common.DataSourceRef;
  query: string;
  rawQuery: true;
  resultFormat: 'time_series' | 'table';
  alias?: string;
}

/** A panel target from a query; `alias` may use $tag_<name> and $col as Grafana's InfluxDB plugin does. */
export function target(refId: string, query: Select | string, alias?: string, resultFormat: 'time_series' | 'table' = 'time_series'): cog.Builder<cog.Dataquery> {
  const built: InfluxTarget = {
    refId,
    datasource: DATASOURCE,
    query: typeof query === 'string' ? query : query.build(),
    rawQuery: true,
    resultFormat,
    ...(alias ? { alias } : {}),
    // the SDK's marker for query variants; a function, so it never reaches the JSON
    _implementsDataqueryVariant: () => {},
  };
  return { build: () => built };
}
