/** Run overview: what the target did under the load, per operation, for one run. */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { MEASUREMENTS } from '../../src/shared/measurements.js';
import { runAnnotations } from './annotations.js';
import {
  classIn,
  failure,
  outcomeIs,
  outcomesOf,
  REFUSED_OR_FAILED,
  select,
  sloLine,
  tagIn,
  tagIs,
  tagNe,
  target,
} from './influxql.js';
import {
  latencyHeatmap,
  latencyPanel,
  ratePanel,
  rareCountPanel,
  row,
  stackedPanel,
  statPanel,
  offerloadDashboard,
} from './presets.js';
import * as vars from './variables.js';
import { withContactCentreRow } from './overview-contacts.js';

const run = tagIs('testid', 'testid');
const ops = tagIn('op', 'op');
const generators = tagIn('generator', 'generator');

export function overviewDashboard(): dashboard.DashboardBuilder {
  const load = offerloadDashboard(
    'offerload: run overview',
    'offerload-overview',
    'One run: offered vs achieved rate, latency percentiles per operation (computed per time bucket), outcomes, conflicts, 429/5xx, the generator.',
    '10s',
    'now-30m',
  )
    .withVariable(vars.datasource())
    .withVariable(vars.testid())
    .withVariable(vars.scenario())
    .withVariable(vars.operation())
    .withVariable(vars.generator())
    .withVariable(vars.slo('slo_p95_ms', 'p95 SLO (ms)'))
    .annotation(runAnnotations('"testid" =~ /^$testid$/'))
    .withRow(row('Summary'))
    .withPanel(
      statPanel('Requests', 'Requests k6 sent in the time range.', 'short', [
        target('A', select().field('count("value")').from('http_reqs').where(run)),
      ]),
    )
    .withPanel(
      statPanel('p95 latency', 'p95 over every response in the range (all operations shown).', 'ms', [
        target('A', select().percentiles([95]).from(MEASUREMENTS.latency).where(run, ops)),
      ]),
    )
    .withPanel(
      statPanel('Errors', 'Answers that were neither success nor a 409 conflict.', 'short', [
        target('A', select().field('sum("value")').from(MEASUREMENTS.outcomes).where(run, ops, failure())),
      ]),
    )
    .withPanel(
      statPanel('Conflict rate', 'Share of answers that were 409 conflicts.', 'percentunit', [
        target('A', select().field('mean("value")').from(MEASUREMENTS.conflicts).where(run, ops)),
      ]),
    )
    .withRow(row('Load'))
    .withPanel(
      ratePanel(
        'Offered vs achieved rate',
        'Offered = iterations started + dropped; achieved = requests answered, per second.',
        'reqps',
        [
          target(
            'A',
            select().perSecond('count("value")', 'achieved requests').from('http_reqs').where(run).byTime().fill('0'),
          ),
          target(
            'B',
            select().perSecond('count("value")', 'iterations').from('iterations').where(run).byTime().fill('0'),
          ),
          target(
            'C',
            select()
              .perSecond('sum("value")', 'dropped iterations')
              .from('dropped_iterations')
              .where(run)
              .byTime()
              .fill('0'),
          ),
        ],
      ),
    )
    .withPanel(
      ratePanel(
        'Arrival burstiness',
        'Index of dispersion of arrivals per 100 ms and per second (variance over mean, per display bucket), counted when each iteration arrives (offerload_arrivals): about 1 for Poisson arrivals (the default, how contacts arrive), near 0 for evenly spaced ones (--arrivals even); well above 1 with --dispersion, or per second across a profile that steps or ramps within the bucket.',
        'short',
        [
          target(
            'A',
            `SELECT stddev("c") * stddev("c") / mean("c") AS "index" FROM (SELECT count("value") AS "c" FROM "${MEASUREMENTS.arrivals}" WHERE ${run} AND $timeFilter GROUP BY time(100ms) fill(0)) WHERE $timeFilter GROUP BY time($__interval) fill(none)`,
            'index of dispersion per 100 ms',
          ),
          target(
            'B',
            `SELECT stddev("c") * stddev("c") / mean("c") AS "index" FROM (SELECT count("value") AS "c" FROM "${MEASUREMENTS.arrivals}" WHERE ${run} AND $timeFilter GROUP BY time(1s) fill(0)) WHERE $timeFilter GROUP BY time(20s) fill(none)`,
            'index of dispersion per second (20 s chunks)',
          ),
        ],
      ),
    )
    .withPanel(
      ratePanel(
        'Forecast against offered',
        'A run replaying a forecast (--forecast): per forecast interval, the contacts the forecast holds (times --scale), the arrivals the seeded plan drew, and the iterations offered, counted from the requests stored. Empty for runs of a profile.',
        'short',
        [
          target(
            'A',
            select()
              .field('last("forecast")', 'forecast')
              .field('last("planned")', 'planned')
              .field('last("offered")', 'offered')
              .from(MEASUREMENTS.forecast)
              .where(run)
              .byTime()
              .fill('none'),
          ),
        ],
      ),
    )
    .withPanel(
      ratePanel(
        'VUs',
        'Virtual users busy and allocated: when busy reaches the maximum, the generator is the limit.',
        'short',
        [
          target('A', select().field('max("value")', 'vus').from('vus').where(run).byTime().fill('previous')),
          target('B', select().field('max("value")', 'vus_max').from('vus_max').where(run).byTime().fill('previous')),
        ],
      ),
    );
  return withContactCentreRow(load, run)
    .withRow(row('Latency'))
    .withPanel(
      latencyPanel(
        'Latency percentiles per operation',
        'p50, p95, p99 of each time bucket over its raw responses: never an average of percentiles.',
        [
          target(
            'A',
            select()
              .percentiles([50, 95, 99])
              .from(MEASUREMENTS.latency)
              .where(run, ops)
              .byTime()
              .by('op')
              .fill('none'),
            '$tag_op $col',
          ),
          target('B', sloLine(MEASUREMENTS.latency, undefined, [run, ops], 'slo_p95_ms', 'p95 SLO')),
        ],
      ),
    )
    .withPanel(
      latencyHeatmap(
        'Latency distribution: $op',
        'Every response time of the operation, bucketed by Grafana: a second mode or a long tail shows here before it moves a percentile.',
        'op',
        [target('A', select().field('"value"').from(MEASUREMENTS.latency).where(run, tagIs('op', 'op')))],
      ),
    )
    .withPanel(
      latencyPanel('Latency by outcome class', 'p95 per outcome class: fast failures can hide slow successes.', [
        target(
          'A',
          select()
            .percentiles([95])
            .from(MEASUREMENTS.latency)
            .where(run, ops)
            .byTime()
            .by('outcome_class')
            .fill('none'),
          '$tag_outcome_class p95',
        ),
      ]),
    )
    .withRow(row('Generator: k6 itself'))
    .withPanel(
      ratePanel(
        'Generator CPU',
        "k6's share of its machine's cores, sampled from /proc every second by the CLI: near 100% the latency and rates are the generator's, not the target's.",
        'percentunit',
        [
          target(
            'A',
            select()
              .field('max("cpu_share")', 'cpu')
              .from(MEASUREMENTS.generator)
              .where(run, generators)
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
        'Generator memory',
        "k6's resident memory: a line that keeps climbing in a soak is the generator leaking, not the target.",
        'mbytes',
        [
          target(
            'A',
            select()
              .field('max("rss_mb")', 'rss')
              .from(MEASUREMENTS.generator)
              .where(run, generators)
              .byTime()
              .by('generator')
              .fill('none'),
            '$tag_generator RSS',
          ),
        ],
      ),
    )
    .withRow(row('Outcomes'))
    .withPanel(
      stackedPanel('Outcomes', 'Every answer, by outcome.', 'short', [
        target(
          'A',
          select().field('sum("value")').from(MEASUREMENTS.outcomes).where(run, ops).byTime().by('outcome').fill('0'),
          '$tag_outcome',
        ),
      ]),
    )
    .withPanel(
      stackedPanel(
        'Conflicts by reason',
        'Each 409 conflict reason, per bucket; the overall conflict rate is in the summary row.',
        'short',
        [
          target(
            'A',
            select()
              .field('count("value")')
              .from(MEASUREMENTS.conflicts)
              .where(run, ops, tagNe('reason', 'none'))
              .byTime()
              .by('reason')
              .fill('0'),
            '$tag_reason',
          ),
        ],
      ),
    )
    .withPanel(
      stackedPanel(
        '429, 5xx and timeouts',
        `The target pushing back (rate limited, 202 busy session) or failing (server errors, quota cancellations, no answer): ${outcomesOf(REFUSED_OR_FAILED).join(', ')}.`,
        'short',
        [
          target(
            'A',
            select()
              .field('sum("value")')
              .from(MEASUREMENTS.outcomes)
              .where(run, ops, classIn(REFUSED_OR_FAILED))
              .byTime()
              .by('outcome')
              .fill('0'),
            '$tag_outcome',
          ),
        ],
      ),
    )
    .withRow(row('Cost to the instance: sessions, quotas, rate limits'))
    .withPanel(
      rareCountPanel(
        'Requests ignored with 202 (session max waiters)',
        'HTTP 202: the session already had max waiters queued (com.glide.request.max_waiters), so the platform ignored the request and never ran it. Comes from several requests at once on one session.',
        [
          target(
            'A',
            select().field('sum("value")').from(MEASUREMENTS.outcomes).where(run, ops, outcomeIs('session_busy')),
          ),
        ],
      ),
    )
    .withPanel(
      rareCountPanel(
        'Quota cancellations',
        "Requests the route's transaction quota cancelled: 200 with the error appended when it was running, 500 when it was still queued.",
        [
          target(
            'A',
            select()
              .field('sum("value")')
              .from(MEASUREMENTS.outcomes)
              .where(run, ops, outcomeIs('transaction_cancelled')),
          ),
        ],
      ),
    )
    .withPanel(
      ratePanel(
        'Sessions created on the target /s',
        'Responses whose Set-Cookie created a new JSESSIONID. Reusing sessions: about one per VU at the start; per request: one per request, each holding memory on the instance until it times out.',
        'short',
        [
          target(
            'A',
            select()
              .perSecond('sum("value")', 'sessions created')
              .from(MEASUREMENTS.sessionsCreated)
              .where(run)
              .byTime()
              .fill('0'),
          ),
        ],
      ),
    )
    .withPanel(
      ratePanel(
        "Rate-limit rule: limit and this run's pace",
        "The tightest X-RateLimit-Limit the target sent (the matched rule's requests per hour) and this run's requests counted against it, at each bucket's pace per hour. Empty when the target sends no rate-limit headers.",
        'short',
        [
          target(
            'A',
            select()
              .field('min("value")', 'limit (requests/h)')
              .from(MEASUREMENTS.rateLimitLimit)
              .where(run)
              .byTime()
              .fill('none'),
          ),
          target(
            'B',
            select()
              .perSecond('sum("value") * 3600', 'this run (requests/h)')
              .from(MEASUREMENTS.rateLimitCounted)
              .where(run)
              .byTime()
              .fill('0'),
          ),
        ],
      ),
    );
}
