/**
 * Runs a dashboard's InfluxQL the way Grafana does: template variables, $timeFilter, $__interval and
 * $__interval_ms substituted, regex-escaped values in regex matches, All as an alternation of every value.
 */
export interface GrafanaContext {
  readonly influxUrl: string;
  readonly database: string;
  readonly fromMs: number;
  readonly toMs: number;
  /** bucket for $__interval, seconds */
  readonly intervalSec: number;
  /** variable name -> chosen values (several = multi-value or All) */
  readonly variables: Record<string, string[]>;
}

const escapeRegex = (v: string): string => v.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');

export function substitute(query: string, c: GrafanaContext): string {
  let q = query
    .replaceAll('$timeFilter', `time >= ${c.fromMs}ms and time <= ${c.toMs}ms`)
    .replaceAll('$__interval_ms', String(c.intervalSec * 1000))
    .replaceAll('$__interval', `${c.intervalSec}s`);
  for (const [name, values] of Object.entries(c.variables)) {
    const inRegex = values.length === 1 ? escapeRegex(values[0]!) : `(${values.map(escapeRegex).join('|')})`;
    q = q
      .replaceAll(`$${name}$`, `${inRegex}$`)
      .replaceAll(`^$${name}`, `^${inRegex}`)
      .replaceAll(`$${name}`, values[0] ?? '');
  }
  return q;
}

export interface QueryResult {
  readonly error?: string;
  readonly series: { name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }[];
}

/** Executes one InfluxQL statement over HTTP, as Grafana's datasource proxy does. */
export async function influxQuery(c: Pick<GrafanaContext, 'influxUrl' | 'database'>, q: string): Promise<QueryResult> {
  const url = `${c.influxUrl}/query?db=${encodeURIComponent(c.database)}&epoch=ms&q=${encodeURIComponent(q)}`;
  const body = (await (await fetch(url)).json()) as {
    error?: string;
    results?: { error?: string; series?: QueryResult['series'] }[];
  };
  const r = body.results?.[0];
  return { error: body.error ?? r?.error, series: r?.series ?? [] };
}

/** Whether a result holds at least one non-null value besides the time column. */
export function hasData(r: QueryResult): boolean {
  return r.series.some((s) => s.values.some((row) => row.slice(1).some((v) => v !== null)));
}
