/**
 * The simulator's HTTP server: `createSimulator` builds it (state and request pipeline, see pipeline.ts) without
 * listening; `listen` binds it to loopback, starts its ticker and its InfluxDB reporter, and `close` stops all
 * three. `startSimulator` does both.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopbackHost } from '../../net.js';
import type { Capacity } from '../platform/capacity.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { DEFAULT_SIM_CONFIG, type FaultSettings, type SimConfig } from '../config.js';
import type { Engine } from '../platform/engine.js';
import type { Footprints } from '../platform/footprint.js';
import { Pipeline } from './pipeline.js';
import { startReporter } from './reporter.js';
import type { Sessions } from '../platform/sessions.js';
import { SimState } from './sim-state.js';
import type { Stats } from '../stats.js';

export interface Simulator {
  readonly url: string;
  readonly config: SimConfig;
  /** the current engine (replaced by a reset) */
  readonly engine: Engine;
  readonly stats: Stats;
  /** what each run left open (interactions, work items, presence) */
  readonly footprints: Footprints;
  readonly capacity: Capacity;
  /** the current sessions (replaced by a reset) */
  readonly sessions: Sessions;
  faults: FaultSettings;
  close(): Promise<void>;
}

/** A simulator built and not yet listening: its state and pipeline, for tests that drive it directly. */
export interface UnstartedSimulator {
  readonly state: SimState;
  readonly pipeline: Pipeline;
  /** Binds to the configured loopback host and port; resolves once it listens. */
  listen(): Promise<Simulator>;
}

/** How often timed events (agents, expiries, presence) and session expiry run between requests, ms. */
const TICK_MS = 100;

/** Builds the simulator; refuses a host off loopback unless `listenAnywhere` (the compose stack's container). */
export function createSimulator(
  config: SimConfig = DEFAULT_SIM_CONFIG,
  clock: Clock = systemClock,
  opts: { listenAnywhere?: boolean } = {},
): UnstartedSimulator {
  if (!isLoopbackHost(config.host) && !opts.listenAnywhere)
    throw new Error(`invalid --host: expected a loopback address (127.0.0.0/8 or ::1), got "${config.host}"`);
  // an instance whose clock runs ahead of (or behind) real time
  const offset = config.platform.clockOffsetMs;
  const state = new SimState(
    config,
    offset !== 0 && clock === systemClock ? { now: () => Date.now() + offset } : clock,
  );
  const pipeline = new Pipeline(state);
  return { state, pipeline, listen: () => listen(state, pipeline) };
}

async function listen(state: SimState, pipeline: Pipeline): Promise<Simulator> {
  const config = state.config;
  const server = createServer(pipeline.handle);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const ticker = setInterval(() => {
    state.engine().tick();
    state.sessions().sweep(Date.now());
  }, TICK_MS);
  ticker.unref();
  const { port } = server.address() as AddressInfo;
  const stopReporter = config.influx.url
    ? startReporter(config.influx, `${config.host}:${port}`, state, (m) =>
        process.stderr.write(`offerload sim: ${m}\n`),
      )
    : () => {};
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    config,
    get engine() {
      return state.engine();
    },
    stats: state.stats,
    footprints: state.footprints,
    capacity: state.capacity,
    get sessions() {
      return state.sessions();
    },
    get faults() {
      return state.faults;
    },
    set faults(f: FaultSettings) {
      state.faults = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(ticker);
        stopReporter();
        for (const r of pipeline.stalled) r.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Builds the simulator and listens; resolves once it does. */
export async function startSimulator(
  config: SimConfig = DEFAULT_SIM_CONFIG,
  clock: Clock = systemClock,
  opts: { listenAnywhere?: boolean } = {},
): Promise<Simulator> {
  return createSimulator(config, clock, opts).listen();
}
