/**
 * `offerload cleanup`'s work, also run at the end of `offerload run --cleanup`: read the run's records file,
 * ask the target what is still left, plan the actions, and (unless it is a dry run) carry them out one at a
 * time at the guardrail's rate. Planned from what the target says now, so running it twice does nothing more.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readRecordLog, RECORDS_FILE, type RecordLog } from '../../shared/run-records.js';
import type { Io } from '../io.js';
import { describeAction, performAction, planActions, RejectReasons, type Action } from './actions.js';
import { targetClient } from './client.js';
import { findLeftovers } from './find.js';
import { PROBES_DIR, probeFolder } from '../results/layout.js';

/** Requests per second cleanup sends when the target sets no max_rate. */
export const DEFAULT_CLEANUP_RATE = 10;

export interface CleanupSpec {
  readonly testid: string;
  readonly targetUrl: string;
  readonly creds: Readonly<Record<string, string>>;
  /** the run's records file; undefined or missing: only what the Table API finds by testid */
  readonly recordsFile: string | undefined;
  readonly ratePerSec: number;
  readonly dryRun: boolean;
}

export interface CleanupReport {
  readonly testid: string;
  readonly dry_run: boolean;
  readonly records_file: string | null;
  /** record lines that could not be read */
  readonly malformed_records: number;
  readonly actions: readonly { readonly kind: Action['kind']; readonly what: string; readonly error: string | null }[];
  readonly counts: Readonly<Record<Action['kind'], number>>;
  readonly failed: number;
  readonly requests: number;
  /** a capacity run's refinement probes (runs of their own, `<testid>-refine-N`), each cleaned the same way */
  readonly probes?: readonly CleanupReport[];
}

const EMPTY_LOG: RecordLog = { interactions: [], workItems: [], presence: new Map(), malformed: 0 };

export async function cleanupRun(spec: CleanupSpec, io: Io): Promise<CleanupReport> {
  const file = spec.recordsFile && existsSync(spec.recordsFile) ? spec.recordsFile : undefined;
  if (!file)
    io.phase(
      `cleanup ${spec.testid}: no records file; looking for its work items by testid only (interactions and presence changes are listed only in the file)`,
    );
  const log = file ? readRecordLog(readFileSync(file, 'utf8')) : EMPTY_LOG;
  const client = targetClient(spec.targetUrl, spec.creds, spec.testid, spec.ratePerSec);
  const actions = planActions(await findLeftovers(client, spec.testid, log));
  const reasons = new RejectReasons();
  const done: { kind: Action['kind']; what: string; error: string | null }[] = [];
  for (const a of actions) {
    const what = describeAction(a);
    const error = spec.dryRun ? null : ((await performAction(a, client, reasons)) ?? null);
    done.push({ kind: a.kind, what, error });
    io.phase(`${spec.dryRun ? 'would ' : ''}${what}${error ? `: FAILED (${error})` : ''}`);
  }
  const counts = { close_interaction: 0, reject_work_item: 0, restore_presence: 0, leave_work_item: 0 };
  for (const a of done) if (!a.error) counts[a.kind]++;
  return {
    testid: spec.testid,
    dry_run: spec.dryRun,
    records_file: file ?? null,
    malformed_records: log.malformed,
    actions: done,
    counts,
    failed: done.filter((a) => a.error).length,
    requests: client.sent,
  };
}

/** One line saying what cleanup did (or would do). */
export function formatCleanup(r: CleanupReport): string {
  const c = r.counts;
  const verb = r.dry_run ? 'would close' : 'closed';
  const line = `cleanup ${r.testid}: ${verb} ${c.close_interaction} interaction(s), ${r.dry_run ? 'reject' : 'rejected'} ${c.reject_work_item} pending work item(s), ${r.dry_run ? 'restore' : 'restored'} ${c.restore_presence} agent presence(s); ${c.leave_work_item} work item(s) left as routing has them`;
  const probes = (r.probes ?? []).map((p) => `\n${formatCleanup(p)}`).join('');
  return `${line}${r.failed ? `; ${r.failed} FAILED` : ''}${r.malformed_records ? `; ${r.malformed_records} unreadable record line(s)` : ''} (${r.requests} requests)${probes}`;
}

/**
 * The run and its refinement probes: a capacity run's probes are runs of their own whose records are kept in
 * the run's folder under refine/<probe testid>/ (src/node/run/refine.ts), and whose work items carry their own
 * testid, so cleaning the run alone would leave them.
 */
export async function cleanupRunAndProbes(spec: CleanupSpec, io: Io): Promise<CleanupReport> {
  const main = await cleanupRun(spec, io);
  const refineDir = spec.recordsFile ? path.join(path.dirname(spec.recordsFile), PROBES_DIR) : undefined;
  if (!refineDir || !existsSync(refineDir)) return main;
  const probes: CleanupReport[] = [];
  for (const probe of readdirSync(refineDir).sort()) {
    probes.push(
      await cleanupRun(
        {
          ...spec,
          testid: probe,
          recordsFile: path.join(probeFolder(path.dirname(spec.recordsFile!), probe), RECORDS_FILE),
        },
        io,
      ),
    );
  }
  return {
    ...main,
    probes,
    failed: main.failed + probes.reduce((a, p) => a + p.failed, 0),
    requests: main.requests + probes.reduce((a, p) => a + p.requests, 0),
  };
}
