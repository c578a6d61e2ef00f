/**
 * The simulator's own per-second measurements, written to InfluxDB (measurement `offerload_sim`) so a
 * dashboard can put the target's queue depth, slots, work item states and agents beside k6's latency.
 */
import { backgroundWriter } from '../../influx/writer.js';
import type { InfluxTarget } from '../../influx/connection.js';
import { MEASUREMENTS } from '../../../shared/measurements.js';
import type { Capacity } from '../platform/capacity.js';
import type { Engine } from '../platform/engine.js';
import type { Sessions } from '../platform/sessions.js';
import type { Stats } from '../stats.js';

export const SIM_MEASUREMENT = MEASUREMENTS.sim;

export interface ReporterSources {
  engine(): Engine;
  sessions(): Sessions;
  readonly stats: Stats;
  readonly capacity: Capacity;
}

/** One point's fields: gauges now and running totals. */
export function simFields(s: ReporterSources): Record<string, number> {
  const engine = s.engine();
  const active = engine.items.activeByState();
  const presence: Record<string, number> = { Available: 0, Away: 0, Offline: 0 };
  for (const a of engine.world.agents.values()) {
    const name = engine.world.presence.get(a.presence)?.name;
    if (name && name in presence) presence[name]!++;
  }
  const c = engine.items.counts;
  const sessions = s.sessions();
  const g = sessions.gauges();
  return {
    sessions_active: g.active,
    session_waiters: g.waiters,
    session_memory_mb: g.memory_mb,
    sessions_created_total: sessions.counts.created,
    sessions_expired_total: sessions.counts.expired + sessions.counts.evicted,
    session_busy_total: sessions.counts.busy,
    cancelled_running_total: s.capacity.counts.cancelledRunning,
    in_flight: s.stats.inFlight,
    queue_depth: s.capacity.queueDepth(),
    busy_slots: s.capacity.busySlots(),
    served_total: s.capacity.counts.served,
    queue_full_total: s.capacity.counts.queueFull,
    cancelled_total: s.capacity.counts.cancelled,
    wi_queued: active.queued,
    wi_pending_accept: active.pending_accept,
    wi_accepted: active.accepted,
    offered_total: c.offered,
    accepted_total: c.accepted,
    rejected_total: c.rejected,
    expired_total: c.expired,
    completed_total: c.completed,
    agents_available: presence.Available!,
    agents_away: presence.Away!,
    agents_offline: presence.Offline!,
  };
}

/**
 * Writes a point every `everyMs` (default 1 s) until stopped, through the official client (writer.ts: batched,
 * retried, credentials, CA file and path prefix as the target says); a lost write is reported once.
 */
export function startReporter(
  influx: InfluxTarget,
  label: string,
  sources: ReporterSources,
  warn: (m: string) => void,
  everyMs = 1000,
): () => void {
  const writer = backgroundWriter(influx, 'simulator measurements', warn, {
    flushIntervalMs: everyMs,
    timeoutMs: Math.max(500, everyMs * 2),
  });
  const timer = setInterval(() => {
    writer.write([
      { measurement: SIM_MEASUREMENT, tags: { sim: label }, fields: simFields(sources), timestamp: new Date() },
    ]);
  }, everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    void writer.close();
  };
}
