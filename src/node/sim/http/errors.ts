/**
 * The simulator's own error replies, in one table like the message catalogue: what the platform's HTTP layer
 * answers before an API decides (a body too large, a method a path does not take, a body it cannot read, AWA
 * switched off, a rate limit, a full semaphore queue), and what the simulator's own routes and faults answer.
 * Each has its status, the outcome /sim/stats counts it under and its message; the detail is the request's.
 * The documented messages stay in src/shared/messages.ts.
 */
import type { Outcome } from '../../../shared/outcome.js';
import type { SimConfig } from '../config.js';
import { failure, plainError, type Reply } from '../respond.js';

interface SimError {
  readonly status: number;
  readonly outcome: Outcome;
  readonly message: string;
  /** answered in the API's configured failure envelope (faults), rather than the platform's error envelope */
  readonly configuredEnvelope?: boolean;
}

export const SIM_ERRORS = {
  body_too_large: { status: 413, outcome: 'bad_request', message: 'Request Entity Too Large' },
  method_not_allowed: { status: 405, outcome: 'bad_request', message: 'Method not Supported' },
  unsupported_media_type: { status: 415, outcome: 'bad_request', message: 'Unsupported Media Type' },
  unreadable_body: { status: 400, outcome: 'bad_request', message: 'Request body could not be parsed' },
  // the 403's body is unconfirmed: the platform error envelope naming the property
  awa_disabled: { status: 403, outcome: 'forbidden', message: 'Forbidden' },
  rate_limited: { status: 429, outcome: 'rate_limited', message: 'Rate limit exceeded' },
  semaphore_full: { status: 429, outcome: 'rate_limited', message: 'Too Many Requests' },
  injected_fault: { status: 500, outcome: 'server_error', message: 'Internal Server Error', configuredEnvelope: true },
  simulator_error: { status: 500, outcome: 'server_error', message: 'Simulator error' },
  no_sim_route: { status: 404, outcome: 'not_found', message: 'Not Found' },
  sim_method_not_allowed: { status: 405, outcome: 'not_found', message: 'Method not Supported' },
} as const satisfies Record<string, SimError>;

export type SimErrorCode = keyof typeof SIM_ERRORS;

/** The reply for one of the simulator's own errors, with the request's detail. */
export function simError(code: SimErrorCode, detail: string | null, config?: SimConfig): Reply {
  const e: SimError = SIM_ERRORS[code];
  return e.configuredEnvelope && config
    ? failure(config, e.status, e.outcome, e.message, detail)
    : plainError(e.status, e.outcome, e.message, detail);
}
