/** `offerload sim`: the simulator as a process, printing its base URL on the first line. */
import { startSimulator } from '../sim/server.js';
import * as flag from './flags.js';
import { parseFlags } from './flags.js';
import type { Io } from './io.js';

export const SIM_HELP = `usage: offerload sim [--port N] [--host ADDR] [--seed N] [--envelope error|result] [--validation-status 400|500]

Serves a simulated Offer Work API on loopback and prints its base URL on the first line.
  --port N                 port (0, the default, picks a free one)
  --host ADDR              loopback address to listen on (default 127.0.0.1)
  --seed N                 seed for fixtures and every random draw (default 1)
  --envelope STYLE         failure bodies: error (platform error envelope, default) or result
  --validation-status S    status of validation failures: 400 (default) or 500
The integration user comes from OFFERLOAD_USERNAME/OFFERLOAD_PASSWORD or OFFERLOAD_TOKEN.
Routes: the Offer Work endpoint (with and without /{api_version}), GET /sim/health, /sim/fixtures, /sim/stats[?testid=ID].`;

export async function simCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(SIM_HELP);
    return 0;
  }
  const { values } = parseFlags('sim', argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    seed: { type: 'string' },
    envelope: { type: 'string' },
    'validation-status': { type: 'string' },
  });
  const sim = await startSimulator(
    {
      port: values.port === undefined ? 0 : flag.port('--port', values.port),
      host: values.host ?? '127.0.0.1',
      seed: values.seed === undefined ? 1 : flag.integer('--seed', values.seed),
      envelope: values.envelope === undefined ? 'error' : flag.oneOf('--envelope', values.envelope, ['error', 'result'] as const),
      validationStatus: values['validation-status'] === undefined ? 400 : (Number(flag.oneOf('--validation-status', values['validation-status'], ['400', '500'] as const)) as 400 | 500),
    },
    undefined,
    io.env,
  );
  io.out(sim.url);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sim.close();
  return 0;
}
