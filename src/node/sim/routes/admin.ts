/** The simulator's own routes (/sim/*): health, fixtures, counts, invariants, reset, fault switches. No auth, not loaded. */
import type { Capacity } from '../platform/capacity.js';
import type { FaultSettings } from '../config.js';
import type { Engine } from '../platform/engine.js';
import { validateFaults } from '../faults.js';
import { publicFixtures } from '../platform/fixtures.js';
import { checkInvariants } from '../platform/invariants.js';
import { plainError } from '../respond.js';
import type { Sessions } from '../platform/sessions.js';
import type { Stats } from '../stats.js';
import type { Footprints } from '../platform/footprint.js';
import { ok, type Route } from './types.js';

export interface AdminState {
  engine(): Engine;
  sessions(): Sessions;
  readonly stats: Stats;
  readonly footprints: Footprints;
  readonly capacity: Capacity;
  faults: FaultSettings;
  reset(): void;
}

/** Agents by presence name. */
function presenceCounts(engine: Engine): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of engine.world.agents.values()) {
    const name = engine.world.presence.get(a.presence)?.name ?? 'Unknown';
    out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}

export function adminRoutes(s: AdminState): Route[] {
  return [
    { name: 'sim', pattern: /^\/sim\/health$/, method: 'GET', handle: () => ok({ status: 'ok' }) },
    { name: 'sim', pattern: /^\/sim\/fixtures$/, method: 'GET', handle: () => ok(publicFixtures(s.engine().world)) },
    {
      name: 'sim',
      pattern: /^\/sim\/stats$/,
      method: 'GET',
      handle: (req) => {
        const engine = s.engine();
        engine.tick();
        const testid = req.query.get('testid') ?? undefined;
        return ok({
          testid: testid ?? null,
          received: s.stats.snapshot(testid),
          ...(testid
            ? {
                generators: s.stats.generators(testid),
                operations: s.stats.operations(testid),
                left_open: s.footprints.of(engine, testid),
              }
            : {}),
          // the simulator's own time per request of the run (setting timing.report), ms
          ...(testid && s.stats.timings.of(testid) ? { sim_ms: s.stats.timings.of(testid) } : {}),
          in_flight: s.stats.inFlight,
          sessions: {
            ...s.sessions().gauges(),
            ...s.sessions().counts,
            ...(testid ? { created_by_run: s.stats.sessionsCreated(testid) } : {}),
          },
          capacity: { queue_depth: s.capacity.queueDepth(), busy_slots: s.capacity.busySlots(), ...s.capacity.counts },
          work_items: {
            ...engine.items.counts,
            by_state: engine.items.byState(),
            active: engine.items.activeByDocument.size,
          },
          agents: presenceCounts(engine),
          faults: s.faults,
        });
      },
    },
    { name: 'sim', pattern: /^\/sim\/invariants$/, method: 'GET', handle: () => ok(checkInvariants(s.engine())) },
    {
      name: 'sim',
      pattern: /^\/sim\/reset$/,
      method: 'POST',
      handle: () => {
        s.reset();
        return ok({ status: 'reset' });
      },
    },
    { name: 'sim', pattern: /^\/sim\/faults$/, method: 'GET', handle: () => ok(s.faults) },
    {
      name: 'sim',
      pattern: /^\/sim\/faults$/,
      method: 'PUT',
      handle: (req) => {
        try {
          s.faults = validateFaults(req.body, s.faults);
          return ok(s.faults);
        } catch (e) {
          return plainError(400, 'bad_request', (e as Error).message, null);
        }
      },
    },
  ];
}
