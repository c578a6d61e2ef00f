/**
 * Bundles every scenarios/*.ts into a self-contained k6 script in dist/: k6 modules stay imports,
 * everything else (our src/, npm packages) is bundled in; source maps are written beside each bundle, unlinked (k6 would load a linked one in every VU), for reading a stack by hand.
 */
import { build, type Plugin } from 'esbuild';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { messageTable } from '../../shared/message-table.js';
import { projectRoot } from '../paths.js';

export const SCENARIO_DIR = path.join(projectRoot, 'scenarios');
export const DIST_DIR = path.join(projectRoot, 'dist');

/** Scenario names (file names without .ts) found in scenarios/. */
export async function scenarioNames(): Promise<string[]> {
  const files = await readdir(SCENARIO_DIR);
  return files
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** Path of the bundled k6 script for a scenario. */
export function bundlePath(scenario: string): string {
  return path.join(DIST_DIR, `${scenario}.js`);
}

/**
 * Puts the classifier's message table (src/shared/message-table.ts) into the bundle as a literal, computed here
 * from the catalogue: the catalogue itself then never enters a bundle, and no VU builds or derives it.
 */
export const messageTableLiteral: Plugin = {
  name: 'offerload-message-table',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]shared[\\/]message-table\.ts$/ }, () => ({
      contents: `export const MESSAGE_TABLE = ${JSON.stringify(messageTable())};\n`,
      loader: 'js',
    }));
  },
};

/** The esbuild options every k6 bundle of offerload is built with (scenarios, and the benches' A/B bundles). */
export const K6_BUILD_OPTIONS = {
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2020',
  external: ['k6', 'k6/*'],
  plugins: [messageTableLiteral],
} as const;

/** Bundles all scenarios; returns the output files with their sizes in bytes. */
export async function bundleScenarios(): Promise<{ file: string; bytes: number }[]> {
  const names = await scenarioNames();
  const result = await build({
    entryPoints: names.map((n) => path.join(SCENARIO_DIR, `${n}.ts`)),
    outdir: DIST_DIR,
    ...K6_BUILD_OPTIONS,
    plugins: [...K6_BUILD_OPTIONS.plugins],
    external: [...K6_BUILD_OPTIONS.external],
    // the map is written beside the bundle but not linked from it: k6 loads a linked map in every VU, which
    // measured 10% more memory per VU and about twice the init time (npm run bench, vu-memory)
    sourcemap: 'external',
    metafile: true,
    logLevel: 'silent',
  });
  return Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, out]) => ({ file: path.resolve(projectRoot, file), bytes: out.bytes }));
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) {
      newest = Math.max(newest, (await stat(path.join(entry.parentPath, entry.name))).mtimeMs);
    }
  }
  return newest;
}

/** Bundles when a scenario's bundle is missing or older than any TypeScript source; true when it built. */
export async function bundleIfStale(scenario: string): Promise<boolean> {
  const out = await stat(bundlePath(scenario)).catch(() => undefined);
  const sources = Math.max(await newestMtime(SCENARIO_DIR), await newestMtime(path.join(projectRoot, 'src')));
  if (out && out.mtimeMs >= sources) return false;
  await bundleScenarios();
  return true;
}
