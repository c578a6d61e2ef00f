/**
 * The offer pool: one prepared entry per planned iteration, made once in Node (with faker) and shared
 * read-only by every k6 VU. An entry holds what a CCaaS system decided; the request body is built from it
 * at send time, because offered_on must be measured against the clock when the request leaves.
 */
import type { ApiBoolean, OfferBody } from './api.js';
import { runSegment } from './run-records.js';
import { formatOfferedOn } from './time.js';

/** How booleans are written: CCaaS integrations send JSON booleans or, like the reference example, strings. */
export type BooleanStyle = 'json' | 'string';

export interface PoolEntry {
  readonly table: string;
  readonly document: string;
  /** awa_queue sys_id or its external id */
  readonly queue: string;
  readonly agent: string;
  readonly segment: string;
  /** how long the CCaaS router took before this request, milliseconds */
  readonly routingDelayMs: number;
  /** offer timeout in seconds; null means no limit */
  readonly timeout: number | null;
  readonly autoAssign: boolean;
  readonly allowedToDecline: boolean;
  readonly displayOption: string | null;
  readonly afterTimeoutPresence: string | null;
  readonly booleans: BooleanStyle;
  /** another routable agent and queue, for transfers and races */
  readonly peerAgent: string;
  readonly peerQueue: string;
  /** the interaction's channel and subject, for the Interaction API */
  readonly channel: string;
  readonly subject: string;
  /** three uniform draws in [0, 1) that scenarios turn into their own choices, so runs are reproducible */
  readonly dice: readonly [number, number, number];
}

export interface Pool {
  /** which generator made it, for the record */
  readonly seed: number;
  readonly entries: readonly PoolEntry[];
}

const bool = (value: boolean, style: BooleanStyle): ApiBoolean => (style === 'json' ? value : String(value));

/**
 * The Offer Work body for a pool entry sent at `nowMs` (epoch milliseconds); with `testid`, the
 * external_segment_id carries it (run-records.ts), so the run's work items can be found on the target.
 */
export function offerBody(e: PoolEntry, nowMs: number, testid?: string): OfferBody {
  const assignment: OfferBody['assignment'] = {
    agent_sys_id: e.agent,
    allowed_to_decline: bool(e.allowedToDecline, e.booleans),
    enable_auto_assign: bool(e.autoAssign, e.booleans),
  };
  if (e.displayOption !== null) assignment.display_option = e.displayOption;
  if (e.timeout !== null) {
    assignment.timeout = e.timeout;
    assignment.offered_on = formatOfferedOn(nowMs - e.routingDelayMs);
    if (e.afterTimeoutPresence !== null) assignment.after_timeout_presence = e.afterTimeoutPresence;
  }
  return {
    external_segment_id: testid === undefined ? e.segment : runSegment(testid, e.segment),
    queue_id: e.queue,
    assignment,
  };
}

/**
 * Pool entries travel to k6 as one delimited string each. k6's SharedArray JSON-decodes and deep-freezes an
 * element on every read, so a 17-key object costs more per iteration than the request itself (profiled:
 * `SharedArray.Get` was 16% of k6's CPU); a string is one token to decode and a split to read.
 * The table gives each field's place and how it is written; null is the empty text.
 */
// a tab: never in the values (checked), and two characters in JSON where a control character would take six
const SEP = '\t';
type Codec = 'text' | 'optionalText' | 'number' | 'optionalNumber' | 'flag' | 'booleans';
const ENTRY_FIELDS: readonly (readonly [keyof PoolEntry | 'dice0' | 'dice1' | 'dice2', Codec])[] = [
  ['table', 'text'],
  ['document', 'text'],
  ['queue', 'text'],
  ['agent', 'text'],
  ['segment', 'text'],
  ['routingDelayMs', 'number'],
  ['timeout', 'optionalNumber'],
  ['autoAssign', 'flag'],
  ['allowedToDecline', 'flag'],
  ['displayOption', 'optionalText'],
  ['afterTimeoutPresence', 'optionalText'],
  ['booleans', 'booleans'],
  ['peerAgent', 'text'],
  ['peerQueue', 'text'],
  ['channel', 'text'],
  ['subject', 'text'],
  ['dice0', 'number'],
  ['dice1', 'number'],
  ['dice2', 'number'],
];

const WRITE: Record<Codec, (v: unknown) => string> = {
  text: (v) => String(v),
  optionalText: (v) => (v === null ? '' : String(v)),
  number: (v) => String(v),
  optionalNumber: (v) => (v === null ? '' : String(v)),
  flag: (v) => (v ? '1' : '0'),
  booleans: (v) => String(v),
};

/** One entry as a delimited string; throws when a value would not read back as written. */
export function encodeEntry(e: PoolEntry): string {
  const values: Record<string, unknown> = { ...e, dice0: e.dice[0], dice1: e.dice[1], dice2: e.dice[2] };
  return ENTRY_FIELDS.map(([name, codec]) => {
    const text = WRITE[codec](values[name]);
    const ambiguous = text.includes(SEP) || (text === '' && values[name] !== null);
    if (ambiguous)
      throw new Error(
        `invalid pool entry field ${name}: expected a value without a tab that is not empty, got ${JSON.stringify(values[name])}`,
      );
    return text;
  }).join(SEP);
}

const orNull = (t: string): string | null => (t === '' ? null : t);

/** Reads an entry written by `encodeEntry` (per iteration in k6, so it is written out, not table-driven). */
export function decodeEntry(text: string): PoolEntry {
  const f = text.split(SEP);
  return {
    table: f[0]!,
    document: f[1]!,
    queue: f[2]!,
    agent: f[3]!,
    segment: f[4]!,
    routingDelayMs: Number(f[5]),
    timeout: f[6] === '' ? null : Number(f[6]),
    autoAssign: f[7] === '1',
    allowedToDecline: f[8] === '1',
    displayOption: orNull(f[9]!),
    afterTimeoutPresence: orNull(f[10]!),
    booleans: f[11] as BooleanStyle,
    peerAgent: f[12]!,
    peerQueue: f[13]!,
    channel: f[14]!,
    subject: f[15]!,
    dice: [Number(f[16]), Number(f[17]), Number(f[18])],
  };
}

/** What a pool file says it is: k6 refuses any other (an older file of plain objects, say). */
export const POOL_FORMAT = 'offerload-pool/2';

/** The pool file the CLI writes and k6 reads: entries already encoded, so k6's init does no work per entry. */
export interface PoolFile {
  readonly format: typeof POOL_FORMAT;
  readonly seed: number;
  readonly entries: readonly string[];
}

/** A pool as the text of its file. */
export function poolFileText(pool: Pool): string {
  const file: PoolFile = { format: POOL_FORMAT, seed: pool.seed, entries: pool.entries.map(encodeEntry) };
  return JSON.stringify(file);
}

/** The encoded entries of a pool file's text; `name` names the file in the error. */
export function poolFileEntries(text: string, name: string): readonly string[] {
  const file = JSON.parse(text) as Partial<PoolFile> | null;
  if (file?.format !== POOL_FORMAT || !Array.isArray(file.entries)) {
    throw new Error(
      `invalid pool file ${name}: expected format ${POOL_FORMAT} (write it with 'offerload pool' or 'offerload run')`,
    );
  }
  return file.entries;
}

/** Reads a pool file's text back into entries. */
export function readPoolFile(text: string, name: string): Pool {
  return { seed: (JSON.parse(text) as PoolFile).seed, entries: poolFileEntries(text, name).map(decodeEntry) };
}
