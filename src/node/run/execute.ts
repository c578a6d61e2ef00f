/**
 * Carries out a run plan as a short pipeline: services (InfluxDB, the simulator), inputs (fixtures, the
 * offer pool), k6 (under the watchdog), collect (figures, accounting, verdicts) and write (the results
 * folder). Whatever happens, what the run started is stopped.
 */
import { getProfile } from '../../shared/profiles.js';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { bundleIfStale } from '../build/bundle.js';
import { runCredentials } from '../credentials.js';
import { EnvironmentError, UsageError, withFlag } from '../errors.js';
import { checkFreeSpace, checkResultsFolder, freeBytes, isDiskFull } from '../results/folder.js';
import type { Io } from '../io.js';
import { ensureK6 } from '../k6/binary.js';
import { deleteRun, existingRun, type InfluxTarget } from '../influx/store.js';
import { formatSummary } from '../results/print.js';
import { RECORDS_FILE } from '../../shared/run-records.js';
import { cleanupRunAndProbes, formatCleanup } from '../cleanup/cleanup.js';
import { collect } from './collect.js';
import { describePlan } from './dry-run.js';
import { prepareInputs, resultsBytesFor } from './inputs.js';
import { rateLimitPlan } from './preflight.js';
import { runScenario } from './k6-step.js';
import type { RunOptions } from './plan.js';
import { startServices } from './services.js';
import { writeResults } from './write.js';
import { refineCapacity } from './refine.js';
import { MAX_PROBES } from './refine-plan.js';
import { writeCapacityPoints } from './capacity-points.js';
import { writeForecastPoints } from './forecast-section.js';
import { writeContactPlanPoints } from './contacts.js';
import type { RunSummary } from '../results/model.js';
import { probeTestid } from '../results/layout.js';

/**
 * A run is only itself: a testid InfluxDB already holds is refused before any load, naming the run that holds
 * it; with --replace its points and results folder are deleted first, so the new run's counts are its own.
 */
async function claimTestid(
  opts: RunOptions,
  influx: InfluxTarget | undefined,
  finalDir: string,
  io: Io,
): Promise<void> {
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
  // a capacity run's refinement probes are runs of their own (refine.ts): replaced with it
  if (influx && getProfile(opts.profile).plateaus) {
    for (let i = 1; i <= MAX_PROBES; i++)
      if (await existingRun(influx, probeTestid(opts.testid, i))) await deleteRun(influx, probeTestid(opts.testid, i));
  }
  rmSync(finalDir, { recursive: true, force: true });
}

/** --cleanup: puts back what the run left while its target still runs; false when an action failed. */
async function cleanupAfterRun(
  opts: RunOptions,
  targetUrl: string,
  creds: Readonly<Record<string, string>>,
  finalDir: string,
  io: Io,
): Promise<boolean> {
  io.phase(`cleaning up what ${opts.testid} left on ${targetUrl}`);
  const report = await cleanupRunAndProbes(
    {
      testid: opts.testid,
      targetUrl,
      creds,
      recordsFile: path.join(finalDir, RECORDS_FILE),
      ratePerSec: opts.cleanup!.ratePerSec,
      dryRun: false,
    },
    io,
  );
  io.phase(formatCleanup(report));
  return report.failed === 0;
}

/**
 * A run that failed leaves no half-written results: its work folder goes, unless it holds the list of what the
 * run created on a target that outlives it (then cleanup needs it, and the error names it). A full disk is said
 * as such, exit 3.
 */
function failedRun(e: unknown, opts: RunOptions, workDir: string): unknown {
  const records = path.join(workDir, RECORDS_FILE);
  const keep = opts.target !== undefined && existsSync(records) && statSync(records).size > 0;
  if (keep) {
    for (const f of readdirSync(workDir))
      if (f !== RECORDS_FILE) rmSync(path.join(workDir, f), { recursive: true, force: true });
  } else {
    rmSync(workDir, { recursive: true, force: true });
  }
  const full = isDiskFull(e) || (e instanceof SyntaxError && existsSync(opts.outDir) && freeBytes(opts.outDir) < 65536);
  if (!full) return e;
  const kept = keep
    ? `; what the run created is listed in ${records} for 'offerload cleanup ${opts.testid}'`
    : '; nothing of it was kept';
  return new EnvironmentError(
    `the results folder ${path.resolve(opts.outDir)} is full (no space left on device) and run ${opts.testid} could not write its results: free some space or pass another --out${kept}`,
  );
}

