/**
 * The offer pool, loaded once per k6 process into a SharedArray: every VU reads the same memory instead
 * of holding its own copy, and faker never enters the bundle (the pool is made in Node before the run).
 * Elements are the file's encoded strings (see `encodeEntry`): the cheapest thing for SharedArray to hand back.
 */
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import { decodeEntry, poolFileEntries, type PoolEntry } from '../shared/pool.js';

export interface SharedPool {
  readonly length: number;
  /** the entry at `index` modulo the pool's length */
  at(index: number): PoolEntry;
}

/** Loads the pool file (JSON written by the CLI) into shared memory. Call in the init context. */
export function loadPool(path: string): SharedPool {
  const encoded = new SharedArray(
    'offerload-pool',
    () => poolFileEntries(open(path), path) as string[],
  ) as unknown as readonly string[];
  const length = encoded.length;
  return { length, at: (index) => decodeEntry(encoded[index % length]!) };
}

/**
 * This iteration's index. `iterationInTest` is unique across VUs and across execution segments, so no two
 * concurrent iterations, on this generator or another, take the same entry.
 */
let scenario: typeof exec.scenario | undefined;
export function iterationIndex(): number {
  // k6 builds a new scenario object (ten accessors) on every read of exec.scenario; its accessors are live,
  // so one per VU serves every iteration (profiled: newScenarioInfo was 3.7% of k6's CPU in offer-burst)
  scenario ??= exec.scenario;
  return scenario.iterationInTest;
}
