/**
 * A run of a scenario that plans contacts (contact-centre): the contact centre's model made from the run's
 * arrivals and settings (src/node/contact-centre/), written for k6 with the target's agents and presence states,
 * and its figures for the dry run, the summary and the dashboards.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Fixtures } from '../../shared/api.js';
import {
  CONTACT_FATES,
  CONTACT_PLAN_FORMAT,
  type ContactPlanFile,
  contactFateSubmetric,
  encodeSteps,
} from '../../shared/contact-plan.js';
import { MEASUREMENTS } from '../../shared/measurements.js';
import { SCENARIOS } from '../../shared/scenarios.js';
import type { Point } from '../influx/client.js';
import { writePoints } from '../influx/writer.js';
import type { InfluxTarget } from '../influx/connection.js';
import type { ContactTrend, RunSummary, TimeoutRow } from '../results/model.js';
import { FATES } from '../../shared/sweep.js';
import { DEFAULT_TARGET_EXPIRY, expectedWaitAdvice } from '../analysis/timeouts.js';
import type { K6SummaryData } from '../results/summary.js';
import type { SectionContext } from './section-context.js';
import { RECORDS_FILE, recordLine } from '../../shared/run-records.js';
import { type ModelInputs, type ModelRun, type PlanFigures, planFigures, runModel } from '../contact-centre/model.js';
import { sentTimeoutSec } from '../contact-centre/simulate.js';
import { EnvironmentError, UsageError } from '../errors.js';
import { arrivalPlanOf } from './arrival-plan.js';
import type { RunOptions } from './plan.js';

/** The model's inputs for a run that plans contacts (undefined for any other run). */
type ModelOptions = Pick<
  RunOptions,
  'scenario' | 'profile' | 'params' | 'arrivals' | 'seed' | 'forecast' | 'contactCentre'
>;

export function modelInputsOf(opts: ModelOptions): ModelInputs | undefined {
  const cc = opts.contactCentre;
  if (!cc) return undefined;
  return {
    offsetsMs: arrivalPlanOf(opts)?.offsetsMs ?? [],
    settings: cc.settings,
    speedup: cc.speedup,
    seed: opts.seed,
    durationSec: opts.params.durationSec,
    ...(opts.forecast && opts.params.curve
      ? { forecast: { replaySec: opts.forecast.replaySec, intervals: opts.forecast.intervals } }
      : {}),
  };
}

/** The model run and its figures. */
export function contactModelOf(
  opts: ModelOptions,
): { inputs: ModelInputs; run: ModelRun; figures: PlanFigures } | undefined {
  const inputs = modelInputsOf(opts);
  if (!inputs) return undefined;
  const run = runModel(inputs);
  return { inputs, run, figures: planFigures(inputs, run) };
}

/** The target's presence state sys_id called `name`. */
function presenceId(fixtures: Fixtures, name: string, flag: string): string {
  const state = fixtures.presence_states.find((p) => p.name === name);
  if (state) return state.sys_id;
  throw new UsageError(
    `invalid ${flag}: expected a presence state of the target (${fixtures.presence_states.map((p) => p.name).join(', ')}), got "${name}"`,
  );
}

/**
 * Writes the contact plan k6 replays: the first N Available agents of the fixtures, the presence states by name,
 * the timelines. Each agent's presence is noted in the run's records first, so an interrupted run's cleanup puts
 * them back Available.
 */
