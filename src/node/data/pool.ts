/**
 * Builds the offer pool with faker in Node, once per run, so k6 VUs share plain data instead of each
 * carrying faker. Entries model what a CCaaS router decides: which document goes to which agent from which
 * queue, with its platform's segment id format, routing delay and offer settings.
 */
import { InputError } from '../errors.js';
import { DEFAULT_SEED } from '../../shared/k6-contract.js';
import { Faker, en } from '@faker-js/faker';
import type { Fixtures } from '../../shared/api.js';
import type { BooleanStyle, Pool, PoolEntry } from '../../shared/pool.js';

/** Call-segment id formats of common CCaaS platforms, with their share of the traffic. */
const SEGMENT_FORMATS: readonly { share: number; make: (f: Faker) => string }[] = [
  // contact ids that are UUIDs (Amazon Connect, Genesys Cloud conversation ids)
  { share: 0.45, make: (f) => f.string.uuid() },
  // Twilio call SIDs: CA + 32 hex
  { share: 0.2, make: (f) => `CA${f.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' })}` },
  // numeric contact ids (NICE CXone, Five9 style)
  { share: 0.2, make: (f) => f.string.numeric({ length: { min: 10, max: 19 }, allowLeadingZeros: false }) },
  // the reference example's own style
  { share: 0.15, make: (f) => `segment_${f.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' })}` },
];

const TIMEOUTS_SEC: readonly (number | null)[] = [20, 30, 30, 45, 60, null];
const CHANNELS = ['phone', 'chat', 'messaging', 'email'] as const;
/** What customers call about: a verb and a topic, made into a short description with faker's product words. */
const TOPICS = [
  'billing question',
  'order status',
  'password reset',
  'cancel subscription',
  'damaged delivery',
  'upgrade plan',
  'refund request',
  'address change',
];

export interface PoolOptions {
  readonly seed: number;
  /** entries to make; k6 wraps around when a run iterates more */
  readonly size: number;
  /** share of offers that auto-assign (accepted at once) */
  readonly autoAssignShare: number;
  /** share of offers that re-offer a document offered shortly before (re-routing after a miss) */
  readonly reofferShare: number;
  /** median routing delay of the CCaaS router, milliseconds (log-normal) */
  readonly routingDelayMedianMs: number;
  /** share of offers routed on a stale view of presence (to any agent, not only those seen Available) */
  readonly stalePresenceShare: number;
  /** share of offers with a timeout that name an after_timeout_presence (Away): agents leave when offers expire */
  readonly afterTimeoutPresenceShare: number;
  /**
   * generators the pool is split across (k6 execution segments of equal size): entry i belongs to
   * generator i mod partitions, and a re-offer only reuses a document of its own generator
   */
  readonly partitions?: number;
  /** index of the first fixture document to offer (a capacity run's refinement probe starts after those used before it) */
  readonly firstDocument?: number;
}

export const DEFAULT_POOL_OPTIONS: Omit<PoolOptions, 'size'> = {
  seed: DEFAULT_SEED,
  autoAssignShare: 0.2,
  reofferShare: 0.08,
  routingDelayMedianMs: 350,
  stalePresenceShare: 0.1,
  afterTimeoutPresenceShare: 0.3,
};

function pick<T>(f: Faker, items: readonly { share: number; make: (f: Faker) => T }[]): T {
  let draw = f.number.float({ min: 0, max: 1 });
  for (const item of items) {
    if ((draw -= item.share) < 0) return item.make(f);
  }
  return items[items.length - 1]!.make(f);
}

/** Log-normal draw with the given median and shape sigma, via Box-Muller on faker's generator. */
function logNormal(f: Faker, median: number, sigma: number): number {
  const u = Math.max(f.number.float({ min: 0, max: 1 }), 1e-9);
  const v = f.number.float({ min: 0, max: 1 });
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return median * Math.exp(sigma * z);
}

/** Makes the pool from a target's fixtures. Documents are walked in order; a share is re-offered. */
export function buildPool(fixtures: Fixtures, options: PoolOptions): Pool {
  if (fixtures.documents.length === 0 || fixtures.agents.length === 0 || fixtures.queues.length === 0) {
    throw new InputError('fixtures', 'must hold at least one document, agent and queue');
  }
  const f = new Faker({ locale: [en] });
  f.seed(options.seed);
  const away = fixtures.presence_states.find((p) => p.name === 'Away')?.sys_id ?? null;
  const available = fixtures.agents.filter((a) => a.presence === 'Available');
  // The router mostly picks agents it believes Available; its view of presence lags, so some are not.
  const routable = available.length > 0 ? available : fixtures.agents;
  const entries: PoolEntry[] = [];
  let nextDocument = options.firstDocument ?? 0;
  const partitions = Math.max(1, Math.floor(options.partitions ?? 1));
  const documentOf: { sys_id: string; table: string }[] = [];
  for (let i = 0; i < options.size; i++) {
    const reoffer = i > 50 * partitions && f.number.float({ min: 0, max: 1 }) < options.reofferShare;
    // a re-offer takes the document of a recent entry of the same generator (same residue mod partitions)
    const doc = reoffer
      ? documentOf[i - partitions * f.number.int({ min: 1, max: 50 })]!
      : fixtures.documents[nextDocument++ % fixtures.documents.length]!;
    documentOf.push(doc);
    const queue = f.helpers.arrayElement(fixtures.queues);
    const autoAssign = f.number.float({ min: 0, max: 1 }) < options.autoAssignShare;
    const timeout = autoAssign ? null : f.helpers.arrayElement(TIMEOUTS_SEC);
    const booleans: BooleanStyle = f.datatype.boolean({ probability: 0.3 }) ? 'string' : 'json';
    entries.push({
      table: doc.table,
      document: doc.sys_id,
      queue: queue.external_id && f.datatype.boolean() ? queue.external_id : queue.sys_id,
      agent: f.helpers.arrayElement(
        f.datatype.boolean({ probability: options.stalePresenceShare }) ? fixtures.agents : routable,
      ).sys_id,
      segment: pick(f, SEGMENT_FORMATS),
      routingDelayMs: Math.min(5000, Math.round(logNormal(f, options.routingDelayMedianMs, 0.6))),
      timeout,
      autoAssign,
      allowedToDecline: f.datatype.boolean({ probability: 0.9 }),
      displayOption: autoAssign ? f.helpers.arrayElement(['card_only', 'card_and_tab']) : null,
      afterTimeoutPresence:
        timeout !== null && away && f.number.float({ min: 0, max: 1 }) < options.afterTimeoutPresenceShare
          ? away
          : null,
      booleans,
      peerAgent: f.helpers.arrayElement(routable).sys_id,
      peerQueue: f.helpers.arrayElement(fixtures.queues).sys_id,
      // the Interaction API takes a channel sys_id; without known channels, a channel name stands in
      channel: fixtures.channels?.length
        ? f.helpers.arrayElement(fixtures.channels).sys_id
        : f.helpers.arrayElement(CHANNELS),
      subject: `${f.helpers.arrayElement(TOPICS)}: ${f.commerce.productName()}`,
      dice: [
        f.number.float({ min: 0, max: 1 }),
        f.number.float({ min: 0, max: 1 }),
        f.number.float({ min: 0, max: 1 }),
      ],
    });
  }
  return { seed: options.seed, entries };
}
