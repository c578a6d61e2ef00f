/** `offerload plan`: the staffing plan in the contact centre's words (Erlang C), and the load it puts on the instance. */
import { requestsPerIteration, SCENARIOS } from '../../shared/scenarios.js';
import { UsageError } from '../errors.js';
import { type Flag, flagsHelp, flagValue, parserOptions } from '../flag-table.js';
import { FORECAST_FLAGS, forecastFrom } from '../forecast/flags.js';
import type { ForecastReplay } from '../forecast/replay.js';
import type { Io } from '../io.js';
import { planTable, staffingPlan } from '../staffing/plan.js';
import * as flag from './flags.js';

const PLAN_FLAGS = [
  ...FORECAST_FLAGS.filter((f) => f.name !== 'speedup'),
  {
    name: 'contacts-per-interval',
    type: 'string',
    arg: 'N',
    help: 'instead of a forecast: this many contacts in one interval',
  },
  {
    name: 'interval',
    type: 'string',
    arg: 'D',
    help: 'with --contacts-per-interval: the interval, e.g. 30m',
    default: '30m',
  },
  {
    name: 'agents',
    type: 'string',
    arg: 'N',
    help: 'agents on hand in every interval',
    defaultText: 'the agents each interval needs',
  },
  {
    name: 'aht',
    type: 'string',
    arg: 'S',
    help: 'average handle time (talk and after-call work), seconds',
    defaultText: "the forecast's, per interval",
  },
  {
    name: 'service-level',
    type: 'string',
    arg: 'P/T',
    help: 'the service target: P percent of contacts answered within T seconds',
    default: '80/20',
  },
  {
    name: 'scenario',
    type: 'string',
    arg: 'NAME',
    help: 'whose API calls per contact turn the traffic into requests per second to the instance',
    default: 'transfer-mix',
  },
] as const satisfies readonly Flag[];

export const PLAN_HELP = `usage: offerload plan (--forecast FILE | --contacts-per-interval N [--interval 30m]) [options]

Per interval of the forecast: the traffic in Erlangs, the probability of waiting, the service level, the average
speed of answer and the occupancy (Erlang C, exact and stable for hundreds of agents) with the agents on hand, the
agents the service target needs, and the API requests per second per operation the instance receives for that
traffic. Erlang C assumes Poisson arrivals, exponential handle times and no abandonment. --json for machines.

options:
${flagsHelp(PLAN_FLAGS)}

examples:
  offerload plan --forecast monday.csv --agents 120 --service-level 80/20
  offerload plan --contacts-per-interval 1400 --interval 30m --aht 300 --scale 1.5
  offerload plan --forecast genesys.json --window "Mon 08:00..12:00" --json`;

/** `--service-level 80/20` as a share and seconds. */
function serviceTarget(raw: string): { share: number; withinSec: number } {
  const m = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(raw.trim());
  const share = m ? Number(m[1]) / 100 : Number.NaN;
  if (!m || !(share > 0 && share < 1))
    throw new UsageError(
      `invalid --service-level: expected P/T, a percentage between 0 and 100 and seconds (80/20), got "${raw}"`,
    );
  return { share, withinSec: Number(m[2]) };
}

/** One interval of N contacts, for a plan without a forecast file. */
function flatReplay(contacts: number, intervalSec: number, scale: number): ForecastReplay {
  return {
    file: '--contacts-per-interval',
    format: 'csv',
    queues: [''],
    queue: undefined,
    window: undefined,
    scale,
    speedup: 1,
    intervalSec,
    replaySec: intervalSec,
    intervals: [{ wallMs: 0, contacts: contacts * scale }],
    skipped: [],
  };
}

export async function planCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('--help')) {
    io.out(PLAN_HELP);
    return 0;
  }
  const { values } = flag.parseFlags('plan', argv, parserOptions(PLAN_FLAGS));
  const v = values as Readonly<Record<string, string | undefined>>;
  const value = (name: (typeof PLAN_FLAGS)[number]['name']): string | undefined => flagValue(PLAN_FLAGS, values, name);
  if ((v.forecast === undefined) === (v['contacts-per-interval'] === undefined))
    throw new UsageError('offerload plan takes a forecast: --forecast FILE or --contacts-per-interval N, one of them');
  const replay =
    forecastFrom(values) ??
    flatReplay(
      flag.positiveNumber('--contacts-per-interval', v['contacts-per-interval']!, 'contacts'),
      flag.duration('--interval', value('interval')!),
      flag.positiveNumber('--scale', value('scale')!, 'times the forecast'),
    );
  const scenario = flag.oneOf('--scenario', value('scenario')!, Object.keys(SCENARIOS));
  const agents = v.agents === undefined ? undefined : flag.integer('--agents', v.agents);
  if (agents !== undefined && agents < 1)
    throw new UsageError(`invalid --agents: expected at least 1, got "${v.agents}"`);
  const ahtSec = v.aht === undefined ? undefined : flag.positiveNumber('--aht', v.aht, 'seconds');
  if (ahtSec === undefined && replay.intervals.some((i) => i.ahtSec === undefined))
    throw new UsageError(
      `offerload plan needs a handle time: ${replay.file} has none for every interval; give --aht S`,
    );
  const plan = staffingPlan(replay, {
    scenario,
    info: SCENARIOS[scenario]!,
    agents,
    ahtSec,
    target: serviceTarget(value('service-level')!),
  });
  if (io.json) io.out(JSON.stringify(plan, null, 2));
  else {
    io.out(
      `plan for ${replay.file}: ${plan.intervals.length} interval(s) of ${replay.intervalSec / 60} min, ${requestsPerIteration(SCENARIOS[scenario]!)} requests a contact (${scenario})`,
    );
    io.out(planTable(plan, agents !== undefined));
  }
  return 0;
}
