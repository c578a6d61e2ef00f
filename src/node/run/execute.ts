/**
 * Carries out a run plan as a short pipeline: services (InfluxDB, the simulator), inputs (fixtures, the
 * offer pool), k6 (under the watchdog), collect (figures, accounting, verdicts) and write (the results
 * folder). Whatever happens, what the run started is stopped.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { bundleIfStale } from '../build/bundle.js';
import { runCredentials } from '../credentials.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { ensureK6 } from '../k6/binary.js';
import { formatSummary } from '../results/print.js';
import { collect } from './collect.js';
import { describePlan } from './dry-run.js';
import { prepareInputs } from './inputs.js';
import { runScenario } from './k6-step.js';
import type { RunOptions } from './plan.js';
import { startServices } from './services.js';
import { writeResults } from './write.js';

/** Runs the plan; returns the exit code (0 pass, 1 SLO failed or k6 failed, 130 interrupted). */
export async function executeRun(opts: RunOptions, io: Io): Promise<number> {
  const finalDir = path.join(opts.outDir, opts.testid);
  if (existsSync(finalDir)) throw new UsageError(`invalid --testid: results for ${opts.testid} already exist in ${finalDir}`);
  if (opts.dryRun) {
    io.out(describePlan(opts));
    return 0;
  }
  io.phase('building scenarios');
  await bundleIfStale(opts.scenario);
  const k6 = ensureK6();
  const creds = opts.credentials ?? runCredentials(opts.target === undefined, io.env);
  const workDir = path.join(opts.outDir, `.${opts.testid}.partial`);
  const services = await startServices(opts, creds, io);
  let interrupted = false;
  try {
    const { influx, sim, targetUrl } = services;
    const inputs = await prepareInputs(opts, targetUrl, creds, workDir, io);
    const ran = await runScenario(opts, { k6, targetUrl, influx, creds, poolPath: inputs.poolPath, workDir }, io);
    interrupted = ran.interrupted !== undefined;
    const summary = await collect(opts, { k6: ran, influx, sim, targetUrl, planned: inputs.planned }, io);
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
