/**
 * `offerload cleanup <run>`: puts back what a run left on its target (see ../cleanup/), under the same
 * guardrails as `run` (run/target.ts: allowed targets, --production, max_rate).
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { RECORDS_FILE } from '../../shared/run-records.js';
import { cleanupRunAndProbes, DEFAULT_CLEANUP_RATE, formatCleanup } from '../cleanup/cleanup.js';
import { runCredentials } from '../credentials.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { loadRunConfig } from '../run/config-file.js';
import { chooseTarget } from '../run/target.js';
import * as flag from './flags.js';
import { type Flag, flagsHelp, flagValue, parserOptions } from '../flag-table.js';
import { DEFAULT_RESULTS_DIR } from '../results/layout.js';

const CLEANUP_FLAGS = [
  {
    name: 'target',
    type: 'string',
    arg: 'URL|NAME',
    help: "the run's target (a config target's guardrails apply: allow, production, max_rate)",
  },
  { name: 'dry-run', type: 'boolean', help: 'list what it would do and change nothing' },
  { name: 'out', type: 'string', arg: 'DIR', help: 'results folder', default: DEFAULT_RESULTS_DIR },
  {
    name: 'config',
    type: 'string',
    arg: 'FILE',
    help: 'run configuration',
    defaultText: './offerload.config.json when present',
  },
  { name: 'production', type: 'boolean', help: 'allow a target the config marks as production' },
] as const satisfies readonly Flag[];

export const CLEANUP_HELP = `usage: offerload cleanup <run> --target URL|NAME [--dry-run] [--out DIR] [--config FILE] [--production]

Puts back what a run left on its target: closes the interactions it created that are still open (their work
items end with them), rejects its work items still pending accept on other documents (back to their queue),
and restores each agent whose presence it changed to the presence it had before (Agent API PUT with the
state and each channel's availability). <run> is a testid (its records file is looked for in --out, finished
or .partial) or a run's results folder. Work items are also found by the testid their offers carry in
external_segment_id. What is already as it was is left alone, so cleanup can be run again.

${flagsHelp(CLEANUP_FLAGS)}

Requests go one at a time, at most the target's max_rate per second (${DEFAULT_CLEANUP_RATE}/s when it sets none).
Credentials come from the environment or the config target's auth, as for run. Exit 0 when done, 3 when the
target cannot be reached or refused an action.

examples:
  offerload cleanup contention-20261201-101500-ab12 --target test --dry-run
  offerload cleanup results/contention-20261201-101500-ab12 --target http://127.0.0.1:8080`;

const OPTIONS = parserOptions(CLEANUP_FLAGS);

/** The run's testid and records file from `<run>`: a results folder, or a testid looked for in the results folder. */
export function locateRun(arg: string, outDir: string): { testid: string; recordsFile: string | undefined } {
  if (existsSync(arg) && statSync(arg).isDirectory()) {
    const base = path.basename(path.resolve(arg));
    const testid = flag.testid(
      '<run>',
      base.startsWith('.') && base.endsWith('.partial') ? base.slice(1, -'.partial'.length) : base,
    );
    return { testid, recordsFile: path.join(arg, RECORDS_FILE) };
  }
  const testid = flag.testid('<run>', arg);
  const candidates = [path.join(outDir, testid, RECORDS_FILE), path.join(outDir, `.${testid}.partial`, RECORDS_FILE)];
  return { testid, recordsFile: candidates.find((f) => existsSync(f)) };
}

export async function cleanupCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(CLEANUP_HELP);
    return 0;
  }
  const { values: v, positionals } = flag.parseFlags('cleanup', argv, OPTIONS, true);
  if (positionals.length !== 1)
    throw new UsageError(`offerload cleanup takes one run (a testid or a results folder), got ${positionals.length}`);
  if (v.target === undefined)
    throw new UsageError(
      'missing --target: name the target the run loaded (an embedded simulator stopped with its run and left nothing behind)',
    );
  const target = chooseTarget(v.target, v.production ?? false, loadRunConfig(v.config), io.env);
  const { testid, recordsFile } = locateRun(positionals[0]!, path.resolve(flagValue(CLEANUP_FLAGS, v, 'out')!));
  const report = await cleanupRunAndProbes(
    {
      testid,
      targetUrl: target.url!.origin + target.url!.pathname.replace(/\/+$/, ''),
      creds: target.credentials ?? runCredentials(false, io.env),
      recordsFile,
      ratePerSec: Math.min(DEFAULT_CLEANUP_RATE, target.entry?.max_rate ?? DEFAULT_CLEANUP_RATE),
      dryRun: v['dry-run'] ?? false,
    },
    io,
  );
  io.out(io.json ? JSON.stringify(report) : formatCleanup(report));
  return report.failed > 0 ? 3 : 0;
}
