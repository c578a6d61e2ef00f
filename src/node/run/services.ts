/**
 * Run step 1, services: InfluxDB (the local one started when asked, or the user's, pinged) with its schema,
 * and the embedded simulator when there is no --target. Returns what it started and how to stop it.
 */
import { SCENARIOS } from '../../shared/scenarios.js';
import { EnvironmentError } from '../errors.js';
import { defaultInfluxOptions, influxUrl, startInflux, stopInflux } from '../influx/server.js';
import { setupSchema } from '../influx/schema.js';
import { ping } from '../influx/client.js';
import type { InfluxTarget } from '../influx/connection.js';
import type { Io } from '../io.js';
import { integrationUserFromEnv, type SimConfig } from '../sim/config.js';
import { loadSimConfig } from '../sim/settings.js';
import { startSimulator, type Simulator } from '../sim/http/server.js';
import { documentsNeeded } from './inputs.js';
import type { RunOptions } from './plan.js';

export interface Services {
  readonly influx: InfluxTarget | undefined;
  readonly sim: Simulator | undefined;
  /** the target's base URL: --target's, or the embedded simulator's */
  readonly targetUrl: string;
  /** Stops what this run started: the simulator always, the local InfluxDB only when the run was interrupted. */
  stop(interrupted: boolean): Promise<void>;
}

/** The embedded simulator's settings (the plan read --sim-config), with the run's integration user. */
function simSettings(fromPlan: SimConfig | undefined, env: NodeJS.ProcessEnv): SimConfig {
  const base = fromPlan ?? loadSimConfig({});
  const user = integrationUserFromEnv(env);
  return user ? { ...base, users: [...base.users, user] } : base;
}

async function startInfluxFor(
  opts: RunOptions,
  io: Io,
): Promise<{ influx: InfluxTarget | undefined; started: ReturnType<typeof defaultInfluxOptions> | undefined }> {
  const info = SCENARIOS[opts.scenario]!;
  let started: ReturnType<typeof defaultInfluxOptions> | undefined;
  try {
    let influx: InfluxTarget | undefined;
    if (opts.influx === 'local') {
      const local = defaultInfluxOptions(io.env);
      io.phase(`starting InfluxDB on ${influxUrl(local)}`);
      if ((await startInflux(local)).started) started = local;
      influx = { url: influxUrl(local), database: opts.influxDb };
    } else if (opts.influx) {
      const res = await ping(opts.influx).catch((e: Error) => e);
      if (res instanceof Error || !res.ok) {
        throw new EnvironmentError(
          `InfluxDB at ${opts.influx.url} does not answer /ping (${res instanceof Error ? res.message : `status ${res.status}`}): start it, run with --no-influx, or allow local results only with --influx-optional`,
        );
      }
      influx = opts.influx;
    }
    if (influx) io.phase(`InfluxDB: ${(await setupSchema(influx)).server}`);
    return { influx, started };
  } catch (e) {
    if (!opts.influxOptional || info.summaryFromInflux) {
      if (started) await stopInflux(started);
      throw e;
    }
    io.phase(
      `InfluxDB is not available (${(e as Error).message}); running with local results only (--influx-optional)`,
    );
    return { influx: undefined, started };
  }
}

export async function startServices(
  opts: RunOptions,
  creds: Readonly<Record<string, string>>,
  io: Io,
): Promise<Services> {
  const { influx, started } = await startInfluxFor(opts, io);
  let sim: Simulator | undefined;
  try {
    if (!opts.target) {
      io.phase('starting the simulator');
      const configured = simSettings(opts.simConfig, { ...io.env, ...creds });
      // the embedded simulator gets enough documents for a fresh one per planned offer
      const needed =
        Math.ceil((documentsNeeded(opts) * 1.02) / Math.max(0.05, 1 - configured.fixtures.inactiveDocumentShare)) + 50;
      const documents =
        needed > configured.fixtures.documents
          ? { ...configured, fixtures: { ...configured.fixtures, documents: needed } }
          : configured;
      // a scenario that plans contacts moves the agents itself: the simulator's own agents answer nothing
      const settings = SCENARIOS[opts.scenario]!.plansContacts
        ? { ...documents, agents: { ...documents.agents, mode: 'external' as const } }
        : documents;
      // the embedded simulator reports its own state beside k6's, unless its config says where else
      const withInflux = influx && !settings.influx.url ? { ...settings, influx } : settings;
      sim = await startSimulator(withInflux);
    }
  } catch (e) {
    if (started) await stopInflux(started);
    throw e;
  }
  return {
    influx,
    sim,
    targetUrl: opts.target ? opts.target.origin + opts.target.pathname.replace(/\/+$/, '') : sim!.url,
    stop: async (interrupted) => {
      await sim?.close();
      // an interrupted run stops what it started, and only that
      if (interrupted && started) await stopInflux(started);
    },
  };
}
