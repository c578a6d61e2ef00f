/** Run overview: what the target did under the load, per operation, for one run. */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { runAnnotations } from './annotations.js';
import { select, tagIn, tagIs, tagMatches, tagNe, target } from './influxql.js';
import { latencyPanel, ratePanel, row, stackedPanel, statPanel, offerloadDashboard } from './presets.js';
import * as vars from './variables.js';

const run = tagIs('testid', 'testid');
const ops = tagIn('op', 'op');

export function overviewDashboard(): dashboard.DashboardBuilder {
  return offerloadDashboard('offerload: run overview', 'offerload-overview', 'One run: offered vs achieved rate, latency percentiles per operation (computed per time bucket), outcomes, conflicts, 429/5xx, the generator.', '10s', 'now-30m')
    .withVariable(vars.testid())
    .withVariable(vars.scenario())
    .withVariable(vars.operation())
    .annotation(runAnnotations('"testid" =~ /^$testid$/'))
    .withRow(row('Summary'))
    .withPanel(statPanel('Requests', 'Requests k6 sent in the time range.', 'short', [target('A', select().field('count("value")').from('http_reqs').where(run))]))
    .withPanel(statPanel('p95 latency', 'p95 over every response in the range (all operations shown).', 'ms', [target('A', select().percentiles([95]).from('offerload_latency_ms').where(run, ops))]))
    .withPanel(statPanel('Errors', 'Answers that were neither success nor a 409 conflict.', 'short', [target('A', select().field('sum("value")').from('offerload_outcomes').where(run, ops, tagNe('outcome_class', 'success'), tagNe('outcome_class', 'conflict')))]))
    .withPanel(statPanel('Conflict rate', 'Share of answers that were 409 conflicts.', 'percentunit', [target('A', select().field('mean("value")').from('offerload_conflicts').where(run, ops))]))
    .withRow(row('Load'))
    .withPanel(
      ratePanel('Offered vs achieved rate', 'Offered = iterations started + dropped; achieved = requests answered, per second.', 'reqps', [
        target('A', select().perSecond('count("value")', 'achieved requests').from('http_reqs').where(run).byTime().fill('0')),
        target('B', select().perSecond('count("value")', 'iterations').from('iterations').where(run).byTime().fill('0')),
        target('C', select().perSecond('sum("value")', 'dropped iterations').from('dropped_iterations').where(run).byTime().fill('0')),
      ]),
    )
    .withPanel(
      ratePanel('VUs', 'Virtual users busy and allocated: when busy reaches the maximum, the generator is the limit.', 'short', [
        target('A', select().field('max("value")', 'vus').from('vus').where(run).byTime().fill('previous')),
        target('B', select().field('max("value")', 'vus_max').from('vus_max').where(run).byTime().fill('previous')),
      ]),
    )
    .withRow(row('Latency'))
    .withPanel(
      latencyPanel('Latency percentiles per operation', 'p50, p95, p99 of each time bucket over its raw responses: never an average of percentiles.', [
        target('A', select().percentiles([50, 95, 99]).from('offerload_latency_ms').where(run, ops).byTime().by('op').fill('none'), '$tag_op $col'),
      ]),
    )
    .withPanel(
      latencyPanel('Latency by outcome class', 'p95 per outcome class: fast failures can hide slow successes.', [
        target('A', select().percentiles([95]).from('offerload_latency_ms').where(run, ops).byTime().by('outcome_class').fill('none'), '$tag_outcome_class p95'),
      ]),
    )
    .withRow(row('Outcomes'))
    .withPanel(stackedPanel('Outcomes', 'Every answer, by outcome.', 'short', [target('A', select().field('sum("value")').from('offerload_outcomes').where(run, ops).byTime().by('outcome').fill('0'), '$tag_outcome')]))
    .withPanel(
      stackedPanel('Conflicts by reason', 'Each 409 conflict reason, per bucket; the overall conflict rate is in the summary row.', 'short', [
        target('A', select().field('count("value")').from('offerload_conflicts').where(run, ops, tagNe('reason', 'none')).byTime().by('reason').fill('0'), '$tag_reason'),
      ]),
    )
    .withPanel(
      stackedPanel('429, 5xx and timeouts', 'The target pushing back (rate limited) or failing (server errors, no answer).', 'short', [
        target('A', select().field('sum("value")').from('offerload_outcomes').where(run, ops, tagMatches('outcome_class', ['rate_limited', 'server_error', 'network'])).byTime().by('outcome').fill('0'), '$tag_outcome'),
      ]),
    );
}
