/**
 * The load generator's own health while a run goes: k6's CPU share and resident memory, sampled from /proc
 * every second and written to InfluxDB as one measurement (offerload_generator) tagged like the run plus
 * `generator`. A generator near its CPU limit makes the latency and the plateau figures its own, so the
 * capacity analysis asks `maxGeneratorCpuShare` before it blames the target.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import { MEASUREMENTS } from '../../shared/measurements.js';
import { query, stringLit } from '../influx/client.js';
import { backgroundWriter } from '../influx/writer.js';
import type { InfluxTarget } from '../influx/connection.js';
import type { GeneratorHealth, RunSummary } from '../results/model.js';

export const GENERATOR_MEASUREMENT = MEASUREMENTS.generator;

/** One reading of a process: CPU time used so far (s) and resident memory (MiB). */
export interface ProcReading {
  readonly atMs: number;
  readonly cpuSec: number;
  readonly rssMb: number;
}

let ticks: number | undefined;
/** Clock ticks per second of /proc's CPU times (getconf CLK_TCK; 100 on every common Linux). */
function clockTicks(): number {
  ticks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  return ticks;
}

/** Reads /proc/<pid>/stat and /proc/<pid>/status; undefined once the process is gone. */
export function readProc(pid: number, atMs = Date.now()): ProcReading | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name, which is in parentheses and may hold spaces
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSec = (Number(fields[11]) + Number(fields[12])) / clockTicks();
    const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return { atMs, cpuSec, rssMb: rssKb / 1024 };
  } catch {
    return undefined;
  }
}

/** Fields of one sample from two readings: share of all cores (0-1), cores busy, RSS. */
export function sampleFields(
  prev: ProcReading,
  now: ProcReading,
  cores = availableParallelism(),
): { cpu_share: number; cpu_cores: number; rss_mb: number } {
  const wall = Math.max(0.001, (now.atMs - prev.atMs) / 1000);
  const busy = Math.max(0, now.cpuSec - prev.cpuSec) / wall;
  return {
    cpu_share: Math.round((busy / cores) * 10_000) / 10_000,
    cpu_cores: Math.round(busy * 1000) / 1000,
    rss_mb: Math.round(now.rssMb * 10) / 10,
  };
}

/** The pid of this process's child named `comm` (k6 runs under setpriv, which execs it in place), if any. */
export function childNamed(comm: string, parent = process.pid): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (name === comm && ppid === parent) return Number(entry);
    } catch {
      // gone while listed
    }
  }
  return undefined;
}

/** This generator's name: OFFERLOAD_GENERATOR (as k6's points carry it) or the host name. */
export function generatorName(env: NodeJS.ProcessEnv = process.env): string {
  return (env.OFFERLOAD_GENERATOR || hostname()).replace(/[^A-Za-z0-9._:/-]/g, '-').slice(0, 80);
}

export interface HealthSampler {
  /** stops sampling and writes what is buffered; resolves when written (or failed) */
  stop(): Promise<void>;
}

/**
 * Samples `pid()` every `everyMs` (default 1 s) and writes the samples to InfluxDB every `flushMs` (default
 * 5 s), retried as writer.ts says. A lost write is reported once; sampling goes on, so a short outage of
 * InfluxDB costs nothing and a long one only what the retries could not place.
 */
export function sampleGeneratorHealth(
  influx: InfluxTarget,
  tags: Readonly<Record<string, string>>,
  pid: () => number | undefined,
  warn: (m: string) => void,
  everyMs = 1000,
  flushMs = 5000,
): HealthSampler {
  let prev: ProcReading | undefined;
  const writer = backgroundWriter(influx, 'generator health', warn, { flushIntervalMs: flushMs, timeoutMs: 5000 });
  const sample = (): void => {
    const p = pid();
    const now = p === undefined ? undefined : readProc(p);
    if (prev && now)
      writer.write([
        { measurement: GENERATOR_MEASUREMENT, tags, fields: sampleFields(prev, now), timestamp: new Date(now.atMs) },
      ]);
    prev = now;
  };
  const sampler = setInterval(sample, everyMs);
  sampler.unref();
  return {
    stop: () => {
      clearInterval(sampler);
      return writer.close();
    },
  };
}

/** The run's generator section of the summary. */
export async function generatorSection(c: {
  readonly influx: InfluxTarget | undefined;
  readonly testid: string;
}): Promise<Pick<RunSummary, 'generator'>> {
  return { generator: c.influx ? await generatorHealthOf(c.influx, c.testid).catch(() => null) : null };
}

/**
 * k6's CPU share and memory over a window of a run (epoch ms, `toMs` exclusive), across its generators (the
 * busiest one counts); null when InfluxDB holds no samples for it.
 */
export async function generatorHealthOf(
  t: InfluxTarget,
  testid: string,
  fromMs?: number,
  toMs?: number,
): Promise<GeneratorHealth | null> {
  const range =
    (fromMs === undefined ? '' : ` AND time >= ${Math.floor(fromMs)}ms`) +
    (toMs === undefined ? '' : ` AND time < ${Math.floor(toMs)}ms`);
  const [r] = await query(
    t,
    `SELECT max("cpu_share") AS mx, mean("cpu_share") AS mean, max("rss_mb") AS rss, count("cpu_share") AS n FROM "${GENERATOR_MEASUREMENT}" WHERE "testid" = ${stringLit(testid)}${range}`,
  );
  if (!r?.n) return null;
  const round = (v: unknown): number => Math.round(Number(v) * 10_000) / 10_000;
  return {
    max_cpu_share: round(r.mx),
    mean_cpu_share: round(r.mean),
    max_rss_mb: Math.round(Number(r.rss) * 10) / 10,
    samples: Number(r.n),
  };
}

/** The highest one-second CPU share (0-1 of all cores) k6 used over a window; null without samples. For "limited by generator". */
export async function maxGeneratorCpuShare(
  t: InfluxTarget,
  testid: string,
  fromMs?: number,
  toMs?: number,
): Promise<number | null> {
  return (await generatorHealthOf(t, testid, fromMs, toMs))?.max_cpu_share ?? null;
}
