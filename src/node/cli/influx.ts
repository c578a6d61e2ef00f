/** `offerload influx start|stop|status`: the project-local InfluxDB. */
import { UsageError } from '../errors.js';
import { defaultInfluxOptions, influxStatus, startInflux, stopInflux } from '../influx/server.js';
import type { Io } from '../io.js';
import { setupSchema } from '../influx/schema.js';
import { DEFAULT_DATABASE } from '../influx/connection.js';
import { analysisTargets, WHERE_RUNS_ARE } from './analysis-flags.js';
import { flagsHelp, parserOptions } from '../flag-table.js';
import * as flag from './flags.js';

/** setup's flags: where the InfluxDB is, as the analysis commands name it (results folders aside). */
const SETUP_FLAGS = WHERE_RUNS_ARE.filter((f) => f.name !== 'results');
const SETUP_OPTIONS = parserOptions(SETUP_FLAGS);

export const INFLUX_HELP = `usage: offerload influx start|stop|status
       offerload influx setup [--influx URL] [--influx-db NAME] [--config FILE] [--insecure-skip-tls-verify]

Manages the project-local InfluxDB 1.8.10 (built with Go into .tools/bin when missing, by
scripts/install-influxd.sh) on 127.0.0.1, port 8086 or OFFERLOAD_INFLUX_PORT, with its data under .state/,
Flux and the v2 compatibility API enabled. Stop only ever stops the influxd this
project started. setup creates the database (OFFERLOAD_INFLUX_DB, default offerload), its retention policies
(raw: 30 days, the default k6 writes to; long: forever) and the continuous queries that roll soak data up
by the minute; runs do the same on their own. With --influx (or the config file's influx section) setup
prepares that server instead, with the credentials the environment or the config names (1.x needs an admin
user for it; 2.x and 3.x take no DDL, so setup only checks the database is there).

setup options:
${flagsHelp(SETUP_FLAGS)}`;

const ACTIONS: Record<string, (io: Io, rest: readonly string[]) => Promise<number>> = {
  start: async (io) => {
    const o = defaultInfluxOptions(io.env);
    const r = await startInflux(o);
    io.out(
      `${r.started ? 'started' : 'already running'}: InfluxDB at http://127.0.0.1:${o.port} (pid ${r.pid}, data in ${o.dir})`,
    );
    return 0;
  },
  stop: async (io) => {
    const o = defaultInfluxOptions(io.env);
    io.out(
      (await stopInflux(o))
        ? `stopped the InfluxDB on port ${o.port}`
        : `no InfluxDB started by offerload runs on port ${o.port}`,
    );
    return 0;
  },
  setup: async (io, rest) => {
    const { values: v } = flag.parseFlags('influx setup', rest, SETUP_OPTIONS);
    const { influx } = analysisTargets(
      { ...v, 'influx-db': v['influx-db'] ?? (io.env.OFFERLOAD_INFLUX_DB || DEFAULT_DATABASE) },
      io,
    );
    // the local InfluxDB unless a URL was given (flag or config file)
    if (v.influx === undefined && influx.url === `http://127.0.0.1:${defaultInfluxOptions(io.env).port}`)
      await startInflux(defaultInfluxOptions(io.env));
    const { created, server } = await setupSchema(influx);
    io.out(
      `${server} at ${influx.url}, database ${influx.database}: ${created.length === 0 ? 'already set up' : `created ${created.join(', ')}`}`,
    );
    return 0;
  },
  status: async (io) => {
    const s = await influxStatus(defaultInfluxOptions(io.env));
    io.out(s.running ? `running: ${s.url} (pid ${s.pid}, data in ${s.dir})` : `not running (${s.url})`);
    return s.running ? 0 : 3;
  },
};

export async function influxCommand(argv: readonly string[], io: Io): Promise<number> {
  const [action] = argv;
  if (action === undefined || action === '--help' || action === '-h') {
    io.out(INFLUX_HELP);
    return action === undefined ? 2 : 0;
  }
  const run = ACTIONS[action];
  if (!run || (argv.length > 1 && action !== 'setup'))
    throw new UsageError(
      `invalid influx action: expected one of ${Object.keys(ACTIONS).join(', ')}, got "${argv.join(' ')}"`,
    );
  return run(io, argv.slice(1));
}
