/** Flags the analysis commands share: where runs are (results folder, InfluxDB) and where output goes. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_DATABASE, type InfluxTarget } from '../influx/store.js';
import { defaultInfluxOptions, influxUrl } from '../influx/server.js';
import * as flag from './flags.js';
import type { Io } from '../io.js';

export const ANALYSIS_OPTIONS = {
  results: { type: 'string' },
  influx: { type: 'string' },
  'influx-db': { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
} as const;

export const ANALYSIS_HELP = `  --results DIR        results folder runs are looked up in (default: results)
  --influx URL         InfluxDB for runs named by testid alone (default: the local one)
  --influx-db NAME     database (default: offerload)`;

export function analysisTargets(v: { results?: string; influx?: string; 'influx-db'?: string }, io: Io): { resultsDir: string; influx: InfluxTarget } {
  const database = v['influx-db'] === undefined ? DEFAULT_DATABASE : flag.label('--influx-db', v['influx-db']);
  const url = v.influx === undefined ? influxUrl(defaultInfluxOptions(io.env)) : flag.httpUrl('--influx', v.influx).origin;
  return { resultsDir: path.resolve(v.results ?? 'results'), influx: { url, database } };
}

/** Prints the text, or writes it to --out and says so. */
export function emit(io: Io, text: string, out: string | undefined): void {
  if (out === undefined) io.out(text);
  else {
    writeFileSync(out, text.endsWith('\n') ? text : `${text}\n`);
    io.phase(`written: ${out}`);
  }
}
