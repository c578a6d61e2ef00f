/** Run step 2, inputs: the fixtures, and the offer pool sized to the plan, written into the run's folder. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freshDocumentsFor, poolSizeFor } from '../../shared/k6-contract.js';
import { SCENARIOS } from '../../shared/scenarios.js';
import { poolFileText } from '../../shared/pool.js';
import { expectedIterations, getProfile } from '../../shared/profiles.js';
import { loadFixtures } from '../data/fixtures-source.js';
import { buildPool, DEFAULT_POOL_OPTIONS } from '../data/pool.js';
import { EnvironmentError, UsageError, withFlag } from '../errors.js';
import type { Io } from '../io.js';
import type { RunOptions } from './plan.js';

export interface Inputs {
  readonly poolPath: string;
  /** iterations the plan expects */
  readonly planned: number;
}

/** Fresh documents the run's plan needs from its fixtures (0 when the scenario creates its own). */
export function documentsNeeded(opts: RunOptions): number {
  return SCENARIOS[opts.scenario]!.offersPoolDocuments ? freshDocumentsFor(expectedIterations(getProfile(opts.profile), opts.params)) : 0;
}

/** Refuses, before any load, fixtures with fewer active documents than the plan offers: wrapping around would re-offer taken work. */
function checkDocuments(opts: RunOptions, found: number): void {
  const needed = documentsNeeded(opts);
  if (found >= needed) return;
  const what = `the plan (${opts.scenario}, ${opts.profile}, ${opts.params.rate}/s for ${opts.params.durationSec} s) offers ${needed} fresh documents and the fixtures hold ${found} active ones`;
  if (opts.fixturesFile) throw new UsageError(`invalid --fixtures: ${what}: add documents, shorten the run or lower the rate`);
  throw new EnvironmentError(`target has too few documents: ${what}: create more interactions on the target (the Interaction API), shorten the run or lower the rate`);
}

export async function prepareInputs(opts: RunOptions, targetUrl: string, creds: Readonly<Record<string, string>>, workDir: string, io: Io): Promise<Inputs> {
  io.phase('preparing test data');
  const fixtures = await loadFixtures(opts, targetUrl, creds);
  checkDocuments(opts, fixtures.documents.length);
  const info = SCENARIOS[opts.scenario]!;
  const planned = expectedIterations(getProfile(opts.profile), opts.params);
  const options = { ...DEFAULT_POOL_OPTIONS, seed: opts.seed, size: poolSizeFor(planned), ...(info.movesPresence === false ? { afterTimeoutPresenceShare: 0 } : {}) };
  // fixtures that cannot make a pool came from the user's file (--fixtures) or from the target
  const pool = withFlag('--fixtures', opts.fixturesFile ? 'fixtures' : undefined, () => buildPool(fixtures, options));
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(path.join(workDir, 'inputs'), { recursive: true });
  const poolPath = path.join(workDir, 'inputs', 'pool.json');
  writeFileSync(poolPath, poolFileText(pool));
  return { poolPath, planned };
}
