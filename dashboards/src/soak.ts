/** Soak: trends over hours in long windows, with the target's own state beside them. */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { MEASUREMENTS } from '../../src/shared/measurements.js';
import { runAnnotations } from './annotations.js';
import { failure, select, sloLine, tagIn, tagIs, target } from './influxql.js';
import { latencyPanel, ratePanel, row, offerloadDashboard } from './presets.js';
import * as vars from './variables.js';

const run = tagIs('testid', 'testid');
const ops = tagIn('op', 'op');

export function soakDashboard(): dashboard.DashboardBuilder {
  return offerloadDashboard(
    'offerload: soak',
    'offerload-soak',
    'A long run: p95/p99 per minute from the one-minute rollups, error and conflict trends, throughput, and the simulated target beside them.',
    '1m',
    'now-6h',
  )
    .withVariable(vars.datasource())
    .withVariable(vars.testid())
    .withVariable(vars.operation())
    .withVariable(vars.simulator())
    .withVariable(vars.slo('slo_p95_ms', 'p95 SLO (ms)'))
    .annotation(runAnnotations('"testid" =~ /^$testid$/'))
    .withRow(row('Trends (one-minute rollups)'))
    .withPanel(
      latencyPanel(
        'p95 and p99 per minute',
        'From the continuous query rollup: the percentile of each minute, shown at its worst over the display bucket.',
        [
          target(
            'A',
            select()
              .field('max("p95")', 'p95')
              .field('max("p99")', 'p99')
              .from(MEASUREMENTS.latency1m, 'long')
              .where(run, ops)
              .byTime('$__interval')
              .by('op')
              .fill('none'),
            '$tag_op $col',
          ),
          target('B', sloLine(MEASUREMENTS.latency1m, 'long', [run, ops], 'slo_p95_ms', 'p95 SLO', 'p95')),
        ],
      ),
    )
    .withPanel(
      ratePanel(
        'Errors per minute',
        'Answers per minute, and those that were failures (neither a success nor a 409 conflict: the classifier’s rule), per operation: counts, where a soak’s slow leak shows first.',
        'short',
        [
          target(
            'A',
            select()
              .field('count("value")', 'answers')
              .from(MEASUREMENTS.latency)
              .where(run, ops)
              .byTime('1m')
              .by('op')
              .fill('0'),
            '$tag_op answers',
          ),
          target(
            'B',
            select()
              .field('count("value")', 'errors')
              .from(MEASUREMENTS.latency)
              .where(run, ops, failure())
              .byTime('1m')
              .by('op')
              .fill('0'),
            '$tag_op errors',
          ),
        ],
      ),
    )
    .withPanel(
      ratePanel(
        'Conflict rate per minute',
        'Share of answers per minute that were 409 conflicts, per operation.',
        'percentunit',
        [
          target(
            'A',
            select()
              .field('mean("value")', 'conflict rate')
              .from(MEASUREMENTS.conflicts)
              .where(run, ops)
              .byTime('1m')
              .by('op')
              .fill('none'),
            '$tag_op conflict rate',
          ),
        ],
      ),
    )
    .withPanel(
      ratePanel('Throughput', 'Requests answered per second, per minute.', 'reqps', [
        target(
          'A',
          select()
            .field('sum("count") / 60', 'requests/s')
            .from(MEASUREMENTS.outcomes1m, 'long')
            .where(run, ops)
            .byTime('1m')
            .fill('0'),
        ),
      ]),
    )
    .withRow(row('Target'))
    .withPanel(
      ratePanel(
        'Target queue and slots',
        "The simulator's worker slots in use and requests waiting for one.",
        'short',
        [
          target(
            'A',
            select()
              .field('max("queue_depth")', 'queue depth')
              .field('max("busy_slots")', 'busy slots')
              .field('max("in_flight")', 'in flight')
              .from(MEASUREMENTS.sim)
              .where(tagIn('sim', 'sim'))
              .byTime()
              .fill('none'),
          ),
        ],
      ),
    )
    .withPanel(
      ratePanel('Work items and agents', 'Active work items by state and agents by presence, on the target.', 'short', [
        target(
          'A',
          select()
            .field('last("wi_pending_accept")', 'pending accept')
            .field('last("wi_accepted")', 'accepted')
            .field('last("wi_queued")', 'queued')
            .field('last("agents_available")', 'agents available')
            .from(MEASUREMENTS.sim)
            .where(tagIn('sim', 'sim'))
            .byTime()
            .fill('none'),
        ),
      ]),
    )
    .withPanel(
      ratePanel(
        'Target sessions held',
        'Sessions the target holds until they time out: a line that keeps climbing over hours is sessions created faster than they expire (memory: on the target dashboard).',
        'short',
        [
          target(
            'A',
            select()
              .field('max("sessions_active")', 'sessions held')
              .from(MEASUREMENTS.sim)
              .where(tagIn('sim', 'sim'))
              .byTime()
              .fill('none'),
          ),
        ],
      ),
    );
}
