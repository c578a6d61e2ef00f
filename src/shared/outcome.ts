/**
 * Outcome classification: one response becomes exactly one outcome from a fixed set.
 * Exact message text decides first (either envelope, JSON or XML; the message, then the detail); the status
 * decides only when no documented message matches. A 2xx is a success only when its body has the documented
 * success shape of its route (success-shapes.ts): a quota-cancelled 200, a 202 from a busy session and an
 * HTML page answering 200 are not. Runs in k6 and in Node, so it uses no APIs of either.
 */
import type { MessageCode, OutcomeClass } from './messages.js';
import { extractMessage, type ParsedEnvelope } from './envelope.js';
import { MESSAGE_TABLE } from './message-table.js';
import { SUCCESS_SHAPES, type ShapeCheck } from './success-shapes.js';

/** Outcomes that no message names: decided by status or by the transport. */
export const FALLBACK_OUTCOMES = {
  conflict_other: { outcomeClass: 'conflict', meaning: 'a 409 whose message is not documented' },
  forbidden: { outcomeClass: 'auth', meaning: '403 without a documented message' },
  bad_request: { outcomeClass: 'bad_request', meaning: 'another 4xx without a documented message' },
  server_error: { outcomeClass: 'server_error', meaning: '5xx without a documented message' },
  unexpected: {
    outcomeClass: 'bad_request',
    meaning:
      "a 2xx without its route's documented success shape (unreadable, cut off, an HTML page), or any other status",
  },
  timeout: { outcomeClass: 'network', meaning: 'no answer within the request timeout' },
  network_error: { outcomeClass: 'network', meaning: 'connection refused, reset or dropped' },
} as const satisfies Record<string, { outcomeClass: OutcomeClass; meaning: string }>;

export type Outcome = MessageCode | keyof typeof FALLBACK_OUTCOMES;

/** Every outcome code in a stable order (catalogue first), for thresholds, reports and dashboards. */
export const OUTCOMES: readonly Outcome[] = (Object.keys(MESSAGE_TABLE.classes) as Outcome[]).concat(
  Object.keys(FALLBACK_OUTCOMES) as Outcome[],
);

/** Classes that count as a failed answer in error rates and SLOs: everything but a success or a documented conflict. */
const NOT_FAILURES: readonly OutcomeClass[] = ['success', 'conflict'];
/** Classes that show a target drowning (what the watchdog's storm rule counts). */
export const STORM_CLASSES: readonly OutcomeClass[] = ['server_error', 'rate_limited', 'network'];

/** Whether an answer counts as a failure (error rate, SLOs): not a success and not a 409 conflict. The one rule. */
export function isFailure(outcome: Outcome): boolean {
  return !NOT_FAILURES.includes(outcomeClass(outcome));
}

/** Whether an answer is the target drowning: a 5xx, a 429 (or a 202 from a full session), no answer. */
export function isStorm(outcome: Outcome): boolean {
  return STORM_CLASSES.includes(outcomeClass(outcome));
}

/** The outcome classes that are not failures, for queries that must say the same as isFailure. */
export const NON_FAILURE_CLASSES = NOT_FAILURES;

/** The class of an outcome: conflict, validation, auth, ... */
export function outcomeClass(outcome: Outcome): OutcomeClass {
  return hasOwn(MESSAGE_TABLE.classes, outcome)
    ? MESSAGE_TABLE.classes[outcome as MessageCode]
    : FALLBACK_OUTCOMES[outcome as keyof typeof FALLBACK_OUTCOMES].outcomeClass;
}

export interface ResponseLike {
  /** HTTP status; 0 when no response arrived */
  readonly status: number;
  readonly body?: string | null;
  readonly contentType?: string | null;
  /** k6 error code when status is 0 (1050 = request timeout) */
  readonly errorCode?: number;
}

export { templateParts } from './message-table.js';

