/**
 * From a run's arrivals and the contact centre's settings to the model's input (each contact's handle-time means:
 * the forecast interval's where it has them), and from the model's plan to the figures a planner reads: service
 * level, abandons, re-offers, occupancy, open interactions, requests per operation, and Erlang C's prediction for
 * the same traffic and agents.
 */
import { stepOp } from '../../shared/contact-plan.js';
import { staffing } from '../staffing/erlang.js';
import type { ReplayInterval } from '../forecast/replay.js';
import type { CentrePlan, ContactInput, ModelSettings } from './centre-plan.js';
import { simulateCentre } from './simulate.js';
import { type ContactCentreSettings, DEFAULT_ACW_SEC, DEFAULT_AGENTS, DEFAULT_AHT_SEC } from './settings.js';

/** The forecast's intervals as the model reads them (each its contacts' handle times and planned agents). */
export interface ModelForecast {
  /** an interval's length in the run, seconds */
  readonly replaySec: number;
  readonly intervals: readonly Pick<ReplayInterval, 'ahtSec' | 'acwSec' | 'agents' | 'contacts'>[];
}

export interface ModelInputs {
  readonly offsetsMs: readonly number[];
  readonly settings: ContactCentreSettings;
  readonly speedup: number;
  readonly seed: number;
  /** the run's length, seconds of run time */
  readonly durationSec: number;
  readonly forecast?: ModelForecast;
}

/** The agents logged in: --agents, else the most the forecast plans, else the default. */
export function agentsOf(i: Pick<ModelInputs, 'settings' | 'forecast'>): number {
  if (i.settings.agents !== undefined) return i.settings.agents;
  const planned = (i.forecast?.intervals ?? []).map((iv) => iv.agents ?? 0);
  const most = Math.max(0, ...planned);
  return most > 0 ? Math.ceil(most) : DEFAULT_AGENTS;
}

/** Each contact's handle-time means: the flags, else its forecast interval's, else the defaults. */
export function contactInputs(i: ModelInputs): ContactInput[] {
  const intervals = i.forecast?.intervals ?? [];
  const binMs = (i.forecast?.replaySec ?? 1) * 1000;
  return i.offsetsMs.map((arrivalMs) => {
    const iv = intervals[Math.min(intervals.length - 1, Math.floor(arrivalMs / binMs))];
    return {
      arrivalMs,
      ahtSec: i.settings.ahtSec ?? iv?.ahtSec ?? DEFAULT_AHT_SEC,
      acwSec: i.settings.acwSec ?? iv?.acwSec ?? (iv?.ahtSec !== undefined ? 0 : DEFAULT_ACW_SEC),
    };
  });
}

export interface ModelRun {
  readonly agents: number;
  readonly inputs: readonly ContactInput[];
  readonly plan: CentrePlan;
}

export function runModel(i: ModelInputs): ModelRun {
  const agents = agentsOf(i);
  const inputs = contactInputs(i);
  const { agents: _, ahtSec: _a, acwSec: _w, busyPresence: _b, ...settings } = i.settings;
  const model: ModelSettings = settings;
  return {
    agents,
    inputs,
    plan: simulateCentre({ contacts: inputs, agents, speedup: i.speedup, seed: i.seed, settings: model }),
  };
}

export interface ErlangRow {
  /** contacts per hour of real time, the mean handle time (talk and after-call work), Erlangs */
  readonly contactsPerHour: number;
  readonly handleSec: number;
  readonly traffic: number;
  readonly serviceLevel: number;
  readonly contacts: number;
}

export interface PlanFigures {
  readonly agents: number;
  readonly concurrency: number;
  readonly contacts: number;
  readonly abandoned: number;
  /** contacts that got an agent within the service target (seconds of real time), over all contacts */
  readonly serviceLevel: number;
  readonly serviceTargetSec: number;
  /** Erlang C for the same traffic and agents, weighted by contacts over the intervals */
  readonly erlangServiceLevel: number;
  readonly erlang: readonly ErlangRow[];
  /** mean wait for an agent of the contacts that got one, seconds of real time */
  readonly asaSec: number;
  /** p95 of that wait, seconds of real time */
  readonly waitP95Sec: number;
  readonly offersPerContact: number;
  /** share of offered contacts offered more than once */
  readonly reofferedShare: number;
  /** slots taken over slots logged in, over the arrivals' span */
  readonly occupancy: number;
  readonly peakOpenInteractions: number;
  readonly peakWaiting: number;
  /** requests per operation: in all, per second over the arrivals' span, and in the busiest 10 s */
  readonly requests: Readonly<Record<string, { total: number; perSec: number; peakPerSec: number }>>;
}

