/** Capacity: achieved rate and latency per plateau, and the saturation signals that show the knee. */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { MEASUREMENTS } from '../../src/shared/measurements.js';
import { runAnnotations } from './annotations.js';
import {
  classIn,
  notFailure,
  outcomesOf,
  REFUSED_OR_FAILED,
  select,
  sloLine,
  tagEq,
  tagIn,
  tagIs,
  target,
} from './influxql.js';
import { latencyPanel, ratePanel, row, stackedPanel, offerloadDashboard, xyPanel } from './presets.js';
import * as vars from './variables.js';

const run = tagIs('testid', 'testid');
const offers = tagEq('op', 'offer');

export function capacityDashboard(): dashboard.DashboardBuilder {
  return offerloadDashboard(
    'offerload: capacity',
    'offerload-capacity',
    'A capacity run: each plateau shows as a step in offered rate; the knee is where achieved rate stops following it, latency climbs and 429s appear. Dropped iterations with a calm target mean the generator, not the target, was the limit.',
    '10s',
    'now-30m',
  )
    .withVariable(vars.datasource())
    .withVariable(vars.testid())
    .withVariable(vars.simulator())
    .withVariable(vars.generator())
    .withVariable(vars.slo('slo_p95_ms', 'p95 SLO (ms)'))
    .annotation(runAnnotations('"testid" =~ /^$testid$/'))
    .withRow(row('Plateaus'))
    .withPanel(
      ratePanel(
        'Offered vs achieved',
        'Offered = iterations started + dropped per second; achieved = offers answered with success or a conflict.',
        'reqps',
        [
          target(
            'A',
            select().perSecond('count("value")', 'iterations').from('iterations').where(run).byTime().fill('0'),
          ),
          target(
            'B',
            select().perSecond('sum("value")', 'dropped').from('dropped_iterations').where(run).byTime().fill('0'),
          ),
          target(
            'C',
            select()
              .perSecond('sum("value")', 'answered')
              .from(MEASUREMENTS.outcomes)
              .where(run, offers, notFailure())
              .byTime()
              .fill('0'),
          ),
        ],
      ),
    )
    .withPanel(
      latencyPanel('Offer latency per bucket', 'p50, p95, p99 of the offers in each bucket, against the p95 SLO.', [
        target(
          'A',
          select().percentiles([50, 95, 99]).from(MEASUREMENTS.latency).where(run, offers).byTime().fill('none'),
        ),
        target('B', sloLine(MEASUREMENTS.latency, undefined, [run, offers], 'slo_p95_ms', 'p95 SLO')),
      ]),
    )
    .withRow(row('Knee and fit'))
    .withPanel(
      xyPanel(
        'Latency against served throughput',
        "Written when the run ends: each plateau and refinement probe's p95 and mean latency against what the target served per second, and the fitted scalability curve (Universal Scalability Law, mean latency by Little's law) whose peak the summary predicts. The knee is where the points leave the curve's flat start; the SLO line is the p95 SLO variable.",
        'ms',
        [
          target(
            'A',
            `SELECT "served_rps", "p95_ms" AS "p95 per plateau", "mean_ms" AS "mean per plateau" FROM "${MEASUREMENTS.capacityPlateaus}" WHERE ${run} AND $timeFilter`,
            undefined,
            'table',
          ),
          target(
            'B',
            `SELECT "served_rps", "mean_ms" AS "fitted curve (mean)" FROM "${MEASUREMENTS.capacityFit}" WHERE ${run} AND $timeFilter`,
            undefined,
            'table',
          ),
          target(
            'C',
            `SELECT "served_rps", "served_rps" * 0 + $slo_p95_ms AS "p95 SLO" FROM "${MEASUREMENTS.capacityPlateaus}" WHERE ${run} AND $timeFilter`,
            undefined,
            'table',
          ),
        ],
      ),
    )
    .withRow(row('Saturation signals'))
    .withPanel(
      stackedPanel(
        '429, 5xx and timeouts',
        `The target refusing (429: queue full or rate limited; 202: a busy session) or failing: ${outcomesOf(REFUSED_OR_FAILED).join(', ')}.`,
        'short',
        [
          target(
            'A',
            select()
              .field('sum("value")')
              .from(MEASUREMENTS.outcomes)
              .where(run, classIn(REFUSED_OR_FAILED))
              .byTime()
              .by('outcome')
              .fill('0'),
            '$tag_outcome',
          ),
        ],
      ),
    )
    .withPanel(
      ratePanel(
        'Generator: VUs and dropped iterations',
        'All VUs busy or iterations dropped: the generator could not keep the offered rate.',
        'short',
        [
          target('A', select().field('max("value")', 'vus').from('vus').where(run).byTime().fill('previous')),
          target(
            'B',
            select().field('sum("value")', 'dropped').from('dropped_iterations').where(run).byTime().fill('0'),
          ),
        ],
      ),
    )
    .withPanel(
      ratePanel(
        'Generator CPU',
        "k6's share of its machine's cores (the CLI's /proc samples): a plateau where it nears 100% measured the generator, not the target.",
        'percentunit',
        [
          target(
            'A',
            select()
              .field('max("cpu_share")', 'cpu')
              .from(MEASUREMENTS.generator)
              .where(run, tagIn('generator', 'generator'))
              .byTime()
              .by('generator')
              .fill('none'),
            '$tag_generator CPU',
          ),
        ],
      ),
    )
    .withPanel(
      ratePanel(
        'Target slots and queue',
        "The simulator's busy worker slots and queue depth: a full queue answers 429.",
        'short',
        [
          target(
            'A',
            select()
              .field('max("busy_slots")', 'busy slots')
              .field('max("queue_depth")', 'queue depth')
              .from(MEASUREMENTS.sim)
              .where(`"sim" =~ /^$sim$/`)
              .byTime()
              .fill('none'),
          ),
        ],
      ),
    );
}
