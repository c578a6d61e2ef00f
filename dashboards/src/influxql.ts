/**
 * The one InfluxQL query builder every dashboard uses, and the Grafana query target it becomes. Queries
 * keep Grafana's own macros ($timeFilter, $__interval, $__interval_ms) and template variables, so the
 * committed JSON is what Grafana runs, and the tests substitute them the way Grafana does.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as common from '@grafana/grafana-foundation-sdk/common';
import type { OutcomeClass } from '../../src/shared/messages.js';
import { NON_FAILURE_CLASSES, OUTCOMES, outcomeClass, STORM_CLASSES, type Outcome } from '../../src/shared/outcome.js';

/**
 * The datasource every panel and variable uses: the dashboard's `datasource` variable (InfluxDB type), so an
 * import into someone else's Grafana asks for their InfluxDB; the compose stack provisions its default.
 */
export const DATASOURCE: common.DataSourceRef = { type: 'influxdb', uid: '${datasource}' };
/** The datasource the compose stack provisions (deploy/grafana/provisioning/datasources/influxdb.yml). */
export const PROVISIONED_DATASOURCE = { name: 'offerload InfluxDB', uid: 'offerload-influxdb' } as const;

type Where = string;

/** A tag equal to a single-value template variable (Grafana fills it regex-escaped). */
export const tagIs = (tag: string, variable: string): Where => `"${tag}" =~ /^$${variable}$/`;
/** A tag matching a multi-value or All variable. */
export const tagIn = (tag: string, variable: string): Where => `"${tag}" =~ /^$${variable}$/`;
export const tagEq = (tag: string, value: string): Where => `"${tag}" = '${value}'`;
export const tagNe = (tag: string, value: string): Where => `"${tag}" != '${value}'`;
export const tagMatches = (tag: string, values: readonly string[]): Where => `"${tag}" =~ /^(${values.join('|')})$/`;

/** One outcome of the catalogue (src/shared/outcome.ts): a renamed or removed outcome fails to compile. */
export const outcomeIs = (outcome: Outcome): Where => tagEq('outcome', outcome);
/** Outcomes of these classes, by the `outcome_class` tag. */
export const classIn = (classes: readonly OutcomeClass[]): Where => tagMatches('outcome_class', classes);
/** Answers the classifier does not count as failures (isFailure's one table): what the target served. */
export const notFailure = (): Where => classIn(NON_FAILURE_CLASSES);
/** Answers the classifier counts as failures (isFailure's one table): what error rates count. */
export const failure = (): Where => `"outcome_class" !~ /^(${NON_FAILURE_CLASSES.join('|')})$/`;
/** The classes the watchdog's storm rule counts: the target refusing or failing (one list, in shared/outcome.ts). */
export const REFUSED_OR_FAILED: readonly OutcomeClass[] = STORM_CLASSES;
/** The outcomes these classes hold, in catalogue order: panel descriptions name them from the catalogue. */
export const outcomesOf = (classes: readonly OutcomeClass[]): Outcome[] =>
  OUTCOMES.filter((o) => classes.includes(outcomeClass(o)));

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

/**
 * An SLO objective as a flat line over the panel's buckets: the `variable`'s value wherever `measurement`
 * has points (InfluxQL has no constants without a field, so the line rides on one).
 */
export function sloLine(
  measurement: string,
  policy: string | undefined,
  where: readonly Where[],
  variable: string,
  alias: string,
  field = 'value',
): Select {
  return select()
    .field(`last("${field}") * 0 + $${variable}`, alias)
    .from(measurement, policy)
    .where(...where)
    .byTime()
    .fill('none');
}

export interface InfluxTarget extends cog.Dataquery {
  refId: string;
  datasource: common.DataSourceRef;
  query: string;
  rawQuery: true;
  resultFormat: 'time_series' | 'table';
  alias?: string;
}

/** A panel target from a query; `alias` may use $tag_<name> and $col as Grafana's InfluxDB plugin does. */
export function target(
  refId: string,
  query: Select | string,
  alias?: string,
  resultFormat: 'time_series' | 'table' = 'time_series',
): cog.Builder<cog.Dataquery> {
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
