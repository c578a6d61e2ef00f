/**
 * The contact centre's parameters, in its own words, one table: each row is a flag of `offerload run
 * contact-centre` with its stated default. No vendor publishes its connector's behaviour (contact-centre.md §1),
 * so every default is the likeliest value and says so in the help. Durations are the contact centre's, in
 * seconds of real time: --speedup compresses them all.
 */
import { type Flag, type FlagValues, flagValue } from '../flag-table.js';
import { UsageError } from '../errors.js';
import * as flag from '../values.js';
import { TRANSFER_CALL } from '../../shared/scenarios.js';

export const HANDLE_TIME_SHAPES = ['lognormal', 'exponential'] as const;
export type HandleTimeShape = (typeof HANDLE_TIME_SHAPES)[number];

export const CONTACT_CENTRE_FLAGS = [
  {
    name: 'agents',
    type: 'string',
    arg: 'N',
    help: "agents logged in (at most the target's Available agents with awa_agent and awa_external_user); the connector offers only to an agent it believes free",
    defaultText: "the forecast's planned agents where it has them (Calabrio), else 10",
  },
  {
    name: 'aht',
    type: 'string',
    arg: 'S',
    help: "average handle time (talk), seconds; each contact's is drawn around it (--handle-times)",
    defaultText: "the forecast interval's, else 300",
  },
  {
    name: 'acw',
    type: 'string',
    arg: 'S',
    help: 'after-call work, seconds: the agent stays busy this long after talking, then the interaction is closed',
    defaultText: "the forecast interval's, else 30",
  },
  {
    name: 'handle-times',
    type: 'string',
    arg: 'SHAPE',
    help: `how talk times are spread around --aht: ${HANDLE_TIME_SHAPES.join(' or ')} (Brown et al. 2005 found log-normal; Erlang C assumes exponential)`,
    default: 'lognormal',
  },
  {
    name: 'handle-time-cv',
    type: 'string',
    arg: 'X',
    help: 'log-normal talk times: their coefficient of variation (standard deviation over mean)',
    default: '1',
  },
  {
    name: 'accept-delay',
    type: 'string',
    arg: 'S',
    help: "the median time an agent takes to accept or reject a card, seconds (log-normal, sigma 0.5); not published: the simulator's agents' own default",
    default: '4',
  },
  {
    name: 'reject-share',
    type: 'string',
    arg: 'P',
    help: 'share of offers the agent rejects (the connector re-offers to another free agent)',
    default: '0.05',
  },
  {
    name: 'no-answer-share',
    type: 'string',
    arg: 'P',
    help: 'share of offers the agent never answers: the offer times out, the instance sets the agent to the after-timeout presence (Away), the connector re-offers to another agent',
    default: '0.05',
  },
  {
    name: 'auto-assign-share',
    type: 'string',
    arg: 'P',
    help: 'share of offers sent with enable_auto_assign (accepted at once, no card)',
    default: String(TRANSFER_CALL.autoAssignShare),
  },
  {
    name: 'transfer-share',
    type: 'string',
    arg: 'P',
    help: 'share of contacts transferred during handling, blind or consult, to an agent or a queue, in the transfer mix of transfer-mix',
    default: '0.1',
  },
  {
    name: 'consult-time',
    type: 'string',
    arg: 'S',
    help: 'how long a consult lasts before it ends, with hand-over for half of them, seconds',
    default: '60',
  },
  {
    name: 'patience',
    type: 'string',
    arg: 'S',
    help: "contacts' mean patience in the connector's queue, seconds (exponential, drawn per contact): one still unoffered after it abandons; 0: nobody abandons",
    default: '120',
  },
  {
    name: 'offer-timeout',
    type: 'string',
    arg: 'S',
    help: 'the timeout of every offer, seconds (compressed with --speedup, rounded up to whole seconds)',
    default: '20',
  },
  {
    name: 'away-after-no-answer',
    type: 'string',
    arg: 'S',
    help: 'how long an agent whose offer timed out stays in the after-timeout presence before going Available again (the connector syncs it), seconds; not published',
    default: '60',
  },
  {
    name: 'concurrency',
    type: 'string',
    arg: 'N',
    help: 'contacts an agent handles at once: 1 for voice, more for chat (the agent is set busy when all are taken)',
    default: '1',
  },
  {
    name: 'busy-presence',
    type: 'string',
    arg: 'NAME',
    help: "the presence state the connector sets an agent to while handling (its status mapping; not published): the stock instance's unavailable states are Away and Offline",
    default: 'Away',
  },
  {
    name: 'service-target',
    type: 'string',
    arg: 'S',
    help: 'the service level target: the share of contacts accepted within S seconds of arriving is the service level (80/20 is common)',
    default: '20',
  },
  {
    name: 'poll-queued',
    type: 'boolean',
    help: "the connector finds each queued work item through the Table API (awa_work_item) before offering it, as a polling integration would (published integrations are told by the instance's events instead)",
  },
] as const satisfies readonly Flag[];

