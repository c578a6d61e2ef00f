/**
 * The results folder, checked before a run starts anything: it can be created and written. Checked by
 * walking up to the nearest folder that exists and creating the rest one level at a time, because Node's
 * recursive mkdir never returns under /proc (it retries the missing parent forever): that was the hang of
 * `offerload run ... --out /proc/nope`. What the check creates it removes again, so bad input leaves nothing. Two
 * runs starting at once into one new folder both pass: the one whose mkdir finds the folder made takes it as is.
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  rmdirSync,
  statfsSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { EnvironmentError, InputError } from '../errors.js';

const reason = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/**
 * Throws an InputError naming the folder (the CLI adds --out) unless `dir` can be created and written. `again`:
 * this is the second look, after another run's check removed the folder it had made while this one wrote into it.
 */
export function checkResultsFolder(dir: string, again = false): void {
  const target = path.resolve(dir);
  const missing: string[] = [];
  let at = target;
  while (!existsSync(at)) {
    missing.unshift(at);
    const up = path.dirname(at);
    if (up === at) break;
    at = up;
  }
  const where = at === target ? '' : ` in ${at}`;
  if (!statSync(at).isDirectory())
    throw new InputError(target, at === target ? 'is not a folder' : `cannot be created: ${at} is not a folder`);
  try {
    accessSync(at, constants.W_OK);
  } catch (e) {
    throw new InputError(target, `is not writable${where} (${reason(e)})`);
  }
  const made: string[] = [];
  try {
    for (const d of missing) {
      try {
        mkdirSync(d);
        made.push(d);
      } catch (e) {
        // another run starting at the same moment made it: a folder, so it is fine, and it is not ours to remove
        if ((e as NodeJS.ErrnoException).code === 'EEXIST' && statSync(d).isDirectory()) continue;
        throw new InputError(target, `cannot be created${d === target ? '' : ` (at ${d})`} (${reason(e)})`);
      }
    }
    // a file written and removed: some file systems take a mkdir and still refuse files
    const probe = path.join(target, `.offerload-write-check-${process.pid}`);
    try {
      writeFileSync(probe, '');
      unlinkSync(probe);
    } catch (e) {
      if (reason(e) === 'ENOENT' && !again && made.length === 0) {
        checkResultsFolder(dir, true);
        return;
      }
      throw new InputError(target, `cannot hold files (${reason(e)})`);
    }
  } finally {
    // what this check made, unless another run has begun to use it meanwhile (ENOTEMPTY): then it stays
    for (const d of made.reverse()) {
      try {
        rmdirSync(d);
      } catch {
        break;
      }
    }
  }
}

/** Bytes free for an unprivileged writer on the file system holding `dir` (or its nearest existing parent). */
export function freeBytes(dir: string): number {
  let at = path.resolve(dir);
  while (!existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  const s = statfsSync(at);
  return s.bavail * s.bsize;
}

const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;

/**
 * Refuses, before anything starts, a results folder without room for what a run writes (its pool, k6's report
 * and summary, the reports): a disk that fills during the run would cost the run's results.
 */
export function checkFreeSpace(dir: string, neededBytes: number): void {
  const free = freeBytes(dir);
  if (free < neededBytes) {
    throw new EnvironmentError(
      `the results folder ${path.resolve(dir)} has ${mib(free)} free and a run of this plan writes about ${mib(neededBytes)}: free some space or pass another --out`,
    );
  }
}

/** Whether an error is the file system running out of room. */
export const isDiskFull = (e: unknown): boolean =>
  ['ENOSPC', 'EDQUOT'].includes((e as NodeJS.ErrnoException)?.code ?? '');