const quantile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** The planner's figures of a model run. */
export function planFigures(i: ModelInputs, r: ModelRun): PlanFigures {
  const { plan } = r;
  const toRealSec = (ms: number): number => (ms * i.speedup) / 1000;
  const target = i.settings.serviceTargetSec;
  const answered = plan.contacts.filter((c) => c.answerMs !== undefined).map((c) => toRealSec(c.answerMs!));
  answered.sort((a, b) => a - b);
  const offered = plan.contacts.filter((c) => c.offers > 0);
  const span = Math.max(1, Math.round(i.durationSec));
  const within = plan.seconds.slice(0, span);
  const capacity = r.agents * i.settings.concurrency;
  // Erlang C per forecast interval (the whole run without a forecast), weighted by the contacts of each
  const binMs = (i.forecast?.replaySec ?? i.durationSec) * 1000;
  const bins = new Map<number, ContactInputSum>();
  for (const c of r.inputs) {
    const k = Math.floor(c.arrivalMs / binMs);
    const b = bins.get(k) ?? { n: 0, handle: 0 };
    b.n++;
    b.handle += c.ahtSec + c.acwSec;
    bins.set(k, b);
  }
  const realBinSec = (binMs / 1000) * i.speedup;
  const erlang = [...bins.values()].map((b) => {
    const handleSec = b.handle / b.n;
    const traffic = (b.n / realBinSec) * handleSec;
    return {
      contactsPerHour: (b.n / realBinSec) * 3600,
      handleSec,
      traffic,
      serviceLevel: staffing(traffic, capacity, handleSec, target).serviceLevel,
      contacts: b.n,
    };
  });
  const total = plan.contacts.length;
  const requests: Record<string, { total: number; perSec: number; peakPerSec: number }> = {};
  const perSecond = new Map<string, number[]>();
  for (const c of plan.contacts) {
    for (const s of c.steps) {
      const op = stepOp(s);
      const sec = Math.floor((c.arrivalMs + s.atMs) / 1000);
      const series = perSecond.get(op) ?? [];
      series[sec] = (series[sec] ?? 0) + 1;
      perSecond.set(op, series);
    }
  }
  for (const [op, series] of perSecond) {
    const counts = Array.from(series, (x) => x ?? 0);
    const sum = counts.reduce((a, b) => a + b, 0);
    // the busiest 10 s, as a sliding sum
    let peak = 0;
    let window = 0;
    for (let k = 0; k < counts.length; k++) {
      window += counts[k]! - (k >= 10 ? counts[k - 10]! : 0);
      peak = Math.max(peak, window);
    }
    requests[op] = { total: sum, perSec: sum / span, peakPerSec: peak / 10 };
  }
  return {
    agents: r.agents,
    concurrency: i.settings.concurrency,
    contacts: total,
    abandoned: plan.contacts.filter((c) => c.abandoned).length,
    serviceLevel: total === 0 ? 1 : answered.filter((w) => w <= target).length / total,
    serviceTargetSec: target,
    erlangServiceLevel: total === 0 ? 1 : erlang.reduce((a, e) => a + e.serviceLevel * e.contacts, 0) / total,
    erlang,
    asaSec: answered.length === 0 ? 0 : answered.reduce((a, b) => a + b, 0) / answered.length,
    waitP95Sec: quantile(answered, 0.95),
    offersPerContact: offered.length === 0 ? 0 : offered.reduce((a, c) => a + c.offers, 0) / offered.length,
    reofferedShare: offered.length === 0 ? 0 : offered.filter((c) => c.offers > 1).length / offered.length,
    occupancy: within.length === 0 ? 0 : within.reduce((a, s) => a + s.slots, 0) / within.length / capacity,
    // a loop, not Math.max(...): a day's plan has more seconds than a call has arguments
    peakOpenInteractions: plan.seconds.reduce((a, s) => Math.max(a, s.open), 0),
    peakWaiting: plan.seconds.reduce((a, s) => Math.max(a, s.waiting), 0),
    requests,
  };
}

interface ContactInputSum {
  n: number;
  handle: number;
}