export interface ContactCentreSettings {
  /** undefined: the forecast's, else DEFAULT_AGENTS */
  readonly agents: number | undefined;
  /** undefined: the forecast interval's, else the defaults below */
  readonly ahtSec: number | undefined;
  readonly acwSec: number | undefined;
  readonly handleTimes: HandleTimeShape;
  readonly handleTimeCv: number;
  readonly acceptDelaySec: number;
  readonly rejectShare: number;
  readonly noAnswerShare: number;
  readonly autoAssignShare: number;
  readonly transferShare: number;
  readonly consultSec: number;
  /** 0: nobody abandons */
  readonly patienceSec: number;
  readonly offerTimeoutSec: number;
  readonly awayAfterNoAnswerSec: number;
  readonly concurrency: number;
  readonly busyPresence: string;
  readonly serviceTargetSec: number;
  readonly pollQueued: boolean;
}

export const DEFAULT_AGENTS = 10;
export const DEFAULT_AHT_SEC = 300;
export const DEFAULT_ACW_SEC = 30;

/** Non-negative seconds (0 allowed where it means "none"). */
function seconds(name: string, raw: string, zeroAllowed: boolean): number {
  if (zeroAllowed && raw.trim() === '0') return 0;
  return flag.positiveNumber(`--${name}`, raw, 'seconds');
}

function wholeAtLeastOne(name: string, raw: string): number {
  const n = flag.integer(`--${name}`, raw);
  if (n < 1) throw new UsageError(`invalid --${name}: expected a whole number of at least 1, got "${raw}"`);
  return n;
}

const names = CONTACT_CENTRE_FLAGS.map((f) => f.name);

/** The flags given of this table (they apply to the contact-centre scenario only). */
export const contactCentreFlagsGiven = (values: FlagValues): string[] => names.filter((n) => values[n] !== undefined);

/** The settings the flags ask for. */
export function contactCentreFrom(values: FlagValues): ContactCentreSettings {
  const v = (name: (typeof names)[number]): string => flagValue(CONTACT_CENTRE_FLAGS, values, name)!;
  const given = (name: (typeof names)[number]): string | undefined =>
    typeof values[name] === 'string' ? (values[name] as string) : undefined;
  const agents = given('agents');
  const aht = given('aht');
  const acw = given('acw');
  const settings: ContactCentreSettings = {
    agents: agents === undefined ? undefined : wholeAtLeastOne('agents', agents),
    ahtSec: aht === undefined ? undefined : seconds('aht', aht, false),
    acwSec: acw === undefined ? undefined : seconds('acw', acw, true),
    handleTimes: flag.oneOf('--handle-times', v('handle-times'), HANDLE_TIME_SHAPES),
    handleTimeCv: flag.positiveNumber('--handle-time-cv', v('handle-time-cv'), 'standard deviations per mean'),
    acceptDelaySec: seconds('accept-delay', v('accept-delay'), true),
    rejectShare: flag.share('--reject-share', v('reject-share')),
    noAnswerShare: flag.share('--no-answer-share', v('no-answer-share')),
    autoAssignShare: flag.share('--auto-assign-share', v('auto-assign-share')),
    transferShare: flag.share('--transfer-share', v('transfer-share')),
    consultSec: seconds('consult-time', v('consult-time'), false),
    patienceSec: seconds('patience', v('patience'), true),
    offerTimeoutSec: seconds('offer-timeout', v('offer-timeout'), false),
    awayAfterNoAnswerSec: seconds('away-after-no-answer', v('away-after-no-answer'), true),
    concurrency: wholeAtLeastOne('concurrency', v('concurrency')),
    busyPresence: v('busy-presence'),
    serviceTargetSec: seconds('service-target', v('service-target'), false),
    pollQueued: values['poll-queued'] === true,
  };
  if (settings.rejectShare + settings.noAnswerShare >= 1)
    throw new UsageError(
      `invalid --reject-share and --no-answer-share: expected shares adding up to less than 1 (some offers must be accepted), got ${settings.rejectShare} and ${settings.noAnswerShare}`,
    );
  return settings;
}
