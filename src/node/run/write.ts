/**
 * Run step 5, write: summary.json, windows.json, report.html, junit.xml and summary.md into the run's
 * .partial folder, then the rename that makes the results whole.
 */
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bucketFor, windowsFromInflux } from '../analysis/windows.js';
import type { InfluxTarget } from '../influx/store.js';
import type { RunSummary } from '../results/model.js';
import { junitXml, reportHtml, summaryMarkdown } from '../results/reports.js';
import { REPORT_FILE, SUMMARY_FILE } from '../results/layout.js';

export async function writeResults(
  summary: RunSummary,
  influx: InfluxTarget | undefined,
  workDir: string,
  finalDir: string,
): Promise<void> {
  writeFileSync(path.join(workDir, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
  // windows sized by the planned duration, so two runs planned alike always pair window by window
  const windows = influx
    ? await windowsFromInflux(influx, summary.testid, bucketFor(summary.load.duration_s))
    : undefined;
  if (windows) writeFileSync(path.join(workDir, 'windows.json'), `${JSON.stringify(windows)}\n`);
  writeFileSync(path.join(workDir, REPORT_FILE), reportHtml(summary, windows));
  writeFileSync(path.join(workDir, 'junit.xml'), junitXml(summary));
  writeFileSync(path.join(workDir, 'summary.md'), summaryMarkdown(summary));
  renameSync(workDir, finalDir);
}
