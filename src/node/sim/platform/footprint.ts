/**
 * What each run (testid header) left on the simulator: the interactions it created that are still open, its
 * work items still active (found by the testid its offers carry in external_segment_id, as a Table API query
 * on an instance would), and the agents whose presence it changed and did not put back. `/sim/stats?testid=`
 * reports it, so a test sees that `offerload cleanup` left the simulator as the run found it.
 */
import { runSegment } from '../../../shared/run-records.js';
import type { Engine } from './engine.js';
import { documentKey } from './fixtures.js';
import type { WorkItemState } from './work-items.js';

export interface RunFootprint {
  /** interactions the run created that are still active */
  readonly interactions_open: number;
  /** the run's active work items by state */
  readonly work_items_open: Readonly<Record<Exclude<WorkItemState, 'canceled'>, number>>;
  /** agents whose presence the run changed and that are not back in the state the run first found */
  readonly agents_changed: number;
}

export class Footprints {
  /** testid -> interactions it created (sys_ids) */
  private readonly interactions = new Map<string, Set<string>>();
  /** testid -> agent -> presence state before the run first changed it */
  private readonly presenceBefore = new Map<string, Map<string, string>>();

  /** Notes an interaction a run created. */
  noteInteraction(testid: string | undefined, sysId: string): void {
    if (!testid) return;
    let set = this.interactions.get(testid);
    if (!set) this.interactions.set(testid, (set = new Set()));
    set.add(sysId);
  }

  /** Notes an agent's presence before a run's PUT changes it (only the first change of the run counts). */
  notePresence(testid: string | undefined, agent: string, presence: string | undefined): void {
    if (!testid || presence === undefined) return;
    let before = this.presenceBefore.get(testid);
    if (!before) this.presenceBefore.set(testid, (before = new Map()));
    if (!before.has(agent)) before.set(agent, presence);
  }

  /** What run `testid` left open on `engine`. */
  of(engine: Engine, testid: string): RunFootprint {
    const created = this.interactions.get(testid) ?? new Set<string>();
    let interactions = 0;
    for (const id of created) if (engine.world.documents.get(documentKey('interaction', id))?.active) interactions++;
    const prefix = runSegment(testid, '');
    const open = { queued: 0, pending_accept: 0, accepted: 0 };
    for (const index of [engine.items.activeByDocument, engine.items.consultByDocument]) {
      for (const item of index.values()) {
        if (item.state === 'canceled') continue;
        const ours =
          item.external_segment_id?.startsWith(prefix) ||
          (item.document_table === 'interaction' && created.has(item.document_id));
        if (ours) open[item.state]++;
      }
    }
    let agents = 0;
    for (const [agent, presence] of this.presenceBefore.get(testid) ?? [])
      if (engine.world.agents.get(agent)?.presence !== presence) agents++;
    return { interactions_open: interactions, work_items_open: open, agents_changed: agents };
  }

  reset(): void {
    this.interactions.clear();
    this.presenceBefore.clear();
  }
}
