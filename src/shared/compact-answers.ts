/**
 * The commonest answers recognised from their text, without parsing: in a run most answers are the documented
 * Offer Work success or a documented failure (a conflict), and JSON.parse was the largest single cost of k6's
 * request path (9% of its CPU, profiled with bench/profile-k6.ts). Only the exact compact forms the platform
 * writes qualify:
 *   {"result":{"work_item":{...,"sys_id":"<32 characters>",...},"success":true,"message":"Manual assignment successfully requested."}}
 *   {"error":{"message":"<text>","detail":<null or text>},"status":"failure"}
 *   {"result":{"success":false,"message":"<text>","detail":<null or text>}}
 * with texts holding no quote or escape. Anything else (another key order, spacing, a quota cancel's appended
 * error, a body cut off, XML, a message the catalogue does not know) is not recognised here and goes through
 * the full classification (outcome.ts), so a miss costs a parse and never changes an outcome.
 */
import { MESSAGE_TABLE } from './message-table.js';
import { matchMessage, outcomeClass, type Outcome } from './outcome.js';
import { SUCCESS_SHAPES, type ShapeCheck } from './success-shapes.js';

const SUCCESS_PREFIX = '{"result":{"work_item":{';
const SUCCESS_SUFFIX = `},"success":true,"message":${JSON.stringify(MESSAGE_TABLE.success)}}}`;
const SYS_ID = '"sys_id":"';
const SYS_ID_LENGTH = 32;

/** The failure envelopes: what precedes the message and what closes the body after the detail. */
const FAILURES: readonly { readonly prefix: string; readonly end: string }[] = [
  { prefix: '{"error":{"message":"', end: '},"status":"failure"}' },
  { prefix: '{"result":{"success":false,"message":"', end: '}}' },
];
const DETAIL = ',"detail":';

/** Where the plain string starting at `from` closes (its quote), or -1 when it holds an escape or never closes. */
function plainEnd(body: string, from: number): number {
  const quote = body.indexOf('"', from);
  if (quote < 0) return -1;
  const backslash = body.indexOf('\\', from);
  return backslash >= 0 && backslash < quote ? -1 : quote;
}

/**
 * The work item's sys_id when `body` is the documented Offer Work success in its exact form; undefined otherwise.
 * The first `"sys_id":"` after the prefix is the work item's own: a string value holding those characters would
 * have its quotes escaped, and a nested object before it sends the body to the full classification.
 */
export function documentedOfferSuccess(body: string): string | undefined {
  if (!body.endsWith(SUCCESS_SUFFIX) || !body.startsWith(SUCCESS_PREFIX)) return undefined;
  const at = body.indexOf(SYS_ID, SUCCESS_PREFIX.length);
  if (at < 0) return undefined;
  // a nested object before it (a reference field written as {link, value}) could hold a sys_id of its own
  const nested = body.indexOf('{', SUCCESS_PREFIX.length);
  if (nested >= 0 && nested < at) return undefined;
  const from = at + SYS_ID.length;
  const to = from + SYS_ID_LENGTH;
  if (to > body.length - SUCCESS_SUFFIX.length || plainEnd(body, from) !== to) return undefined;
  return body.slice(from, to);
}

/** The message of a failure in either JSON envelope, written compactly, its detail null, plain text or absent; undefined otherwise. */
export function compactFailureMessage(body: string): string | undefined {
  // index loop: an iterator costs microseconds per loop in k6's JS engine
  for (let i = 0; i < FAILURES.length; i++) {
    const { prefix, end } = FAILURES[i]!;
    if (!body.startsWith(prefix)) continue;
    const close = plainEnd(body, prefix.length);
    if (close < 0) return undefined;
    let at = close + 1;
    if (body.startsWith(DETAIL, at)) {
      at += DETAIL.length;
      if (body.startsWith('null', at)) at += 4;
      else if (body[at] === '"' && (at = plainEnd(body, at + 1)) >= 0) at += 1;
      else return undefined;
    }
    return at + end.length === body.length && body.endsWith(end) ? body.slice(prefix.length, close) : undefined;
  }
  return undefined;
}

export interface CompactOutcome {
  readonly outcome: Outcome;
  /** the work item a documented Offer Work success names */
  readonly workItem: string | undefined;
}

/**
 * The outcome of an answer in one of the compact forms, exactly what the full classification would give it;
 * undefined when the answer must be parsed (outcome.ts decides it). Not for XML (the content type says so) or a
 * 202 (the busy session, decided by status).
 */
export function compactOutcome(status: number, body: string, shape: ShapeCheck): CompactOutcome | undefined {
  if (status === 200 && shape === SUCCESS_SHAPES.offer) {
    const workItem = documentedOfferSuccess(body);
    if (workItem !== undefined) return { outcome: 'success', workItem };
  }
  if (status === 202) return undefined;
  const message = compactFailureMessage(body);
  const code = message === undefined ? undefined : matchMessage(message);
  // a success message in a failure envelope is for the full classification (it answers unexpected)
  return code === undefined || outcomeClass(code) === 'success' ? undefined : { outcome: code, workItem: undefined };
}