/** Runs the plan; returns the exit code (0 pass, 1 SLO failed or k6 failed, 130 interrupted). */
export async function executeRun(opts: RunOptions, io: Io): Promise<number> {
  const finalDir = path.join(opts.outDir, opts.testid);
  if (existsSync(finalDir) && !opts.replace)
    throw new UsageError(
      `invalid --testid: results for ${opts.testid} already exist in ${finalDir}: choose another --testid, or pass --replace to start it again`,
    );
  if (opts.dryRun) {
    io.out(describePlan(opts));
    return 0;
  }
  // before anything starts: a results folder that cannot be written would otherwise fail after the load
  withFlag('--out', path.resolve(opts.outDir), () => checkResultsFolder(opts.outDir));
  checkFreeSpace(opts.outDir, resultsBytesFor(opts));
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
      io.phase(
        `rate limit: the plan sends about ${budget.planned_per_hour} requests in its hour and rule ${budget.rule} allows ${budget.limit_per_hour}: expect 429s once the rule's counts catch up`,
      );
    }
    const inputs = await prepareInputs(opts, targetUrl, creds, workDir, io);
    const ran = await runScenario(
      opts,
      {
        k6,
        targetUrl,
        influx,
        creds,
        poolPath: inputs.poolPath,
        arrivalsPath: inputs.arrivalsPath,
        contactsPath: inputs.contactsPath,
        workDir,
      },
      io,
    );
    interrupted = ran.interrupted !== undefined;
    const collected = await collect(opts, { k6: ran, influx, sim, targetUrl, planned: inputs.planned }, io).catch(
      (e: unknown) => {
        // k6 killed or crashed without its summary: the records file it appended to is kept, for cleanup
        if (e instanceof EnvironmentError && existsSync(path.join(workDir, RECORDS_FILE))) {
          throw new EnvironmentError(
            `${e.message}; what the run created so far is listed in ${path.join(workDir, RECORDS_FILE)}: 'offerload cleanup ${opts.testid} --out ${opts.outDir} --target ...' puts it back`,
          );
        }
        throw e;
      },
    );
    let summary: RunSummary = { ...collected, rate_limit_plan: budget };
    // a capacity run narrows its knee with probes between the last plateau that met the SLOs and the first that missed
    if (summary.capacity && influx && !interrupted) {
      const refined = await refineCapacity(opts, summary, { k6, targetUrl, influx, sim, creds, workDir }, io);
      summary = { ...summary, capacity: refined.capacity };
      interrupted = refined.interrupted !== undefined;
      const gap = await writeCapacityPoints(influx, opts.testid, new Date(summary.started_at), refined.capacity);
      if (gap) io.phase(gap);
    }
    if (summary.contacts && influx) {
      const gap = await writeContactPlanPoints(influx, opts.testid, new Date(summary.started_at), opts);
      if (gap) io.phase(gap);
    }
    if (summary.forecast && influx) {
      const gap = await writeForecastPoints(influx, opts.testid, new Date(summary.started_at), summary.forecast);
      if (gap) io.phase(gap);
    }
    await writeResults(summary, influx, workDir, finalDir);
    // --json: the summary alone on stdout, for machines; otherwise the human summary
    io.out(io.json ? JSON.stringify(summary) : formatSummary(summary, finalDir));
    const cleaned = opts.cleanup ? await cleanupAfterRun(opts, targetUrl, creds, finalDir, io) : true;
    if (interrupted) return 130;
    // k6 killed from outside: partial results are written, and the run is an environment failure
    if (ran.killedBy) {
      io.phase(`k6 was killed by ${ran.killedBy}: the results in ${finalDir} are partial`);
      return 3;
    }
    const k6Ok = ran.exitCode === 0 || ran.breach !== undefined;
    if (!cleaned) return 3;
    return k6Ok && summary.slos.every((v) => v.pass) ? 0 : 1;
  } catch (e) {
    throw failedRun(e, opts, workDir);
  } finally {
    await services.stop(interrupted);
  }
}
