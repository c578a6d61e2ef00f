/**
 * The offer pool, loaded once per k6 process into a SharedArray: every VU reads the same memory instead
 * of holding its own copy, and faker never enters the bundle (the pool is made in Node before the run).
 */
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import type { Pool, PoolEntry } from '../shared/pool.js';

/** Loads the pool file (JSON written by the CLI) into shared memory. Call in the init context. */
export function loadPool(path: string): readonly PoolEntry[] {
  return new SharedArray('offerload-pool', () => (JSON.parse(open(path)) as Pool).entries as PoolEntry[]) as readonly PoolEntry[];
}

/**
 * This iteration's entry. `iterationInTest` is unique across VUs and across execution segments, so no two
 * concurrent iterations, on this generator or another, take the same entry.
 */
export function nextEntry(pool: readonly PoolEntry[]): PoolEntry {
  return pool[exec.scenario.iterationInTest % pool.length] as PoolEntry;
}
