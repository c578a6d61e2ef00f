/** Finds the pinned k6, building it once through scripts/install-k6.sh when it is missing. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../paths.js';
import { EnvironmentError } from '../errors.js';

export const K6_VERSION = 'v2.2.0';

/**
 * The environment every k6 invocation gets: no automatic extension resolution (k6 would otherwise try to
 * fetch a binary with the extensions a script imports; these machines are offline, and a user's may be), and
 * no usage report.
 */
export const K6_PROCESS_ENV: Readonly<Record<string, string>> = {
  K6_AUTO_EXTENSION_RESOLUTION: 'false',
  K6_NO_USAGE_REPORT: 'true',
};

/** Path of a k6 that reports the pinned version; installs it when needed (progress on stderr). */
export function ensureK6(): string {
  const r = spawnSync('bash', [path.join(projectRoot, 'scripts', 'install-k6.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...K6_PROCESS_ENV, OFFERLOAD_K6_VERSION: K6_VERSION },
  });
  const found = r.stdout.trim().split('\n').pop();
  if (r.status !== 0 || !found)
    throw new EnvironmentError(`k6 ${K6_VERSION} is not available (scripts/install-k6.sh exited ${r.status}).`);
  return found;
}
