/** `offerload sim`: the simulator as a process, printing its base URL on the first line. */
import { UsageError, withFlag } from '../errors.js';
import { loadSimConfig, SETTINGS, settingsHelp } from '../sim/settings.js';
import { startSimulator } from '../sim/http/server.js';
import { parseFlags } from './flags.js';
import { isLoopbackHost } from '../net.js';
import type { Io } from '../io.js';

export const SIM_HELP = `usage: offerload sim [--config FILE] [--<setting> VALUE ...]

Serves a simulated Offer Work API on loopback and prints its base URL on the first line.
Settings come from flags, then the config file (JSON with the same keys nested), then the defaults.
The integration user comes from OFFERLOAD_USERNAME/OFFERLOAD_PASSWORD or OFFERLOAD_TOKEN.

Routes, as published (../shared/reference): POST /api/now[/{v}]/awa/documents/{table}/{sys_id}/offer
(assignments and transfers); POST /api/now[/{v}]/interaction and .../interaction/{id}/close;
GET|PUT /api/now[/{v}]/awa/agents/{id}, .../presence_states, GET|PUT .../capacities;
POST /api/now/awa/inbox/actions/accept|reject, GET .../reject_reasons/{channel}; PUT /api/now/awa/consult/end;
GET /api/now/table/{table}[/{id}] (encoded queries, reference links, display values, paging); and the
simulator's own: GET /sim/health, /sim/fixtures, /sim/stats[?testid=], /sim/invariants, POST /sim/reset,
GET|PUT /sim/faults. Every authenticated request runs in a session (JSESSIONID and the node cookie).

Settings marked "unconfirmed" stand in for behaviour the platform's documentation does not state; their
defaults are the likeliest reading.

settings:
  --config FILE                          JSON config file
${settingsHelp()}`;

const OPTIONS = Object.fromEntries([
  ['config', { type: 'string' as const }],
  ...SETTINGS.map((s) => [s.key, { type: 'string' as const }]),
]);

export async function simCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(SIM_HELP);
    return 0;
  }
  const { values } = parseFlags('sim', argv, OPTIONS);
  const { config: file, ...flags } = values as Record<string, string | undefined>;
  const config = withFlag('--config', file, () =>
    loadSimConfig({
      file,
      flags: Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) as Record<string, string>,
      env: io.env,
    }),
  );
  // In a container the simulator must listen on the compose network; elsewhere it stays on loopback.
  const listenAnywhere = io.env.OFFERLOAD_SIM_LISTEN_ANY === '1';
  if (!listenAnywhere && !isLoopbackHost(config.host))
    throw new UsageError(`invalid --host: expected a loopback address (127.0.0.0/8 or ::1), got "${config.host}"`);
  const sim = await startSimulator(config, undefined, { listenAnywhere });
  io.out(sim.url);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await sim.close();
  return 0;
}
