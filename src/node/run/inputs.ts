/** Run step 2, inputs: the fixtures, and the offer pool sized to the plan, written into the run's folder. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freshDocumentsFor, poolSizeFor } from '../../shared/k6-contract.js';
import { SCENARIOS } from '../../shared/scenarios.js';
import { poolFileText } from '../../shared/pool.js';
import { expectedIterations, getProfile } from '../../shared/profiles.js';
import type { Fixtures } from '../../shared/api.js';
import { loadFixtures } from '../data/fixtures-source.js';
import { shortfall } from './fixture-needs.js';
import { buildPool, DEFAULT_POOL_OPTIONS } from '../data/pool.js';
import { EnvironmentError, UsageError, withFlag } from '../errors.js';
import type { Io } from '../io.js';
import type { RunOptions } from './plan.js';
import { refinementIterations } from './refine-plan.js';
import { arrivalPlanOf } from './arrival-plan.js';
import { writeContactPlan } from './contacts.js';

export interface Inputs {
  readonly poolPath: string;
  /** the arrival plan k6 reads (Poisson arrivals), or undefined for evenly spaced starts */
  readonly arrivalsPath: string | undefined;
  /** the contact plan k6 replays, for a scenario that plans contacts */
  readonly contactsPath: string | undefined;
  /** iterations the plan expects */
  readonly planned: number;
}

/** Iterations the run will start: its Poisson arrivals, or the profile's integral for evenly spaced starts. */
export function plannedIterations(opts: RunOptions): number {
  return arrivalPlanOf(opts)?.offsetsMs.length ?? expectedIterations(getProfile(opts.profile), opts.params);
}

/**
 * Fresh documents the run's plan needs from its fixtures (0 when the scenario creates its own): a capacity run's
 * include its refinement probes', and a probe's start after the documents used before it.
 */
export function documentsNeeded(opts: RunOptions): number {
  if (!SCENARIOS[opts.scenario]!.offersPoolDocuments) return 0;
  const own = freshDocumentsFor(plannedIterations(opts));
  if (opts.probe) return opts.probe.firstDocument + own;
  return own + (getProfile(opts.profile).plateaus ? freshDocumentsFor(refinementIterations(opts.params)) : 0);
}

/** Refuses, before any load, fixtures that cannot carry the plan (too few agents, queues or active documents: wrapping around would re-offer taken work). */
function checkFixtures(opts: RunOptions, fixtures: Fixtures): void {
  const short = shortfall(opts, fixtures, documentsNeeded(opts));
  if (!short) return;
  if (opts.fixturesFile) throw new UsageError(`invalid --fixtures: ${short}`);
  throw new EnvironmentError(`target has too few fixtures: ${short}`);
}

/**
 * About how much a run writes to its results folder, bytes: its pool (about 400 bytes an entry), k6's records
 * log (about 100 bytes a request) and 2 MiB for k6's report, the summaries and reports.
 */
export function resultsBytesFor(opts: RunOptions): number {
  const planned = plannedIterations(opts);
  // an arrival plan holds about 8 bytes an arrival
  return poolSizeFor(planned) * 400 + planned * 108 + 2 * 1048576;
}

export async function prepareInputs(
  opts: RunOptions,
  targetUrl: string,
  creds: Readonly<Record<string, string>>,
  workDir: string,
  io: Io,
): Promise<Inputs> {
  io.phase('preparing test data');
  const fixtures = await loadFixtures(opts, targetUrl, creds);
  checkFixtures(opts, fixtures);
  const info = SCENARIOS[opts.scenario]!;
  const arrivals = arrivalPlanOf(opts);
  const planned = arrivals?.offsetsMs.length ?? expectedIterations(getProfile(opts.profile), opts.params);
  const options = {
    ...DEFAULT_POOL_OPTIONS,
    seed: opts.seed,
    size: poolSizeFor(planned),
    firstDocument: opts.probe?.firstDocument ?? 0,
    ...(info.movesPresence === false ? { afterTimeoutPresenceShare: 0 } : {}),
  };
  // fixtures that cannot make a pool came from the user's file (--fixtures) or from the target
  const pool = withFlag('--fixtures', opts.fixturesFile ? 'fixtures' : undefined, () => buildPool(fixtures, options));
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(path.join(workDir, 'inputs'), { recursive: true });
  const poolPath = path.join(workDir, 'inputs', 'pool.json');
  writeFileSync(poolPath, poolFileText(pool));
  const arrivalsPath = arrivals ? path.join(workDir, 'inputs', 'arrivals.json') : undefined;
  if (arrivalsPath) writeFileSync(arrivalsPath, JSON.stringify(arrivals));
  const contactsPath = writeContactPlan(opts, fixtures, workDir);
  return { poolPath, arrivalsPath, contactsPath, planned };
}
