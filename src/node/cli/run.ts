/** `offerload run <scenario>`: flags from run/options.ts, the plan from run/plan.ts, then the run. */
import { executeRun } from '../run/execute.js';
import { RUN_HELP, RUN_OPTIONS } from '../run/options.js';
import { planRun, type RunOptions } from '../run/plan.js';
import { parseFlags } from './flags.js';
import type { Io } from '../io.js';

export { RUN_HELP };

/** Parses `offerload run` argv into its plan (also for `offerload operator`, which packs the same run). */
export function parseRunArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): RunOptions {
  const { values, positionals } = parseFlags('run', argv, RUN_OPTIONS, true);
  return planRun(values, positionals, env);
}

export async function runCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(RUN_HELP);
    return 0;
  }
  return executeRun(parseRunArgs(argv, io.env), io);
}
