/** One row of the message catalogue, and the classes outcomes fall into. */

export type OutcomeClass =
  | 'success'
  | 'conflict'
  | 'validation'
  | 'auth'
  | 'not_found'
  | 'rate_limited'
  | 'server_error'
  | 'bad_request'
  | 'network';

export interface MessageEntry {
  /** outcome code, used as the `outcome` tag value */
  readonly outcome: string;
  readonly outcomeClass: OutcomeClass;
  /** default HTTP status the simulator answers with */
  readonly status: number;
  /** exact message text; `{name}` placeholders are substituted */
  readonly template: string;
  /** what the outcome means, for reports and docs */
  readonly meaning: string;
}

export const entry = (
  outcome: string,
  outcomeClass: OutcomeClass,
  status: number,
  template: string,
  meaning: string,
): MessageEntry => ({ outcome, outcomeClass, status, template, meaning });
