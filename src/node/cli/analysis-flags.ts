/** Flags the analysis commands share: where runs are (results folder, InfluxDB) and where output goes. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_DATABASE, influxBaseUrl, influxTarget, type InfluxTarget } from '../influx/connection.js';
import { defaultInfluxOptions, influxUrl } from '../influx/server.js';
import { loadRunConfig } from '../run/config-file.js';
import * as flag from './flags.js';
import { type Flag, type FlagValues, flagsHelp, flagValue, parserOptions } from '../flag-table.js';
import { DEFAULT_RESULTS_DIR } from '../results/layout.js';
import type { Io } from '../io.js';

/** Where runs are looked up: a results folder and an InfluxDB (doctor, list and influx setup use these rows too). */
export const WHERE_RUNS_ARE = [
  {
    name: 'results',
    type: 'string',
    arg: 'DIR',
    help: 'results folder runs are looked up in',
    default: DEFAULT_RESULTS_DIR,
  },
  {
    name: 'influx',
    type: 'string',
    arg: 'URL',
    help: 'InfluxDB for runs named by testid alone',
    defaultText: 'the local one',
  },
  { name: 'influx-db', type: 'string', arg: 'NAME', help: 'database', default: DEFAULT_DATABASE },
  {
    name: 'influx-flavour',
    type: 'string',
    arg: '1|2|3',
    help: 'the InfluxDB kind to assume (1.x, 2.x, 3.x) when a proxy hides the version /ping and /health name',
    defaultText: 'read from the server',
  },
  {
    name: 'config',
    type: 'string',
    arg: 'FILE',
    help: 'run configuration file whose influx section (URL, database, credential variables, CA file) is used',
    defaultText: 'offerload.config.json when present',
  },
  { name: 'insecure-skip-tls-verify', type: 'boolean', help: "do not verify InfluxDB's certificate" },
] as const satisfies readonly Flag[];

/** The analysis commands' shared flags: where runs are, and the output's format and file. */
export const ANALYSIS_FLAGS = [
  ...WHERE_RUNS_ARE,
  { name: 'format', type: 'string', arg: 'F', help: 'output format (each command lists its own)' },
  { name: 'out', type: 'string', arg: 'FILE', help: 'write the output to FILE instead of printing it' },
] as const satisfies readonly Flag[];

export const ANALYSIS_OPTIONS = parserOptions(ANALYSIS_FLAGS);

export const ANALYSIS_HELP = flagsHelp(WHERE_RUNS_ARE);

interface AnalysisFlagValues {
  results?: string;
  influx?: string;
  'influx-db'?: string;
  'influx-flavour'?: string;
  config?: string;
  'insecure-skip-tls-verify'?: boolean;
}

/** Where runs are: flags over the config file's influx section over the environment (credentials) over the local InfluxDB. */
export function analysisTargets(v: AnalysisFlagValues, io: Io): { resultsDir: string; influx: InfluxTarget } {
  const section = loadRunConfig(v.config).influx;
  const database =
    v['influx-db'] !== undefined
      ? flag.label('--influx-db', v['influx-db'])
      : section?.database
        ? flag.label('influx.database', section.database)
        : flagValue(WHERE_RUNS_ARE, {}, 'influx-db')!;
  const url =
    v.influx !== undefined
      ? influxBaseUrl('--influx', v.influx)
      : section?.url
        ? influxBaseUrl('influx.url', section.url)
        : influxUrl(defaultInfluxOptions(io.env));
  const influx = influxTarget({
    url,
    database,
    section,
    env: io.env,
    insecureSkipTlsVerify: v['insecure-skip-tls-verify'] ?? false,
    ...(v['influx-flavour'] !== undefined ? { flavour: v['influx-flavour'] } : {}),
  });
  return { resultsDir: path.resolve(flagValue(WHERE_RUNS_ARE, v as FlagValues, 'results')!), influx };
}

/** Prints the text, or writes it to --out and says so. */
export function emit(io: Io, text: string, out: string | undefined): void {
  if (out === undefined) io.out(text);
  else {
    writeFileSync(out, text.endsWith('\n') ? text : `${text}\n`);
    io.phase(`written: ${out}`);
  }
}