/** Own keys only: a message's text could be "constructor". */
// biome-ignore lint/suspicious/noPrototypeBuiltins: Object.hasOwn is ES2022, which k6's JavaScript runtime may lack
const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/** Whether `text` is the template with some non-empty value in each placeholder (no regular expressions: cheap per VU). */
function fits(text: string, parts: readonly string[]): boolean {
  if (parts.length === 1) return text === parts[0];
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!text.startsWith(first) || !text.endsWith(last) || text.length <= first.length + last.length) return false;
  let at = first.length + 1;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = text.indexOf(parts[i]!, at);
    if (found < 0) return false;
    at = found + parts[i]!.length + 1;
  }
  return at - 1 <= text.length - last.length;
}

/** The documented message this text is, or undefined. */
export function matchMessage(message: string): MessageCode | undefined {
  const { exact, withValues } = MESSAGE_TABLE;
  if (hasOwn(exact, message)) return exact[message];
  // The published "Timestamp after timeout (<offered_on_timestamp >)" has a stray space; accept it either way.
  const text = message.trim().replace(' )', ')');
  if (hasOwn(exact, text)) return exact[text];
  // index loops, not for-of: in k6's JS engine an iterator costs several microseconds per loop, every response
  for (let i = 0; i < withValues.length; i++) if (fits(text, withValues[i]![0])) return withValues[i]![1];
  return undefined;
}

const TRANSPORT_TIMEOUT_CODES = new Set([1050]);

const BY_STATUS: readonly [(status: number) => boolean, Outcome][] = [
  [(s) => s === 401, 'unauthorized'],
  [(s) => s === 403, 'forbidden'],
  [(s) => s === 404, 'not_found'],
  [(s) => s === 409, 'conflict_other'],
  [(s) => s === 429, 'rate_limited'],
  [(s) => s >= 500, 'server_error'],
  [(s) => s >= 400, 'bad_request'],
];

const CANCELLED = MESSAGE_TABLE.cancelled;

/** Classifies one response into one outcome; `shape` is its route's success shape (default: Offer Work). */
export function classify(res: ResponseLike, shape: ShapeCheck = SUCCESS_SHAPES.offer): Outcome {
  return classifyResponse(res, shape).outcome;
}

/** Classifies one response and hands back its parsed JSON body too (undefined for XML or no JSON). */
export function classifyResponse(
  res: ResponseLike,
  shape: ShapeCheck = SUCCESS_SHAPES.offer,
): { outcome: Outcome; document: any } {
  if (res.status === 0)
    return {
      outcome: TRANSPORT_TIMEOUT_CODES.has(res.errorCode ?? 0) ? 'timeout' : 'network_error',
      document: undefined,
    };
  const body = res.body ?? '';
  const parsed = extractMessage(body, res.contentType ?? '');
  return { outcome: outcomeOf(res.status, parsed, body, shape), document: parsed.document };
}

function byText(parsed: ParsedEnvelope): MessageCode | undefined {
  const byMessage = parsed.message === undefined ? undefined : matchMessage(parsed.message);
  return byMessage ?? (parsed.detail === undefined ? undefined : matchMessage(parsed.detail));
}

/** Whether a 2xx body has the route's success shape: JSON checked by the shape, XML by its result element. */
function hasShape(parsed: ParsedEnvelope, body: string, shape: ShapeCheck): boolean {
  if (parsed.document !== undefined) return shape(parsed.document);
  return parsed.success !== false && body.includes('<result>') && !body.includes('<error>');
}

function outcomeOf(status: number, parsed: ParsedEnvelope, body: string, shape: ShapeCheck): Outcome {
  // no documented API answers 202: it is the session's max waiters (the body is unconfirmed)
  if (status === 202) return 'session_busy';
  const code = byText(parsed);
  if (code && MESSAGE_TABLE.classes[code] === 'success') {
    return status >= 200 && status < 300 && hasShape(parsed, body, shape) ? 'success' : 'unexpected';
  }
  if (code) return code;
  if (status >= 200 && status < 300) {
    // a quota cancel appends its error to a body that may be cut off and no longer parse
    if (body.includes(CANCELLED)) return 'transaction_cancelled';
    return hasShape(parsed, body, shape) ? 'success' : 'unexpected';
  }
  for (let i = 0; i < BY_STATUS.length; i++) if (BY_STATUS[i]![0](status)) return BY_STATUS[i]![1];
  return 'unexpected';
}
