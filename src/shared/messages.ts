/**
 * The message catalogue: every response message the Offer Work API and the platform around it document,
 * with the outcome it stands for, its default HTTP status and the class of failure it belongs to.
 * The simulator answers from this table and the classifier reads it back, so the two cannot drift apart.
 * Messages are quoted exactly from ../shared/reference; `{name}` marks a substituted value.
 */
import { entry, type MessageEntry } from './message-entry.js';
import { NEIGHBOUR_MESSAGES } from './neighbour-messages.js';

export type { MessageEntry, OutcomeClass } from './message-entry.js';

/** Messages of the Offer Work API (awa-offer-work-api.md, "Response messages"). */
export const OFFER_MESSAGES = {
  success: entry('success', 'success', 200, 'Manual assignment successfully requested.', 'the offer was placed'),
  caller_role: entry(
    'caller_role',
    'auth',
    403,
    'Caller {caller} does not have the awa_manager or awa_integration_user role',
    'the API caller lacks both integration roles',
  ),
  accepted_work_item: entry(
    'accepted_work_item',
    'conflict',
    409,
    'Work Item accepted can not be assigned',
    "the document's work item is already accepted by an agent",
  ),
  invalid_agent: entry(
    'invalid_agent',
    'conflict',
    409,
    '{agent} is not a valid agent',
    'the agent lacks the awa_agent role',
  ),
  blind_transfer_failed: entry(
    'blind_transfer_failed',
    'conflict',
    409,
    "Transfer failed - couldn't blind transfer to agent",
    'blind transfer target agent is not Available',
  ),
  already_assigned: entry(
    'already_assigned',
    'conflict',
    409,
    'Work Item is already assigned to {agent}',
    'the work item is assigned to another agent',
  ),
  agent_unavailable: entry(
    'agent_unavailable',
    'conflict',
    409,
    'Agent is not available',
    "the agent's presence is not available",
  ),
  negative_timeout: entry('negative_timeout', 'validation', 400, 'Timeout value cannot be negative', 'timeout < 0'),
  invalid_presence_state: entry(
    'invalid_presence_state',
    'validation',
    400,
    '{presence} is not a valid presence state',
    'after_timeout_presence is not an awa_presence_state',
  ),
  offered_on_format: entry(
    'offered_on_format',
    'validation',
    400,
    "Offered time ({offered_on}) must be in the following format: yyyy-MM-dd'T'HH:mm:ss.SSS",
    'offered_on is not yyyy-MM-ddTHH:mm:ss.SSS',
  ),
  offered_on_future: entry(
    'offered_on_future',
    'validation',
    400,
    'Offered time ({offered_on}) must be before the current time, otherwise agent will have more time to accept the work item',
    'offered_on is later than the time the request is processed',
  ),
  offered_on_expired: entry(
    'offered_on_expired',
    'validation',
    400,
    'Timestamp after timeout ({offered_on}) must be after the current time, otherwise agent has no time to accept the work item',
    'offered_on + timeout is already past',
  ),
  invalid_display_option: entry(
    'invalid_display_option',
    'validation',
    400,
    '{display_option} is not a valid display option',
    'display_option is not card_only or card_and_tab',
  ),
  invalid_boolean: entry(
    'invalid_boolean',
    'validation',
    400,
    '{value} is not a valid boolean value',
    'a boolean field is not true/false, yes/no or 1/0',
  ),
  missing_external_user_role: entry(
    'missing_external_user_role',
    'conflict',
    409,
    "The user does not have the 'awa_external_user' role",
    'the agent lacks the awa_external_user role',
  ),
  document_inactive: entry(
    'document_inactive',
    'conflict',
    409,
    'Document is not active',
    'the document is closed or inactive',
  ),
} as const satisfies Record<string, MessageEntry>;

/** Platform-wide messages (platform-behaviour.md, "Error bodies" and "Limits that shape capacity"). */
export const PLATFORM_MESSAGES = {
  unauthorized: entry('unauthorized', 'auth', 401, 'User Not Authenticated', 'credentials missing or wrong'),
  rate_limited: entry(
    'rate_limited',
    'rate_limited',
    429,
    'Rate limit exceeded',
    'a rate-limit rule or the worker queue refused the request',
  ),
  not_found: entry('not_found', 'not_found', 404, 'No Record found', 'the document, queue or route does not exist'),
  // neighbour-apis.md §6: cancelled while running answers 200 with this error appended to a possibly cut-off
  // body; cancelled while still queued answers 500 (body unconfirmed: the simulator sends the same error)
  transaction_cancelled: entry(
    'transaction_cancelled',
    'server_error',
    200,
    'Transaction cancelled: maximum execution time exceeded',
    'the transaction quota cancelled the request (200 with the error appended when it was running, 500 when queued)',
  ),
  // neighbour-apis.md §6: past com.glide.request.max_waiters the request is ignored and answers 202; its body is
  // unconfirmed (the simulator sends none), so the classifier decides it by status
  session_busy: entry(
    'session_busy',
    'rate_limited',
    202,
    '',
    'the session already had max waiters queued: the request was ignored, not run (202)',
  ),
} as const satisfies Record<string, MessageEntry>;

export type OfferMessageCode = keyof typeof OFFER_MESSAGES;
export type NeighbourMessageCode = keyof typeof NEIGHBOUR_MESSAGES;
export type PlatformMessageCode = keyof typeof PLATFORM_MESSAGES;
export type MessageCode = OfferMessageCode | PlatformMessageCode | NeighbourMessageCode;

export const CATALOGUE: Readonly<Record<MessageCode, MessageEntry>> = {
  ...OFFER_MESSAGES,
  ...PLATFORM_MESSAGES,
  ...NEIGHBOUR_MESSAGES,
};

/** Fills a template's `{name}` placeholders; a missing value is an error in the caller, so it throws. */
export function formatMessage(code: MessageCode, values: Readonly<Record<string, string>> = {}): string {
  return CATALOGUE[code].template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`message ${code} needs a value for {${name}}`);
    return value;
  });
}
