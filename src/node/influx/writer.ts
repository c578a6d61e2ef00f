/**
 * What the Node side writes to InfluxDB, through the official client (@influxdata/influxdb-client): the v2 write
 * API (/api/v2/write), which InfluxDB 1.8+, 2.x and 3.x all serve, with no DBRP mapping needed. The client brings
 * batching, gzip, retries with backoff and a bounded retry buffer; this file chooses them, points each server kind
 * at its bucket, and says what was lost and why in offerload's words. Queries stay on the v1 API (client.ts).
 *
 * How the client is set up, deliberately:
 * - batches of up to 5,000 lines (a second of the simulator's points is one line; a capacity run's plateaus a few
 *   hundred), gzipped above 1 KB;
 * - a write that fails with no answer, 429 or 5xx is retried at most 3 times within 20 s, after the server's
 *   Retry-After when it sends one, else with randomised exponential backoff: the n-th retry waits between
 *   0.5 x 2^(n-1) and 0.5 x 2^n s (at most 4 s) plus up to 0.2 s, so 3.5 to 7.6 s in all before a loss; any
 *   other refusal (400, 401, 403, 404) is not retried;
 * - a long-lived writer (the simulator's per-second points, the generator's health) holds at most 10,000 lines
 *   for retries, about 3 hours of the simulator's points: past that the oldest are dropped and counted as lost;
 * - the client's own console logging is off: a lost write is reported once, by whoever writes, with the
 *   server's reason.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import {
  HttpError,
  InfluxDB,
  Point as LinePoint,
  setLogger,
  type WriteApi,
  type WriteOptions,
} from '@influxdata/influxdb-client';
import { EnvironmentError } from '../errors.js';
import { INFLUX_ENV, type InfluxTarget } from './connection.js';
import { serverInfo, type ServerInfo } from './detect.js';
import { InfluxError, refused, unreachable } from './client.js';
import type { Point } from './line-protocol.js';

setLogger({ error: () => {}, warn: () => {} });

/** The retry and batching settings every writer shares (see the file's comment). */
export const WRITE_OPTIONS: Readonly<Partial<WriteOptions>> = {
  batchSize: 5_000,
  gzipThreshold: 1_000,
  maxRetries: 3,
  minRetryDelay: 500,
  maxRetryDelay: 4_000,
  exponentialBase: 2,
  randomRetry: true,
  retryJitter: 200,
  maxRetryTime: 20_000,
  maxBufferLines: 10_000,
};

const DEFAULT_TIMEOUT_MS = 15_000;

/** One of our points as the client's: empty tags and non-finite numbers left out; undefined when no field is left. */
export function linePoint(p: Point): LinePoint | undefined {
  const out = new LinePoint(p.measurement);
  for (const [k, v] of Object.entries(p.tags ?? {})) if (v !== '') out.tag(k, v);
  let fields = 0;
  for (const [k, v] of Object.entries(p.fields)) {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) continue;
      out.floatField(k, v);
    } else if (typeof v === 'boolean') out.booleanField(k, v);
    else out.stringField(k, v);
    fields++;
  }
  if (fields === 0) return undefined;
  return p.timestamp ? out.timestamp(p.timestamp) : out;
}

/**
 * The token the v2 write API takes: 1.x reads "user:password", 2.x and 3.x a token (a basic password is one). The
 * form is the one the server's own version names, even under a forced flavour.
 */
function tokenOf(t: InfluxTarget, info: ServerInfo): string | undefined {
  const a = t.auth?.reveal();
  if (!a) return undefined;
  if (a.kind === 'token') return a.token;
  return (info.named ?? info.flavour).name === '1' ? `${a.username}:${a.password}` : a.password;
}

/** Where a write goes: 1.x names "database/retention policy", 2.x and 3.x a bucket (or database) by name. */
export function bucketOf(t: InfluxTarget, info: ServerInfo, retentionPolicy?: string): string {
  return info.flavour.name === '1' && retentionPolicy ? `${t.database}/${retentionPolicy}` : t.database;
}

function clientOf(t: InfluxTarget, info: ServerInfo, timeoutMs: number): InfluxDB {
  if (!info.v2Write)
    throw new EnvironmentError(
      `InfluxDB ${info.version} at ${t.url} has no /api/v2/write, which offerload's own points go through: use InfluxDB 1.8 or later, or run with --no-influx`,
    );
  if (info.flavour.name === '2' && !t.org)
    throw new EnvironmentError(
      `InfluxDB 2.x at ${t.url} takes writes for an organisation: set influx.org in the config or ${INFLUX_ENV.org}`,
    );
  const secure = t.url.startsWith('https:');
  const transportOptions = secure
    ? {
        // a CA file adds to the system's roots; node's `ca` option would otherwise replace them
        ...(t.caFile ? { ca: [...rootCertificates, readFileSync(t.caFile, 'utf8')] } : {}),
        rejectUnauthorized: !t.insecureSkipTlsVerify,
      }
    : {};
  const token = tokenOf(t, info);
  return new InfluxDB({ url: t.url, timeout: timeoutMs, transportOptions, ...(token ? { token } : {}) });
}

/** A failed write in offerload's words: the server's reason, and what to check for credentials or TLS. */
function writeError(t: InfluxTarget, e: Error, lost: number, measurement: string): InfluxError {
  const what = `a write of ${lost} point(s) to ${measurement}`;
  return e instanceof HttpError
    ? refused(t, { status: e.statusCode, body: e.body ?? '' }, what)
    : unreachable(t, e, ` to write ${lost} point(s) to ${measurement}`);
}

/** The client's message when a batch's retries ran out of time (it then gives the batch up). */
const RETRY_TIME_OVER = 'Max retry time exceeded.';

