/** Types of the Offer Work API request and the fixtures a target exposes. Plain TS, shared by k6 and Node. */

/** Booleans travel as JSON booleans, numbers or strings (true/false, yes/no, 1/0). */
export type ApiBoolean = boolean | number | string;

export interface Assignment {
  agent_sys_id?: string;
  allowed_to_decline?: ApiBoolean;
  display_option?: string;
  enable_auto_assign?: ApiBoolean;
  offered_on?: string;
  timeout?: number;
  after_timeout_presence?: string;
}

export interface Transfer {
  source_queue_id?: string;
  target_id?: string;
  target_type?: string;
  transfer_type?: string;
}

export interface OfferBody {
  assignment?: Assignment;
  queue_id?: string;
  external_segment_id?: string;
  transfer?: Transfer;
}

export interface FixtureAgent {
  readonly sys_id: string;
  readonly name: string;
  readonly presence: string;
}

export interface FixtureQueue {
  readonly sys_id: string;
  readonly name: string;
  readonly external_id: string | null;
}

export interface FixtureDocument {
  readonly sys_id: string;
  readonly table: string;
  readonly number: string;
}

export interface FixturePresence {
  readonly sys_id: string;
  readonly name: string;
  readonly available: boolean;
}

/** A channel an interaction can be created on (the Interaction API's required `channel` sys_id). */
export interface FixtureChannel {
  readonly sys_id: string;
  readonly name: string;
}

/** What a target holds that a run needs: who can be offered what, from which queues. */
export interface Fixtures {
  /** channels for the Interaction API; absent when the source does not know them (then a name is sent) */
  readonly channels?: readonly FixtureChannel[];
  readonly agents: readonly FixtureAgent[];
  readonly queues: readonly FixtureQueue[];
  readonly documents: readonly FixtureDocument[];
  readonly presence_states: readonly FixturePresence[];
}

/** Offer Work path; `apiVersion` (e.g. "v1") selects the versioned form. */
export function offerPath(table: string, sysId: string, apiVersion?: string): string {
  const version = apiVersion ? `/${apiVersion}` : '';
  return `/api/now${version}/awa/documents/${table}/${sysId}/offer`;
}
