/**
 * The measurement names offerload writes and reads, in one place: k6's metrics (src/k6/metrics.ts and the
 * scenarios' own), the simulator's reporter, the CLI's annotations and aligned series, the InfluxDB queries of
 * runs and analyses, and the dashboards all take their names from here.
 */
export const MEASUREMENTS = {
  /** k6: request latency per operation and outcome, ms */
  latency: 'offerload_latency_ms',
  /** k6: one count per answer, tagged with its outcome */
  outcomes: 'offerload_outcomes',
  /** k6: 1 for a 409 conflict, 0 otherwise */
  conflicts: 'offerload_conflicts',
  /** k6: responses that created a session on the target */
  sessionsCreated: 'offerload_sessions_created',
  /** k6: the rate-limit rule's X-RateLimit-Limit */
  rateLimitLimit: 'offerload_ratelimit_limit',
  /** k6: responses that carried rate-limit headers */
  rateLimitCounted: 'offerload_ratelimit_counted',
  /** k6 (contention): races by winners */
  races: 'offerload_races',
  /** k6 (timeout-sweep): offer fates per grid point */
  offerFates: 'offerload_offer_fates',
  /** k6 (timeout-sweep): from the offer to the read that saw it accepted, ms */
  timeToAccept: 'offerload_time_to_accept_ms',
  /** the simulator's own per-second state */
  sim: 'offerload_sim',
  /** the CLI: run start and end annotations (retention policy long) */
  runs: 'offerload_runs',
  /** the CLI: a run's windows timestamped by elapsed time (retention policy long) */
  runAligned: 'offerload_run_aligned',
  /** continuous queries: per-minute rollups for soaks (retention policy long) */
  latency1m: 'offerload_latency_1m',
  outcomes1m: 'offerload_outcomes_1m',
  /** the CLI: k6's CPU share and resident memory, sampled from /proc every second (run/generator-health.ts) */
  generator: 'offerload_generator',
  /** the CLI (capacity): one point per plateau and probe, served rate against latency and requests in flight */
  capacityPlateaus: 'offerload_capacity_plateaus',
  /** the CLI (capacity): the fitted scalability curve, served rate against mean latency */
  capacityFit: 'offerload_capacity_fit',
  /** the CLI (a forecast replayed): one point per forecast interval, its contacts forecast, planned and offered */
  forecast: 'offerload_forecast',
  /** k6: one count per iteration at its arrival (after its wait), so the dashboards count arrivals when they happen */
  arrivals: 'offerload_arrivals',
  /** k6: arrivals that started after their arrival time (no free VU), one count each */
  arrivalsLate: 'offerload_arrivals_late',
  /** k6: how late those arrivals started, ms */
  arrivalLateness: 'offerload_arrival_lateness_ms',
  /** k6 (contact-centre): one count per contact at its end, tagged with its fate (served, abandoned, failed) */
  contacts: 'offerload_contacts',
  /** k6 (contact-centre): from a contact's arrival to its first offer sent, ms (the connector's queue) */
  queueWait: 'offerload_queue_wait_ms',
  /** k6 (contact-centre): from a contact's first offer to the answer that gave it an agent, re-offers included, ms */
  offerToAccept: 'offerload_offer_to_accept_ms',
  /** k6 (contact-centre): from a card's offer to the agent's accept, ms of run time (the offer timeout's analysis) */
  cardAccept: 'offerload_card_accept_ms',
  /** k6 (contact-centre): offers a contact took, one value per contact offered */
  contactOffers: 'offerload_contact_offers',
  /** the CLI (contact-centre): the plan's state each second: agents busy, contacts waiting, interactions open */
  contactPlan: 'offerload_contact_plan',
  /** k6's own: one point per request */
  httpReqs: 'http_reqs',
} as const;