/**
 * Whether the client puts these lines back for another try: its rule is no answer, 429 or 5xx, with retries
 * left; a batch whose time ran out comes back once more with RETRY_TIME_OVER and is then given up.
 */
function retried(e: Error, attempt: number): boolean {
  return (
    e.message !== RETRY_TIME_OVER &&
    attempt <= WRITE_OPTIONS.maxRetries! &&
    (!(e instanceof HttpError) || e.statusCode >= 429)
  );
}

export interface PointWriter {
  /** queues points; they go out within the writer's flush interval */
  write(points: readonly Point[]): void;
  /** sends what is queued, waits for its retries to end, and stops; resolves with the points lost in all */
  close(): Promise<number>;
}

export interface PointWriterOptions {
  readonly retentionPolicy?: string;
  /** how often queued points go out */
  readonly flushIntervalMs: number;
  readonly timeoutMs?: number;
  /** called with each loss once the client has given up on it (retries spent, refused, or dropped from the buffer) */
  readonly onLost?: (error: InfluxError, lost: number) => void;
}

/**
 * A long-lived writer of points (the simulator's per-second measurements, the generator's health): batches every
 * `flushIntervalMs`, retries as the file's comment says. The server kind is asked first (once per URL).
 */
export async function pointWriter(t: InfluxTarget, o: PointWriterOptions): Promise<PointWriter> {
  const info = await serverInfo(t);
  const influx = clientOf(t, info, o.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let queued = 0;
  let settled = 0;
  let lost = 0;
  let measurement = '';
  let drained: (() => void) | undefined;
  const settle = (n: number): void => {
    settled += n;
    if (settled >= queued) drained?.();
  };
  const api: WriteApi = influx.getWriteApi(t.org ?? '', bucketOf(t, info, o.retentionPolicy), 'ms', {
    ...WRITE_OPTIONS,
    flushInterval: o.flushIntervalMs,
    writeSuccess: (lines) => settle(lines.length),
    writeFailed: (e, lines, attempt) => {
      if (retried(e, attempt)) return;
      lost += lines.length;
      o.onLost?.(writeError(t, e, lines.length, measurement), lines.length);
      settle(lines.length);
    },
    writeRetrySkipped: (entry) => {
      lost += entry.lines.length;
      o.onLost?.(
        new InfluxError(
          `InfluxDB at ${t.url} did not take ${entry.lines.length} point(s) of ${measurement} before the retry buffer (${WRITE_OPTIONS.maxBufferLines} lines) filled`,
          undefined,
        ),
        entry.lines.length,
      );
      settle(entry.lines.length);
    },
  });
  return {
    write(points) {
      for (const p of points) {
        const line = linePoint(p);
        if (!line) continue;
        measurement ||= p.measurement;
        queued++;
        api.writePoint(line);
      }
    },
    async close() {
      // flush, then give the retries their time (bounded by maxRetryTime) before closing cancels what is left
      const all = new Promise<void>((resolve) => {
        drained = resolve;
        if (settled >= queued) resolve();
      });
      await api.flush().catch(() => {});
      const limit = new Promise<void>((resolve) => setTimeout(resolve, WRITE_OPTIONS.maxRetryTime!).unref());
      await Promise.race([all, limit]);
      const unsent = queued - settled;
      await api.close().catch(() => {});
      return lost + Math.max(0, unsent);
    },
  };
}

/**
 * Writes points once (the end of a run: capacity plateaus, rollups, the forecast, the contact plan), into
 * `retentionPolicy` on 1.x when given, retrying as the file's comment says; an InfluxError when any is lost.
 */
export async function writePoints(
  t: InfluxTarget,
  points: readonly Point[],
  retentionPolicy?: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<void> {
  if (points.length === 0) return;
  let first: InfluxError | undefined;
  const writer = await pointWriter(t, {
    flushIntervalMs: 0,
    timeoutMs,
    ...(retentionPolicy ? { retentionPolicy } : {}),
    onLost: (e) => {
      first ??= e;
    },
  });
  writer.write(points);
  const lost = await writer.close();
  if (lost > 0)
    throw (
      first ??
      new InfluxError(
        `InfluxDB at ${t.url} did not take ${lost} point(s) of ${points[0]!.measurement} within ${WRITE_OPTIONS.maxRetryTime! / 1000} s`,
        undefined,
      )
    );
}

export interface BackgroundWriter {
  /** queues points (dropped, and counted, while the server cannot be asked what it is) */
  write(points: readonly Point[]): void;
  /** sends what is queued and stops: resolves once written or given up (within the retry time) */
  close(): Promise<void>;
}

/**
 * A writer for measurements taken while something runs (the simulator's per-second points, the generator's
 * health): it never throws into the caller. The first loss is reported once through `warn`, naming `what`; when
 * the server cannot be reached to ask its kind, the points of that moment are lost and it asks again next time.
 */
export function backgroundWriter(
  t: InfluxTarget,
  what: string,
  warn: (message: string) => void,
  o: { readonly flushIntervalMs: number; readonly timeoutMs?: number },
): BackgroundWriter {
  let warned = false;
  const lost = (e: Error): void => {
    if (!warned) warn(`${what} not written to ${t.url}: ${e.message}`);
    warned = true;
  };
  let writer: Promise<PointWriter | undefined> | undefined;
  const ready = (): Promise<PointWriter | undefined> => {
    writer ??= pointWriter(t, { ...o, onLost: lost }).catch((e: Error) => {
      lost(e);
      writer = undefined;
      return undefined;
    });
    return writer;
  };
  return {
    write(points) {
      void ready().then((w) => w?.write(points));
    },
    async close() {
      const w = await writer;
      if (w) await w.close();
    },
  };
}
