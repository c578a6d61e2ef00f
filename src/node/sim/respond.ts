/**
 * Response rendering: the success body, the two failure envelopes, the quota's and the busy session's answers,
 * and JSON or XML by Accept. Catalogued failures take their text from the message catalogue through here.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { CATALOGUE, formatMessage } from '../../shared/messages.js';
import type { Outcome } from '../../shared/outcome.js';
import type { SimConfig } from './config.js';
import type { Refusal } from './platform/offer.js';

export interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** the body as text instead of `body`: what no serialiser would write (a cut-off body, none at all) */
  readonly raw?: string;
  /** how the simulator counts this answer: the same codes the classifier gives */
  readonly outcome: Outcome;
  readonly headers?: Record<string, string | string[]>;
}

/** A failure reply in the configured envelope. */
export function failure(
  config: SimConfig,
  status: number,
  outcome: Outcome,
  message: string,
  detail: string | null,
): Reply {
  const body =
    config.envelope === 'error'
      ? { error: { message, detail }, status: 'failure' }
      : { result: { success: false, message, detail } };
  return { status, body, outcome };
}

/** The reply for a refusal: catalogue message and status (validation status per config). */
export function refusalReply(config: SimConfig, refusal: Refusal): Reply {
  if (refusal.kind === 'bad_request') return failure(config, 400, 'bad_request', refusal.message, refusal.detail);
  const entry = CATALOGUE[refusal.code];
  const status = entry.outcomeClass === 'validation' ? config.validationStatus : entry.status;
  return failure(config, status, refusal.code, formatMessage(refusal.code, refusal.values), refusal.detail);
}

/** The platform's own errors, by outcome: 401 without auth, 404 for unknown paths. */
export const PLATFORM_DETAILS = {
  unauthorized: 'Required to provide Auth information',
  not_found: "Record doesn't exist or ACL restricts the record retrieval",
} as const;

export function platformReply(config: SimConfig, code: keyof typeof PLATFORM_DETAILS): Reply {
  // The platform always uses its error envelope for these, whatever the API's own style.
  const entry = CATALOGUE[code];
  return { ...failure({ ...config, envelope: 'error' }, entry.status, code, entry.template, PLATFORM_DETAILS[code]) };
}

export function plainError(status: number, outcome: Outcome, message: string, detail: string | null): Reply {
  return { status, body: { error: { message, detail }, status: 'failure' }, outcome };
}

const xml = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: false, format: false });

/** Chooses JSON or XML by the Accept header; anything else falls back to JSON, as the platform does. */
export function wantsXml(accept: string | undefined): boolean {
  if (!accept || accept === 'application/json') return false;
  for (const part of accept.split(',')) {
    const type = part.split(';')[0]!.trim().toLowerCase();
    if (type === 'application/json' || type === '*/*') return false;
    if (type === 'application/xml' || type === 'text/xml') return true;
  }
  return false;
}

const CANCELLED = CATALOGUE.transaction_cancelled.template;
/** neighbour-apis.md §6, exact */
const CANCELLED_DETAIL = `${CANCELLED} Check logs for error trace or enable glide.rest.debug property to verify REST request processing`;
const CANCELLED_ERROR = JSON.stringify({
  error: { message: CANCELLED, detail: CANCELLED_DETAIL },
  status: 'failure',
}).slice(1);

/** The quota's answers: a transaction cut off while running (200, the error appended to a cut-off body) or still queued (500). */
export function quotaCancelled(stage: 'running' | 'queued'): Reply {
  if (stage === 'queued') return plainError(500, 'transaction_cancelled', CANCELLED, CANCELLED_DETAIL);
  return { status: 200, body: {}, raw: `{"result":{,${CANCELLED_ERROR}`, outcome: 'transaction_cancelled' };
}

/** A request past its session's max waiters: ignored, HTTP 202 (the body is unconfirmed: none). */
export function sessionBusy(): Reply {
  return { status: 202, body: {}, raw: '', outcome: 'session_busy' };
}

/** Serialises a reply body. */
export function render(reply: Reply, accept: string | undefined): { contentType: string; text: string } {
  if (reply.raw !== undefined) return { contentType: 'application/json', text: reply.raw };
  if (wantsXml(accept)) {
    const nulls = JSON.parse(JSON.stringify(reply.body, (_, v: unknown) => (v === null ? '' : v))) as Record<
      string,
      unknown
    >;
    return {
      contentType: 'application/xml',
      text: `<?xml version="1.0" encoding="UTF-8"?>${xml.build({ response: nulls }) as string}`,
    };
  }
  return { contentType: 'application/json', text: JSON.stringify(reply.body) };
}
