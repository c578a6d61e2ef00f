/** `offerload run <scenario>`: see RUN_HELP. */
import { executeRun } from '../run/execute.js';
import { parseRunArgs, RUN_HELP } from '../run/plan.js';
import type { Io } from './io.js';

export { RUN_HELP };

export async function runCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(RUN_HELP);
    return 0;
  }
  return executeRun(parseRunArgs(argv), io);
}
