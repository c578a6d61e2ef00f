/** Run step 2, inputs: the fixtures, and the offer pool sized to the plan, written into the run's folder. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { poolSizeFor } from '../../shared/k6-contract.js';
import { poolFileText } from '../../shared/pool.js';
import { expectedIterations, getProfile } from '../../shared/profiles.js';
import { loadFixtures } from '../data/fixtures-source.js';
import { buildPool, DEFAULT_POOL_OPTIONS } from '../data/pool.js';
import { withFlag } from '../errors.js';
import type { Io } from '../io.js';
import type { RunOptions } from './plan.js';

export interface Inputs {
  readonly poolPath: string;
  /** iterations the plan expects */
  readonly planned: number;
}

export async function prepareInputs(opts: RunOptions, targetUrl: string, creds: Readonly<Record<string, string>>, workDir: string, io: Io): Promise<Inputs> {
  io.phase('preparing test data');
  const fixtures = await loadFixtures(opts, targetUrl, creds);
  const planned = expectedIterations(getProfile(opts.profile), opts.params);
  // fixtures that cannot make a pool came from the user's file (--fixtures) or from the target
  const pool = withFlag('--fixtures', opts.fixturesFile ? 'fixtures' : undefined, () => buildPool(fixtures, { ...DEFAULT_POOL_OPTIONS, seed: opts.seed, size: poolSizeFor(planned) }));
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(path.join(workDir, 'inputs'), { recursive: true });
  const poolPath = path.join(workDir, 'inputs', 'pool.json');
  writeFileSync(poolPath, poolFileText(pool));
  return { poolPath, planned };
}
