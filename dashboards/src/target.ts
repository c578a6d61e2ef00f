/** Target: the simulator's own per-second measurements (slots, queues, refusals, sessions, work items, agents). */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { MEASUREMENTS } from '../../src/shared/measurements.js';
import { runAnnotations } from './annotations.js';
import { select, tagIn, target, type Select } from './influxql.js';
import { ratePanel, row, stackedPanel, offerloadDashboard } from './presets.js';
import * as vars from './variables.js';

const sim = tagIn('sim', 'sim');
/** The simulators chosen, per dashboard bucket; gauges and running totals are fields of one measurement. */
const fromSim = (build: (s: Select) => Select): Select =>
  build(select()).from(MEASUREMENTS.sim).where(sim).byTime().fill('none');
/** Per second, from a running total (`*_total`) the simulator reports each second. */
const perSecondOf = (total: string): string => `non_negative_derivative(max("${total}"), 1s)`;

export function targetDashboard(): dashboard.DashboardBuilder {
  return offerloadDashboard(
    'offerload: target (simulator)',
    'offerload-target',
    'What the simulated instance went through: its worker slots, queues and refusals, its sessions, its work items and its agents.',
    '10s',
    'now-30m',
  )
    .withVariable(vars.datasource())
    .withVariable(vars.simulator())
    .annotation(runAnnotations('"testid" =~ /.*/'))
    .withRow(row('Slots and queues'))
    .withPanel(
      ratePanel(
        'Queue depth and in-flight',
        'Requests waiting for a worker slot, and requests in the simulator.',
        'short',
        [
          target(
            'A',
            fromSim((s) =>
              s
                .field('max("queue_depth")', 'queue depth')
                .field('max("in_flight")', 'in flight')
                .field('max("busy_slots")', 'busy slots'),
            ),
          ),
        ],
      ),
    )
    .withPanel(
      ratePanel(
        '429s and quota cancellations per second',
        "Requests refused because a node queue was full, and requests the route's transaction quota cancelled: while still queued (500) or while running (200 with the error appended).",
        'reqps',
        [
          target(
            'A',
            fromSim((s) =>
              s
                .field(perSecondOf('queue_full_total'), '429 queue full')
                .field(
                  `${perSecondOf('cancelled_total')} - ${perSecondOf('cancelled_running_total')}`,
                  'cancelled while queued',
                )
                .field(perSecondOf('cancelled_running_total'), 'cancelled while running'),
            ),
          ),
        ],
      ),
    )
    .withRow(row('Sessions'))
    .withPanel(
      ratePanel(
        'Sessions held',
        'Sessions the instance holds: each until it is idle for the session timeout.',
        'short',
        [
          target(
            'A',
            fromSim((s) => s.field('max("sessions_active")', 'sessions held')),
          ),
        ],
      ),
    )
    .withPanel(
      ratePanel('Session memory', 'Memory the held sessions take on the instance.', 'mbytes', [
        target(
          'A',
          fromSim((s) => s.field('max("session_memory_mb")', 'session memory')),
        ),
      ]),
    )
    .withPanel(
      ratePanel(
        'Sessions created and expired per second',
        'New sessions (a request without a live session cookie) and sessions gone idle or evicted.',
        'short',
        [
          target(
            'A',
            fromSim((s) =>
              s
                .field(perSecondOf('sessions_created_total'), 'created')
                .field(perSecondOf('sessions_expired_total'), 'expired'),
            ),
          ),
        ],
      ),
    )
    .withPanel(
      ratePanel(
        'Transactions waiting for their session',
        "Requests waiting for their own session's turn (a session runs one or two transactions at once).",
        'short',
        [
          target(
            'A',
            fromSim((s) => s.field('max("session_waiters")', 'waiting')),
          ),
        ],
      ),
    )
    .withPanel(
      ratePanel(
        '202s per second (session max waiters)',
        'Requests ignored with 202 because their session already had max waiters queued (com.glide.request.max_waiters).',
        'reqps',
        [
          target(
            'A',
            fromSim((s) => s.field(perSecondOf('session_busy_total'), '202 session busy')),
          ),
        ],
      ),
    )
    .withRow(row('Work items and agents'))
    .withPanel(
      stackedPanel('Work items by state', 'Active work items on the target.', 'short', [
        target(
          'A',
          fromSim((s) =>
            s
              .field('last("wi_queued")', 'queued')
              .field('last("wi_pending_accept")', 'pending accept')
              .field('last("wi_accepted")', 'accepted'),
          ),
        ),
      ]),
    )
    .withPanel(
      ratePanel(
        'Offers and their fate per second',
        'Offers placed, accepted, rejected and expired per second.',
        'reqps',
        [
          target(
            'A',
            fromSim((s) =>
              s
                .field(perSecondOf('offered_total'), 'offered')
                .field(perSecondOf('accepted_total'), 'accepted')
                .field(perSecondOf('rejected_total'), 'rejected')
                .field(perSecondOf('expired_total'), 'expired'),
            ),
          ),
        ],
      ),
    )
    .withPanel(
      stackedPanel('Agents by presence', 'Simulated agents Available, Away and Offline.', 'short', [
        target(
          'A',
          fromSim((s) =>
            s
              .field('last("agents_available")', 'available')
              .field('last("agents_away")', 'away')
              .field('last("agents_offline")', 'offline'),
          ),
        ),
      ]),
    );
}
