/**
 * The plan in the contact centre's words: per forecast interval, the traffic in Erlangs, what Erlang C says the
 * agents on hand achieve (probability of waiting, service level, average speed of answer, occupancy), the agents
 * the service target needs, and the API requests per second the instance receives for that traffic.
 */
import { type ScenarioInfo, requestsPerIteration } from '../../shared/scenarios.js';
import { wallText } from '../forecast/model.js';
import type { ForecastReplay } from '../forecast/replay.js';
import { agentsFor, type Staffing, staffing } from './erlang.js';

export interface ServiceTarget {
  /** share answered within the target time, 0 to 1 */
  readonly share: number;
  readonly withinSec: number;
}

export interface PlanInputs {
  readonly scenario: string;
  readonly info: ScenarioInfo;
  /** agents on hand; undefined plans each interval at the agents the target needs */
  readonly agents: number | undefined;
  /** handle time (talk and after-call work) for every interval, seconds; undefined takes the forecast's */
  readonly ahtSec: number | undefined;
  readonly target: ServiceTarget;
}

export interface PlanInterval {
  readonly start: string;
  readonly contacts: number;
  readonly handle_s: number;
  readonly erlangs: number;
  /** at the agents on hand (or, without them, at the agents needed) */
  readonly agents: number;
  readonly wait_probability: number;
  readonly service_level: number;
  readonly asa_s: number | null;
  readonly occupancy: number;
  readonly agents_needed: number;
  readonly meets_target: boolean;
  /** requests per second the instance receives for this traffic, by operation */
  readonly requests_per_s: Readonly<Record<string, number>>;
}

export interface StaffingPlan {
  readonly scenario: string;
  readonly service_target: { readonly share: number; readonly within_s: number };
  readonly interval_s: number;
  readonly intervals: readonly PlanInterval[];
  readonly peak: {
    readonly start: string;
    readonly erlangs: number;
    readonly agents_needed: number;
    readonly requests_per_s: number;
  };
}

const r = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** The plan of every interval of a replay (scaled and windowed; in real time whatever its speedup). */
export function staffingPlan(replay: ForecastReplay, p: PlanInputs): StaffingPlan {
  const intervals = replay.intervals.map((iv): PlanInterval => {
    const handle = p.ahtSec ?? (iv.ahtSec === undefined ? undefined : iv.ahtSec + (iv.acwSec ?? 0));
    if (handle === undefined) throw new Error(`the forecast has no handle time for ${wallText(iv.wallMs)}: give --aht`);
    const perSec = iv.contacts / replay.intervalSec;
    const erlangs = perSec * handle;
    const needed = agentsFor(erlangs, handle, p.target.share, p.target.withinSec);
    const at: Staffing = p.agents === undefined ? needed : staffing(erlangs, p.agents, handle, p.target.withinSec);
    return {
      start: wallText(iv.wallMs),
      contacts: r(iv.contacts, 2),
      handle_s: r(handle, 1),
      erlangs: r(erlangs, 3),
      agents: at.agents,
      wait_probability: r(at.waitProbability),
      service_level: r(at.serviceLevel),
      asa_s: Number.isFinite(at.asaSec) ? r(at.asaSec, 1) : null,
      occupancy: r(at.occupancy),
      agents_needed: needed.agents,
      meets_target: at.serviceLevel >= p.target.share,
      requests_per_s: Object.fromEntries(Object.entries(p.info.requestsPerOp).map(([op, n]) => [op, r(perSec * n)])),
    };
  });
  const peak = intervals.reduce((a, b) => (b.erlangs > a.erlangs ? b : a), intervals[0]!);
  return {
    scenario: p.scenario,
    service_target: { share: p.target.share, within_s: p.target.withinSec },
    interval_s: replay.intervalSec,
    intervals,
    peak: {
      start: peak.start,
      erlangs: peak.erlangs,
      agents_needed: peak.agents_needed,
      requests_per_s: r((peak.contacts / replay.intervalSec) * requestsPerIteration(p.info), 3),
    },
  };
}

/** The plan as a table. */
export function planTable(plan: StaffingPlan, agentsGiven: boolean): string {
  const ops = Object.keys(plan.intervals[0]?.requests_per_s ?? {});
  const header = [
    'interval',
    'contacts',
    'handle_s',
    'erlangs',
    'agents',
    'P(wait)',
    `SL ${Math.round(plan.service_target.share * 100)}/${plan.service_target.within_s}`,
    'ASA_s',
    'occupancy',
    'needed',
    ...ops.map((op) => `${op}/s`),
  ];
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const rows = plan.intervals.map((i) => [
    i.start,
    i.contacts.toFixed(1),
    i.handle_s.toFixed(0),
    i.erlangs.toFixed(2),
    String(i.agents),
    pct(i.wait_probability),
    `${pct(i.service_level)}${i.meets_target ? '' : ' !'}`,
    i.asa_s === null ? 'never' : i.asa_s.toFixed(1),
    pct(i.occupancy),
    String(i.agents_needed),
    ...ops.map((op) => i.requests_per_s[op]!.toFixed(3)),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const short = plan.intervals.filter((i) => !i.meets_target).length;
  return [
    line(header),
    ...rows.map(line),
    '',
    `peak ${plan.peak.start}: ${plan.peak.erlangs} Erlangs, ${plan.peak.agents_needed} agents needed, ${plan.peak.requests_per_s} requests/s to the instance (${plan.scenario})`,
    agentsGiven
      ? short === 0
        ? 'every interval meets the service target with the agents given'
        : `${short} of ${plan.intervals.length} interval(s) miss the service target with the agents given (marked !)`
      : 'agents: each interval at the agents it needs (give --agents to see what your staff achieves)',
    'Erlang C assumes Poisson arrivals, exponential handle times and no abandonment.',
  ].join('\n');
}
