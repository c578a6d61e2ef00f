/**
 * The run overview's contact-centre row (contact-centre runs): contacts by fate and re-offers, the plan's occupancy,
 * waiting contacts and open interactions, queue wait and offer to accept. Its own file: the overview's panels for
 * a scenario of their own.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { MEASUREMENTS } from '../../src/shared/measurements.js';
import { select, target } from './influxql.js';
import { ratePanel, row } from './presets.js';

/** Adds the row and its panels to the overview `b`, filtered by `run` (the testid condition). */
export function withContactCentreRow(b: dashboard.DashboardBuilder, run: string): dashboard.DashboardBuilder {
  return b
    .withRow(row('Contact centre (contact-centre runs)'))
    .withPanel(
      ratePanel(
        'Contacts: arrived, ended by fate, re-offers',
        "Contacts arriving (offerload_arrivals) and ending, by fate: served, abandoned in the connector's queue, failed (a request of theirs did), per bucket; and the offers a contact took (1: never re-offered after a rejection or an expiry). Against the forecast: the panel 'Forecast against offered' above.",
        'short',
        [
          target(
            'A',
            select().field('count("value")', 'arrived').from(MEASUREMENTS.arrivals).where(run).byTime().fill('0'),
          ),
          target(
            'B',
            `SELECT sum("value") FROM "${MEASUREMENTS.contacts}" WHERE ${run} AND $timeFilter GROUP BY time($__interval), "fate" fill(0)`,
            '$tag_fate',
          ),
          target(
            'C',
            select()
              .field('mean("value")', 'offers per contact')
              .from(MEASUREMENTS.contactOffers)
              .where(run)
              .byTime()
              .fill('none'),
          ),
        ],
      ),
    )
    .withPanel(
      ratePanel(
        'Agents: occupancy and busy (plan)',
        "The contact centre's plan, second by second: the share of the agents' slots taken (occupancy) and the agents holding a contact. The plan is what the connector's routing decided before the run; what the contacts met on the target is in the other panels.",
        'short',
        [
          target(
            'A',
            select()
              .field('mean("occupancy")', 'occupancy')
              .field('max("busy_agents")', 'busy agents')
              .from(MEASUREMENTS.contactPlan)
              .where(run)
              .byTime()
              .fill('none'),
          ),
        ],
      ),
    )
    .withPanel(
      ratePanel(
        "Waiting in the connector's queue and open interactions (plan)",
        "Contacts waiting for a free agent in the connector's queue, and interactions open on the instance (created, not yet closed), from the plan.",
        'short',
        [
          target(
            'A',
            select()
              .field('max("waiting")', 'waiting')
              .field('max("open")', 'open interactions')
              .from(MEASUREMENTS.contactPlan)
              .where(run)
              .byTime()
              .fill('none'),
          ),
        ],
      ),
    )
    .withPanel(
      ratePanel(
        'Queue wait and offer to accept',
        "From a contact's arrival to its first offer (the connector's queue) and from its first offer to the answer that gave it an agent (re-offers included), 95th percentile per bucket, ms of run time.",
        'ms',
        [
          target(
            'A',
            select()
              .field('percentile("value", 95)', 'queue wait p95')
              .from(MEASUREMENTS.queueWait)
              .where(run)
              .byTime()
              .fill('none'),
          ),
          target(
            'B',
            select()
              .field('percentile("value", 95)', 'offer to accept p95')
              .from(MEASUREMENTS.offerToAccept)
              .where(run)
              .byTime()
              .fill('none'),
          ),
        ],
      ),
    );
}
