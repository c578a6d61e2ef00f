/** Flags the analysis commands share: where runs are (results folder, InfluxDB) and where output goes. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_DATABASE, influxBaseUrl, influxTarget, type InfluxTarget } from '../influx/connection.js';
import { defaultInfluxOptions, influxUrl } from '../influx/server.js';
import { loadRunConfig } from '../run/config-file.js';
import * as flag from './flags.js';
import type { Io } from '../io.js';

export const ANALYSIS_OPTIONS = {
  results: { type: 'string' },
  influx: { type: 'string' },
  'influx-db': { type: 'string' },
  config: { type: 'string' },
  'insecure-skip-tls-verify': { type: 'boolean' },
  format: { type: 'string' },
  out: { type: 'string' },
} as const;

export const ANALYSIS_HELP = `  --results DIR        results folder runs are looked up in (default: results)
  --influx URL         InfluxDB for runs named by testid alone (default: the local one)
  --influx-db NAME     database (default: offerload)
  --config FILE        run configuration file whose influx section (URL, database, credential variables,
                       CA file) is used (default: offerload.config.json when present)
  --insecure-skip-tls-verify  do not verify InfluxDB's certificate`;

interface AnalysisFlagValues {
  results?: string;
  influx?: string;
  'influx-db'?: string;
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
        : DEFAULT_DATABASE;
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
  });
  return { resultsDir: path.resolve(v.results ?? 'results'), influx };
}

/** Prints the text, or writes it to --out and says so. */
export function emit(io: Io, text: string, out: string | undefined): void {
  if (out === undefined) io.out(text);
  else {
    writeFileSync(out, text.endsWith('\n') ? text : `${text}\n`);
    io.phase(`written: ${out}`);
  }
}
