/**
 * The k6 side of the record log: each record a run creates or changes, one console line (run-records.ts
 * words it). `offerload run` points k6's console output at the run's records file, where k6 appends each
 * line as it is logged; without OFFERLOAD_RECORDS nothing is logged.
 */
import { recordLine, type PresenceSnapshot } from '../shared/run-records.js';
import type { RunConfig } from './config.js';

/** Notes an interaction or work item the run created (no-op for an undefined id: the request failed). */
export function noteCreated(cfg: RunConfig, kind: 'interaction' | 'work_item', sysId: string | undefined): void {
  if (cfg.records && sysId) console.log(recordLine({ kind, sys_id: sysId }));
}

/** Notes an agent's presence before the run changes it. */
export function notePresence(cfg: RunConfig, agent: string, previous: PresenceSnapshot): void {
  if (cfg.records) console.log(recordLine({ kind: 'presence', agent, previous }));
}