export function writeContactPlan(opts: RunOptions, fixtures: Fixtures, workDir: string): string | undefined {
  const model = contactModelOf(opts);
  if (!model) return undefined;
  const { run } = model;
  const available = presenceId(fixtures, 'Available', 'presence state');
  const free = fixtures.agents.filter((a) => a.presence === 'Available');
  if (free.length < run.agents)
    throw new EnvironmentError(
      `the target has ${free.length} Available agents with awa_agent and awa_external_user, and the contact centre needs ${run.agents}: lower --agents, or make more agents Available`,
    );
  const agents = free.slice(0, run.agents).map((a) => a.sys_id);
  const s = opts.contactCentre!.settings;
  const serviceChannel = fixtures.channels?.[0]?.sys_id;
  if (s.rejectShare > 0 && !serviceChannel)
    throw new UsageError(
      "invalid --reject-share: a reject needs a reject reason, read from a service channel, and the target's fixtures name none: pass --reject-share 0, or fixtures with channels",
    );
  const file: ContactPlanFile = {
    format: CONTACT_PLAN_FORMAT,
    agents,
    presence: {
      available,
      busy: presenceId(fixtures, s.busyPresence, '--busy-presence'),
      afterTimeout: presenceId(fixtures, 'Away', 'presence state'),
    },
    offerTimeoutSec: sentTimeoutSec(s.offerTimeoutSec, opts.contactCentre!.speedup),
    serviceChannel: serviceChannel ?? '',
    peakConcurrent: run.plan.peakConcurrent,
    longestMs: run.plan.longestMs,
    contacts: run.plan.contacts.map((c) => encodeSteps(c.steps)),
  };
  const out = path.join(workDir, 'inputs', 'contacts.json');
  writeFileSync(out, JSON.stringify(file));
  for (const agent of agents)
    appendFileSync(
      path.join(workDir, RECORDS_FILE),
      `${recordLine({ kind: 'presence', agent, previous: { state: available, channels: [] } })}\n`,
    );
  return out;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The dry run's lines: what the instance will get and hold, per operation and at peak. */
export function describeContacts(opts: RunOptions): string {
  const model = contactModelOf(opts);
  if (!model) return '';
  const f = model.figures;
  const cc = opts.contactCentre!;
  const s = cc.settings;
  const ops = Object.entries(f.requests).sort((a, b) => b[1].total - a[1].total);
  const width = Math.max(...ops.map(([op]) => op.length), 9);
  return [
    `contacts   ${f.contacts} contacts, ${f.agents} agents x ${f.concurrency}, speedup ${cc.speedup} (handle times, accept delays, offer timeouts and patience compress; the instance's own timers, such as the session idle timeout and the routing look-back, do not)`,
    `  handle   ${s.handleTimes} talk times${s.handleTimes === 'lognormal' ? ` (cv ${s.handleTimeCv})` : ''}, after-call work, accept delay ${s.acceptDelaySec} s, rejects ${pct(s.rejectShare)}, no answer ${pct(s.noAnswerShare)}, auto-assign ${pct(s.autoAssignShare)}, transfers ${pct(s.transferShare)}, patience ${s.patienceSec} s, offer timeout ${s.offerTimeoutSec} s${cc.speedup === 1 ? '' : ` (whole seconds are sent: ${sentTimeoutSec(s.offerTimeoutSec, cc.speedup)} s of run time, ${sentTimeoutSec(s.offerTimeoutSec, cc.speedup) * cc.speedup} s real)`}`,
    `  agents   occupancy ${pct(f.occupancy)} over the arrivals; at peak ${f.peakWaiting} contacts wait in the connector's queue and the instance holds ${f.peakOpenInteractions} open interactions`,
    `  service  ${pct(f.serviceLevel)} accepted within ${f.serviceTargetSec} s (Erlang C for the same traffic and agents: ${pct(f.erlangServiceLevel)}), mean wait ${f.asaSec.toFixed(1)} s, ${f.abandoned} abandoned, ${f.offersPerContact.toFixed(2)} offers a contact`,
    `  ${'operation'.padEnd(width)}  ${'requests'.padStart(8)}  ${'per s'.padStart(7)}  ${'busiest 10 s, per s'.padStart(19)}`,
    ...ops.map(
      ([op, r]) =>
        `  ${op.padEnd(width)}  ${String(r.total).padStart(8)}  ${r.perSec.toFixed(2).padStart(7)}  ${r.peakPerSec.toFixed(1).padStart(19)}`,
    ),
  ].join('\n');
}

const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

function trend(data: K6SummaryData | undefined, metric: string): ContactTrend | null {
  const v = data?.metrics[metric]?.values;
  if (!v?.count) return null;
  return { p50: Math.round(v.med ?? 0), p95: Math.round(v['p(95)'] ?? 0), count: v.count };
}

/** The contact centre's section: the plan's figures, the contacts' fates and waits as k6 measured them. */
export async function contactsSection(
  c: SectionContext,
): Promise<Pick<RunSummary, 'contacts' | 'timeouts'> | undefined> {
  if (SCENARIOS[c.scenario]!.section !== 'contacts' || !c.contactCentre) return undefined;
  const model = contactModelOf(c);
  if (!model) return undefined;
  const f = model.figures;
  const fates = Object.fromEntries(
    CONTACT_FATES.map((fate) => [fate, c.data?.metrics[contactFateSubmetric(fate)]?.values.count ?? 0]),
  );
  const arrived = c.operations.interaction_create?.requests ?? 0;
  const offers = c.data?.metrics[MEASUREMENTS.contactOffers]?.values;
  return {
    timeouts: timeoutAnalysis(c, model.run),
    contacts: {
      agents: f.agents,
      concurrency: f.concurrency,
      speedup: c.contactCentre.speedup,
      handle_times: c.contactCentre.settings.handleTimes,
      plan: {
        contacts: f.contacts,
        abandoned: f.abandoned,
        service_target_s: f.serviceTargetSec,
        service_level: round(f.serviceLevel),
        erlang_c_service_level: round(f.erlangServiceLevel),
        asa_s: round(f.asaSec, 1),
        wait_p95_s: round(f.waitP95Sec, 1),
        offers_per_contact: round(f.offersPerContact),
        reoffered_share: round(f.reofferedShare),
        occupancy: round(f.occupancy),
        peak_open_interactions: f.peakOpenInteractions,
        peak_waiting: f.peakWaiting,
      },
      measured: {
        contacts: fates,
        queue_wait_ms: trend(c.data, MEASUREMENTS.queueWait),
        offer_to_accept_ms: trend(c.data, MEASUREMENTS.offerToAccept),
        // the offers sent over the contacts that sent one (k6's trends keep no mean here)
        offers_per_contact: offers?.count ? round((c.operations.offer?.requests ?? 0) / offers.count) : null,
      },
      requests_planned: Object.fromEntries(Object.entries(f.requests).map(([op, r]) => [op, r.total])),
      requests_per_contact: Object.fromEntries(
        Object.entries(c.operations)
          .filter(([, o]) => o.requests > 0)
          .map(([op, o]) => [op, arrived === 0 ? 0 : round(o.requests / arrived)]),
      ),
    },
  };
}

/**
 * The offer timeout in the contact's terms, from this contact centre's cards (offers put in front of an agent, not
 * auto-assigned): their fates from the plan (which the run sends exactly when nothing fails), their accept times as
 * k6 measured them, in seconds of real time. The same analysis as a timeout sweep's, at the one timeout the run used.
 */
function timeoutAnalysis(c: SectionContext, run: ModelRun): RunSummary['timeouts'] {
  const cc = c.contactCentre!;
  let cards = 0;
  let accepted = 0;
  let rejected = 0;
  for (const contact of run.plan.contacts) {
    let card = false;
    for (const s of contact.steps) {
      if (s.code === 'O') {
        card = s.arg === 0;
        if (card) cards++;
      } else if (s.code === 'T') card = false;
      else if (card && s.code === 'A') accepted++;
      else if (card && s.code === 'R') rejected++;
    }
  }
  // the timeout the instance applied, in real seconds: whole seconds of run time were sent
  const t = sentTimeoutSec(cc.settings.offerTimeoutSec, cc.speedup) * cc.speedup;
  const tta = c.data?.metrics[MEASUREMENTS.cardAccept]?.values;
  const real = (ms: number | undefined): number => Math.round((ms ?? 0) * cc.speedup);
  const fates = Object.fromEntries(FATES.map((f) => [f, 0])) as TimeoutRow['fates'];
  fates.accepted = accepted;
  fates.rejected = rejected;
  fates.expired = cards - accepted - rejected;
  const row: TimeoutRow = {
    fates,
    expired_share: cards === 0 ? null : round(fates.expired / cards),
    time_to_accept_ms: tta?.count ? { p50: real(tta.med), p95: real(tta['p(95)']), max: real(tta.max) } : null,
  };
  const byTimeout = { [String(t)]: row };
  return {
    sweep: { timeouts: [t], delaysMs: [0], skewsMs: [0] },
    by_timeout: byTimeout,
    advice: expectedWaitAdvice(byTimeout, DEFAULT_TARGET_EXPIRY),
  };
}

/** The plan's state each second as points (agents busy, slots taken, contacts waiting, interactions open). */
export function contactPlanPoints(testid: string, startedAt: Date, opts: ModelOptions): Point[] {
  const model = contactModelOf(opts);
  if (!model) return [];
  const capacity = model.figures.agents * model.figures.concurrency;
  return model.run.plan.seconds.map((s, k) => ({
    measurement: MEASUREMENTS.contactPlan,
    tags: { testid },
    fields: { busy_agents: s.busyAgents, occupancy: s.slots / capacity, waiting: s.waiting, open: s.open },
    timestamp: new Date(startedAt.getTime() + k * 1000),
  }));
}

/** Writes them; a failure is a gap in the dashboard, never a failed run. */
export async function writeContactPlanPoints(
  influx: InfluxTarget,
  testid: string,
  startedAt: Date,
  opts: ModelOptions,
): Promise<string | undefined> {
  try {
    await writePoints(influx, contactPlanPoints(testid, startedAt, opts));
    return undefined;
  } catch (e) {
    return `the contact plan could not be written to InfluxDB (${(e as Error).message}): the overview's contact-centre row will be empty`;
  }
}
