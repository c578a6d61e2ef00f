/** `offerload list`: scenarios, profiles, and the recent runs the results folder and InfluxDB hold. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PROFILES } from '../../shared/profiles.js';
import { SCENARIOS } from '../../shared/scenarios.js';
import { query } from '../influx/client.js';
import { ANALYSIS_OPTIONS, analysisTargets } from './analysis-flags.js';
import * as flag from './flags.js';
import type { Io } from '../io.js';
import { SUMMARY_FILE } from '../results/layout.js';

export const LIST_HELP = `usage: offerload list [--results DIR] [--influx URL]

Lists the scenarios (with the profiles each accepts), the profiles, and the most recent runs in the
results folder and in InfluxDB.

examples:
  offerload list
  offerload list --results /srv/offerload/results --influx http://127.0.0.1:8086`;

export async function listCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('--help')) {
    io.out(LIST_HELP);
    return 0;
  }
  const { values: v } = flag.parseFlags('list', argv, ANALYSIS_OPTIONS);
  const { resultsDir, influx } = analysisTargets(v, io);
  const lines = ['scenarios:'];
  for (const [name, s] of Object.entries(SCENARIOS))
    lines.push(`  ${name.padEnd(14)} ${s.description} [${s.profiles.join(', ')}]`);
  lines.push('profiles:');
  for (const [name, p] of Object.entries(PROFILES))
    lines.push(`  ${name.padEnd(14)} ${p.description} (default ${p.defaults.rate}/s, ${p.defaults.durationSec} s)`);
  lines.push(`runs in ${resultsDir}:`);
  const runs = existsSync(resultsDir)
    ? readdirSync(resultsDir)
        .filter((d) => existsSync(path.join(resultsDir, d, SUMMARY_FILE)))
        .map((d) => ({ d, at: statSync(path.join(resultsDir, d, SUMMARY_FILE)).mtimeMs }))
        .sort((a, b) => b.at - a.at)
        .slice(0, 15)
    : [];
  for (const { d } of runs) {
    const s = JSON.parse(readFileSync(path.join(resultsDir, d, SUMMARY_FILE), 'utf8')) as {
      scenario: string;
      profile: string;
      started_at: string;
      slos?: { pass: boolean }[];
    };
    lines.push(
      `  ${d.padEnd(44)} ${s.scenario}/${s.profile} ${s.started_at} ${s.slos?.every((x) => x.pass) === false ? 'SLO missed' : ''}`,
    );
  }
  if (runs.length === 0) lines.push('  (none)');
  const inInflux = await query(influx, 'SHOW TAG VALUES FROM "http_reqs" WITH KEY = "testid"')
    .then((r) => r.map((x) => String(x.value)))
    .catch(() => undefined);
  lines.push(
    `runs in InfluxDB ${influx.url}/${influx.database}: ${inInflux === undefined ? 'not reachable' : inInflux.length === 0 ? '(none)' : ''}`,
  );
  for (const id of (inInflux ?? []).sort().reverse().slice(0, 15)) lines.push(`  ${id}`);
  io.out(lines.join('\n'));
  return 0;
}
