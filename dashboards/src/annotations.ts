/** The run annotations the CLI writes (start and end of each run), shown on every dashboard. */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import { MEASUREMENTS } from '../../src/shared/measurements.js';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE, target } from './influxql.js';

/** Annotations of the runs matching `testidRegex` (a variable expression such as /^$testid$/). */
export function runAnnotations(testidCondition: string): cog.Builder<dashboard.AnnotationQuery> {
  const query = `SELECT "text", "title", "testid", "scenario", "profile", "version" FROM "long"."${MEASUREMENTS.runs}" WHERE ${testidCondition} AND $timeFilter`;
  const built = new dashboard.AnnotationQueryBuilder()
    .name('Runs')
    .datasource(DATASOURCE)
    .enable(true)
    .iconColor('#8AB8FF')
    .target(target('Anno', query, undefined, 'table'))
    .build();
  // Grafana's InfluxDB annotation editor also reads these top-level fields (InfluxQL mode).
  const withColumns = {
    ...built,
    query,
    textColumn: 'text',
    titleColumn: 'title',
    tagsColumn: 'scenario,profile,version',
  } as dashboard.AnnotationQuery;
  return { build: () => withColumns };
}
