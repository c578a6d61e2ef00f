/** Target: the simulator's own per-second measurements (queue depth, in-flight, 429s, work items, agents). */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { runAnnotations } from './annotations.js';
import { select, tagIn, target } from './influxql.js';
import { ratePanel, stackedPanel, offerloadDashboard } from './presets.js';
import * as vars from './variables.js';

const sim = tagIn('sim', 'sim');

export function targetDashboard(): dashboard.DashboardBuilder {
  return offerloadDashboard('offerload: target (simulator)', 'offerload-target', "What the simulated instance went through: its worker slots, queues and refusals, its work items and its agents.", '10s', 'now-30m')
    .withVariable(vars.simulator())
    .annotation(runAnnotations('"testid" =~ /.*/'))
    .withPanel(ratePanel('Queue depth and in-flight', 'Requests waiting for a worker slot, and requests in the simulator.', 'short', [target('A', select().field('max("queue_depth")', 'queue depth').field('max("in_flight")', 'in flight').field('max("busy_slots")', 'busy slots').from('offerload_sim').where(sim).byTime().fill('none'))]))
    .withPanel(ratePanel('429s and cancellations per second', 'Requests refused because a node queue was full, and requests cancelled at the transaction limit.', 'reqps', [target('A', select().field('non_negative_derivative(max("queue_full_total"), 1s)', '429 queue full').field('non_negative_derivative(max("cancelled_total"), 1s)', 'cancelled').from('offerload_sim').where(sim).byTime().fill('none'))]))
    .withPanel(stackedPanel('Work items by state', 'Active work items on the target.', 'short', [target('A', select().field('last("wi_queued")', 'queued').field('last("wi_pending_accept")', 'pending accept').field('last("wi_accepted")', 'accepted').from('offerload_sim').where(sim).byTime().fill('none'))]))
    .withPanel(ratePanel('Offers and their fate per second', 'Offers placed, accepted, rejected and expired per second.', 'reqps', [target('A', select().field('non_negative_derivative(max("offered_total"), 1s)', 'offered').field('non_negative_derivative(max("accepted_total"), 1s)', 'accepted').field('non_negative_derivative(max("rejected_total"), 1s)', 'rejected').field('non_negative_derivative(max("expired_total"), 1s)', 'expired').from('offerload_sim').where(sim).byTime().fill('none'))]))
    .withPanel(stackedPanel('Agents by presence', 'Simulated agents Available, Away and Offline.', 'short', [target('A', select().field('last("agents_available")', 'available').field('last("agents_away")', 'away').field('last("agents_offline")', 'offline').from('offerload_sim').where(sim).byTime().fill('none'))]));
}
