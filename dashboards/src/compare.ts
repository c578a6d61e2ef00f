/**
 * Compare: two runs overlaid on elapsed time. The CLI copies each run's key series to timestamps counted
 * from the epoch (measurement offerload_run_aligned), so the time range here is elapsed time.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { MEASUREMENTS } from '../../src/shared/measurements.js';
import { DATASOURCE, select, sloLine, tagIn, tagIs, target } from './influxql.js';
import { latencyPanel, ratePanel } from './presets.js';
import * as vars from './variables.js';

const aligned = (run: string) =>
  select().from(MEASUREMENTS.runAligned, 'long').where(tagIs('testid', run), tagIn('op', 'op'));

export function compareDashboard(): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder('offerload: compare runs')
    .uid('offerload-compare')
    .tags(['offerload'])
    .description(
      'Baseline and candidate overlaid from their start: the time axis is elapsed time (00:00 = each run started).',
    )
    .time({ from: '1970-01-01T00:00:00.000Z', to: '1970-01-01T01:00:00.000Z' })
    .timezone('utc')
    .withVariable(vars.datasource())
    .withVariable(vars.testid('baseline', 'Baseline'))
    .withVariable(vars.testid('candidate', 'Candidate'))
    .withVariable(
      new dashboard.QueryVariableBuilder('op')
        .label('Operation')
        .datasource(DATASOURCE)
        .query(`SHOW TAG VALUES FROM "long"."${MEASUREMENTS.runAligned}" WITH KEY = "op"`)
        .includeAll(true)
        .multi(true),
    )
    .withVariable(vars.slo('slo_p95_ms', 'p95 SLO (ms)'))
    .withVariable(vars.slo('slo_error_rate', 'Error rate SLO'))
    .withPanel(
      latencyPanel(
        'p95 latency: baseline vs candidate',
        "Each run's p95 per 5 s bucket, per operation, on elapsed time.",
        [
          target(
            'A',
            aligned('baseline').field('max("p95")', 'p95').byTime().by('op').fill('none'),
            'baseline $tag_op p95',
          ),
          target(
            'B',
            aligned('candidate').field('max("p95")', 'p95').byTime().by('op').fill('none'),
            'candidate $tag_op p95',
          ),
          target(
            'C',
            sloLine(
              MEASUREMENTS.runAligned,
              'long',
              [tagIs('testid', 'baseline'), tagIn('op', 'op')],
              'slo_p95_ms',
              'p95 SLO',
              'p95',
            ),
          ),
        ],
      ),
    )
    .withPanel(
      latencyPanel('p99 latency: baseline vs candidate', "Each run's p99 per 5 s bucket, per operation.", [
        target(
          'A',
          aligned('baseline').field('max("p99")', 'p99').byTime().by('op').fill('none'),
          'baseline $tag_op p99',
        ),
        target(
          'B',
          aligned('candidate').field('max("p99")', 'p99').byTime().by('op').fill('none'),
          'candidate $tag_op p99',
        ),
      ]),
    )
    .withPanel(
      ratePanel('Throughput', 'Requests per second per operation.', 'reqps', [
        target('A', aligned('baseline').field('mean("rps")', 'rps').byTime().by('op').fill('none'), 'baseline $tag_op'),
        target(
          'B',
          aligned('candidate').field('mean("rps")', 'rps').byTime().by('op').fill('none'),
          'candidate $tag_op',
        ),
      ]),
    )
    .withPanel(
      ratePanel('Error rate', 'Share of answers that were neither success nor a conflict.', 'percentunit', [
        target(
          'A',
          aligned('baseline').field('mean("error_rate")', 'errors').byTime().by('op').fill('none'),
          'baseline $tag_op',
        ),
        target(
          'B',
          aligned('candidate').field('mean("error_rate")', 'errors').byTime().by('op').fill('none'),
          'candidate $tag_op',
        ),
        target(
          'C',
          sloLine(
            MEASUREMENTS.runAligned,
            'long',
            [tagIs('testid', 'baseline'), tagIn('op', 'op')],
            'slo_error_rate',
            'error rate SLO',
            'error_rate',
          ),
        ),
      ]),
    );
}
