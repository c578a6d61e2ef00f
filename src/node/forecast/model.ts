/**
 * A workforce-management forecast as offerload reads it: intervals of contacts (and handle times where the
 * format has them) per queue, whatever the file's format (src/node/forecast/formats.ts).
 */

/** The formats offerload reads, as --forecast-format names them. */
export const FORECAST_FORMATS = ['csv', 'amazon-connect', 'genesys', 'calabrio'] as const;
export type ForecastFormat = (typeof FORECAST_FORMATS)[number];

export interface ForecastInterval {
  /** the queue, skill or planning group the file names (empty when it names none) */
  readonly queue: string;
  /** the instant the interval starts, ms since the epoch (a file without offsets is read as UTC) */
  readonly startMs: number;
  /** the start on the file's own clock (its offset, or as written), ms since 1970 read as UTC: what --window matches */
  readonly wallMs: number;
  readonly seconds: number;
  /** contacts forecast to arrive in the interval (not necessarily whole) */
  readonly contacts: number;
  /** average handle time, seconds (talk; after-call work apart where the format has it) */
  readonly ahtSec?: number;
  /** average after-call work, seconds */
  readonly acwSec?: number;
  /** agents the forecast plans (Calabrio's optional column) */
  readonly agents?: number;
  /** where the row came from, for messages: "line 12" or a JSON path */
  readonly at: string;
}

export interface Forecast {
  readonly file: string;
  readonly format: ForecastFormat;
  /** every interval's length, seconds (one per forecast) */
  readonly intervalSec: number;
  readonly intervals: readonly ForecastInterval[];
  /** rows the replay does not use, with why (Amazon Connect's daily long-term rows) */
  readonly skipped: readonly string[];
}

/** "YYYY-MM-DD HH:MM" of a wall-clock time. */
export const wallText = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
