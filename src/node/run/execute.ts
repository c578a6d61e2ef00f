/**
 * Carries out a run plan as a short pipeline: services (InfluxDB, the simulator), inputs (fixtures, the
 * offer pool), k6 (under the watchdog), collect (figures, accounting, verdicts) and write (the results
 * folder). Whatever happens, what the run started is stopped.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { bundleIfStale } from '../build/bundle.js';
import { runCredentials } from '../credentials.js';
import { UsageError, withFlag } from '../errors.js';
import { checkResultsFolder } from '../results/folder.js';
import type { Io } from '../io.js';
import { ensureK6 } from '../k6/binary.js';
import { deleteRun, existingRun, type InfluxTarget } from '../influx/store.js';
import { formatSummary } from '../results/print.js';
import { collect } from './collect.js';
import { describePlan } from './dry-run.js';
import { prepareInputs } from './inputs.js';
import { rateLimitPlan } from './preflight.js';
import { runScenario } from './k6-step.js';
import type { RunOptions } from './plan.js';
import { startServices } from './services.js';
import { writeResults } from './write.js';

/**
 * A run is only itself: a testid InfluxDB already holds is refused before any load, naming the run that holds
 * it; with --replace its points and results folder are deleted first, so the new run's counts are its own.
 */
async function claimTestid(opts: RunOptions, influx: InfluxTarget | undefined, finalDir: string, io: Io): Promise<void> {
  const held = influx ? await existingRun(influx, opts.testid) : undefined;
  if (!opts.replace) {
    if (held) {
      throw new UsageError(
        `invalid --testid: InfluxDB at ${influx!.url} already holds run ${opts.testid} (${held.requests} requests from ${held.startedAt.toISOString()}): choose another --testid, or pass --replace to delete its points and run it again`,
      );
    }
    return;
  }
  if (held) {
    io.phase(`--replace: deleting the ${held.requests} requests of the earlier ${opts.testid} from InfluxDB`);
    await deleteRun(influx!, opts.testid);
  }
  rmSync(finalDir, { recursive: true, force: true });
}

/** Runs the plan; returns the exit code (0 pass, 1 SLO failed or k6 failed, 130 interrupted). */
export async function executeRun(opts: RunOptions, io: Io): Promise<number> {
  const finalDir = path.join(opts.outDir, opts.testid);
  if (existsSync(finalDir) && !opts.replace) throw new UsageError(`invalid --testid: results for ${opts.testid} already exist in ${finalDir}: choose another --testid, or pass --replace to start it again`);
  if (opts.dryRun) {
    io.out(describePlan(opts));
    return 0;
  }
  // before anything starts: a results folder that cannot be written would otherwise fail after the load
  withFlag('--out', path.resolve(opts.outDir), () => checkResultsFolder(opts.outDir));
  io.phase('building scenarios');
  await bundleIfStale(opts.scenario);
  const k6 = ensureK6();
  const creds = opts.credentials ?? runCredentials(opts.target === undefined, io.env);
  const workDir = path.join(opts.outDir, `.${opts.testid}.partial`);
  const services = await startServices(opts, creds, io);
  let interrupted = false;
  try {
    const { influx, sim, targetUrl } = services;
    await claimTestid(opts, influx, finalDir, io);
    const budget = await rateLimitPlan(opts, targetUrl, creds);
    if (budget?.over_budget) {
      io.phase(`rate limit: the plan sends about ${budget.planned_per_hour} requests in its hour and rule ${budget.rule} allows ${budget.limit_per_hour}: expect 429s once the rule's counts catch up`);
    }
    const inputs = await prepareInputs(opts, targetUrl, creds, workDir, io);
    const ran = await runScenario(opts, { k6, targetUrl, influx, creds, poolPath: inputs.poolPath, workDir }, io);
    interrupted = ran.interrupted !== undefined;
    const summary = { ...(await collect(opts, { k6: ran, influx, sim, targetUrl, planned: inputs.planned }, io)), rate_limit_plan: budget };
    await writeResults(summary, influx, workDir, finalDir);
    // --json: the summary alone on stdout, for machines; otherwise the human summary
    io.out(io.json ? JSON.stringify(summary) : formatSummary(summary, finalDir));
    if (interrupted) return 130;
    const k6Ok = ran.exitCode === 0 || ran.breach !== undefined;
    return k6Ok && summary.slos.every((v) => v.pass) ? 0 : 1;
  } finally {
    await services.stop(interrupted);
  }
}
