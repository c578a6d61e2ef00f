/**
 * A project-local InfluxDB: the pinned influxd (1.8.10, built by scripts/install-influxd.sh) run with our own
 * config and data folder on loopback, with Flux and the v2 compatibility API (/api/v2/write, /api/v2/query)
 * enabled. Starting twice is harmless; stopping only ever signals the pid this project recorded.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { projectRoot, stateDir } from '../paths.js';
import { EnvironmentError, InputError } from '../errors.js';

export interface InfluxServerOptions {
  /** HTTP port on 127.0.0.1 (default 8086) */
  readonly port: number;
  /** folder for config, data, logs and the pid file */
  readonly dir: string;
  /** require credentials ([http] auth-enabled); the first user must then be created as an admin */
  readonly authEnabled?: boolean;
}

export const DEFAULT_INFLUX_PORT = 8086;

export function defaultInfluxOptions(env: NodeJS.ProcessEnv = process.env): InfluxServerOptions {
  const raw = env.OFFERLOAD_INFLUX_PORT;
  const port = raw === undefined || raw === '' ? DEFAULT_INFLUX_PORT : Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InputError('OFFERLOAD_INFLUX_PORT', `expected a TCP port from 1 to 65535, got "${raw}"`);
  }
  return { port, dir: path.join(stateDir, port === DEFAULT_INFLUX_PORT ? 'influxdb' : `influxdb-${port}`) };
}

const pidFile = (o: InfluxServerOptions): string => path.join(o.dir, 'influxd.pid');
const configFile = (o: InfluxServerOptions): string => path.join(o.dir, 'influxdb.conf');
export const influxUrl = (o: InfluxServerOptions): string => `http://127.0.0.1:${o.port}`;

/** A free loopback TCP port, from the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The InfluxDB server version offerload pins, runs and tests against (scripts/install-influxd.sh). */
export const INFLUXD_VERSION = '1.8.10';

/** Path of an influxd that reports the pinned version; builds it once when needed (progress on stderr). */
export function ensureInfluxd(): string {
  const r = spawnSync('bash', [path.join(projectRoot, 'scripts', 'install-influxd.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, OFFERLOAD_INFLUXD_VERSION: INFLUXD_VERSION },
  });
  const found = r.stdout.trim().split('\n').pop();
  if (r.status !== 0 || !found)
    throw new EnvironmentError(
      `InfluxDB ${INFLUXD_VERSION} is not available (scripts/install-influxd.sh exited ${r.status}).`,
    );
  return found;
}

function configText(o: InfluxServerOptions, rpcPort: number): string {
  const d = (sub: string): string => JSON.stringify(path.join(o.dir, sub));
  return [
    'reporting-disabled = true',
    `bind-address = "127.0.0.1:${rpcPort}"`,
    '[meta]',
    `  dir = ${d('meta')}`,
    '[data]',
    `  dir = ${d('data')}`,
    `  wal-dir = ${d('wal')}`,
    '  query-log-enabled = false',
    '[http]',
    '  enabled = true',
    `  bind-address = "127.0.0.1:${o.port}"`,
    `  auth-enabled = ${o.authEnabled ? 'true' : 'false'}`,
    '  log-enabled = false',
    // Flux on /api/v2/query, for users who query in Flux; /api/v2/write needs no switch
    '  flux-enabled = true',
    // k6 sends a second of points per write; when a flush is late the batch doubles, and past InfluxDB's
    // default 25 MB limit it is refused whole (measured at 8.6k requests/s: 18% of the run's points lost)
    '  max-body-size = 0',
    '[monitor]',
    '  store-enabled = false',
    '[continuous_queries]',
    '  enabled = true',
    '[logging]',
    '  level = "warn"',
    '',
  ].join('\n');
}

/** Whether InfluxDB answers /ping on this port. */
export async function ping(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/ping`, { signal: AbortSignal.timeout(1000) });
    return res.status === 204;
  } catch {
    return false;
  }
}

/** The recorded pid when that process is alive and is our influxd with our config. */
export function recordedPid(o: InfluxServerOptions): number | undefined {
  if (!existsSync(pidFile(o))) return undefined;
  const pid = Number(readFileSync(pidFile(o), 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('influxd') && cmdline.includes(configFile(o)) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface InfluxStatus {
  readonly running: boolean;
  readonly pid: number | undefined;
  readonly url: string;
  readonly dir: string;
}

export async function influxStatus(o: InfluxServerOptions): Promise<InfluxStatus> {
  const pid = recordedPid(o);
  return { running: pid !== undefined && (await ping(o.port)), pid, url: influxUrl(o), dir: o.dir };
}

/** Starts influxd unless ours already runs; `started` says whether this call started it. */
export async function startInflux(o: InfluxServerOptions): Promise<{ started: boolean; pid: number }> {
  const running = recordedPid(o);
  if (running !== undefined && (await ping(o.port))) return { started: false, pid: running };
  if (await ping(o.port)) {
    throw new EnvironmentError(
      `port ${o.port} already answers as an InfluxDB this project did not start: stop it, or set OFFERLOAD_INFLUX_PORT (or --influx) to use another.`,
    );
  }
  const binary = ensureInfluxd();
  mkdirSync(o.dir, { recursive: true });
  writeFileSync(configFile(o), configText(o, await freePort()));
  const logFd = openSync(path.join(o.dir, 'influxd.log'), 'a');
  const child = spawn(binary, ['-config', configFile(o)], { detached: true, stdio: ['ignore', logFd, logFd] });
  child.unref();
  if (child.pid === undefined) throw new EnvironmentError('influxd did not start');
  writeFileSync(pidFile(o), String(child.pid));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await ping(o.port)) return { started: true, pid: child.pid };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new EnvironmentError(
    `InfluxDB did not answer /ping on 127.0.0.1:${o.port} within 30 s: see ${path.join(o.dir, 'influxd.log')}`,
  );
}

/** Stops the influxd this project started (by its pid file); false when none was running. */
export async function stopInflux(o: InfluxServerOptions): Promise<boolean> {
  const pid = recordedPid(o);
  if (pid === undefined) {
    rmSync(pidFile(o), { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && recordedPid(o) !== undefined) await new Promise((r) => setTimeout(r, 100));
  if (recordedPid(o) !== undefined) process.kill(pid, 'SIGKILL');
  rmSync(pidFile(o), { force: true });
  return true;
}
