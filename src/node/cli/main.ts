/** The offerload CLI: a table of commands, one top-level catch, exit codes 0 pass, 1 fail, 2 usage, 3 environment. */
import { bundleScenarios } from '../build/bundle.js';
import { exitCodeOf, UsageError } from '../errors.js';
import { INFLUX_HELP, influxCommand } from './influx.js';
import { processIo, type Io } from '../io.js';
import { RUN_HELP, runCommand } from './run.js';
import { SIM_HELP, simCommand } from './sim.js';
import { POOL_HELP, poolCommand } from './pool.js';
import { COMPARE_HELP, compareCommand } from './compare.js';
import { ANALYSES, analysisCommand } from './analyse.js';
import { CLEANUP_HELP, cleanupCommand } from './cleanup.js';
import { DOCTOR_HELP, doctorCommand } from './doctor.js';
import { LIST_HELP, listCommand } from './list.js';
import { OPERATOR_HELP, operatorCommand } from './operator.js';
import { writeReferences } from '../docs/references.js';
import { PLAN_HELP, planCommand } from './plan.js';

interface Command {
  readonly summary: string;
  readonly help: string;
  readonly run: (argv: readonly string[], io: Io) => Promise<number>;
}

export const COMMANDS: Readonly<Record<string, Command>> = {
  run: { summary: 'run a scenario against a target with the real k6', help: RUN_HELP, run: runCommand },
  sim: { summary: 'serve the simulated Offer Work API', help: SIM_HELP, run: simCommand },
  influx: { summary: 'start, stop or check the local InfluxDB', help: INFLUX_HELP, run: influxCommand },
  dashboards: {
    summary: 'regenerate the Grafana dashboards (dashboards/*.json) from dashboards/src',
    help: 'usage: offerload dashboards\n\nBuilds every dashboard from its TypeScript source and writes dashboards/<name>.json (committed; a test fails when they differ).',
    run: async (_argv, io) => {
      const { writeDashboards } = await import('../../../dashboards/src/index.js');
      for (const file of writeDashboards()) io.out(`dashboards/${file}`);
      return 0;
    },
  },
  compare: {
    summary: 'compare two runs with a noise-aware regression verdict',
    help: COMPARE_HELP,
    run: compareCommand,
  },
  ...Object.fromEntries(
    Object.entries(ANALYSES).map(([name, a]) => [
      name,
      { summary: a.summary, help: a.help, run: (argv: readonly string[], io: Io) => analysisCommand(name, argv, io) },
    ]),
  ),
  cleanup: {
    summary: "put back what a run left on its target: open interactions, pending work items, agents' presence",
    help: CLEANUP_HELP,
    run: cleanupCommand,
  },
  doctor: { summary: 'check k6, InfluxDB and the target, and say what to fix', help: DOCTOR_HELP, run: doctorCommand },
  list: { summary: 'scenarios, profiles and recent runs', help: LIST_HELP, run: listCommand },
  plan: {
    summary: 'the staffing plan of a forecast (Erlang C) and the requests per second it puts on the instance',
    help: PLAN_HELP,
    run: planCommand,
  },
  operator: {
    summary: 'pack a run for the k6-operator: ConfigMap (bundle + pool) and TestRun',
    help: OPERATOR_HELP,
    run: operatorCommand,
  },
  pool: {
    summary: "write the offer pool file from a target's fixtures (for k6 run by hand)",
    help: POOL_HELP,
    run: poolCommand,
  },
  docs: {
    summary: 'regenerate the reference pages (docs/reference/*.md) from the settings and flag tables',
    help: "usage: offerload docs\n\nWrites docs/reference/simulator-settings.md and docs/reference/commands.md from the simulator's settings table and every command's help (committed; a test fails when they differ).",
    run: async (_argv, io) => {
      for (const file of writeReferences(COMMANDS)) io.out(file);
      return 0;
    },
  },
  build: {
    summary: 'bundle scenarios/*.ts into k6 scripts in dist/',
    help: 'usage: offerload build\n\nBundles every scenario with esbuild into dist/<scenario>.js (k6 modules external; source maps beside them, not linked: k6 would load one in every VU).',
    run: async (_argv, io) => {
      for (const out of await bundleScenarios()) io.out(`${out.file} ${(out.bytes / 1024).toFixed(1)} KiB`);
      return 0;
    },
  },
};

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(11)} ${c.summary}`);
  return [
    'usage: offerload <command> [options]   (offerload <command> --help for more)',
    '',
    'commands:',
    ...rows,
  ].join('\n');
}

/** Where a CLI call writes and what environment it reads: the process's, or a test's. */
export interface CliWorld {
  readonly env?: NodeJS.ProcessEnv;
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
}

/** The CLI: runs one command and returns its exit code; every error ends here, as one line (a stack with --debug). */
export async function main(argv: readonly string[], world: CliWorld = {}): Promise<number> {
  const debug = argv.includes('--debug');
  const json = argv.includes('--json');
  const args = argv.filter((a) => a !== '--debug' && a !== '--json');
  const stderr = world.stderr ?? ((text: string) => process.stderr.write(text));
  const io = processIo(json, world.env, world.stdout, stderr);
  try {
    const [name, ...rest] = args;
    if (name === undefined || name === '--help' || name === '-h') {
      io.out(usage());
      return name === undefined ? 2 : 0;
    }
    const command = COMMANDS[name];
    if (!command)
      throw new UsageError(`unknown command "${name}": expected one of ${Object.keys(COMMANDS).join(', ')}`);
    return await command.run(rest, io);
  } catch (e) {
    const error = e as Error;
    stderr(`offerload: ${debug ? error.stack : error.message}\n`);
    return exitCodeOf(e);
  }
}
