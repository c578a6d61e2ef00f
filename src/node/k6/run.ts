/** Runs the real k6 binary on a bundled scenario, with run tags, outputs and the environment a scenario reads. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { K6_ENV } from '../../shared/k6-contract.js';
import { controlSecretSource } from '../../shared/control.js';
import { awaitDrained, type ControlChannel } from './control.js';
import { K6_PROCESS_ENV } from './binary.js';

/** util-linux's setpriv, on every Debian: it sets the parent-death signal, then runs k6 in its place (same pid). */
const SETPRIV = '/usr/bin/setpriv';

export interface K6RunSpec {
  readonly k6: string;
  readonly script: string;
  /** run tags added to every metric (testid, profile, target) */
  readonly tags: Readonly<Record<string, string>>;
  /** InfluxDB v1 output URL with database, e.g. http://127.0.0.1:8086/offerload; undefined = no output */
  readonly influxOut: string | undefined;
  /** file for k6's HTML report (web dashboard export) */
  readonly htmlReport: string;
  /** planned run length, seconds: sets the report's aggregation period */
  readonly durationSec: number;
  /** variables the scenario reads (OFFERLOAD_*), credentials included: passed in the environment, never argv */
  readonly env: Readonly<Record<string, string>>;
  /** where k6's own output goes */
  readonly stdio: 'inherit' | 'pipe';
  /** more k6 flags (never secrets), e.g. for runs that keep no summary */
  readonly extraArgs?: readonly string[];
  /** port for k6's REST API on loopback (its own per run, so parallel runs never clash on 6565) */
  readonly apiPort: number;
  /** the drain channel (control.ts); undefined: a stop cancels what is in flight */
  readonly control?: ControlChannel;
  /** the longest a drain may wait for the requests in flight, ms (the request timeout and a margin) */
  readonly drainMaxMs?: number;
}

export interface K6Result {
  readonly exitCode: number;
  /** the signal that killed k6 (SIGKILL from outside, the OOM killer), or null when it exited */
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

/** The argv for k6 (no secrets ever go here). */
export function k6Args(spec: K6RunSpec): string[] {
  const args = ['run', '--no-usage-report', '--address', `127.0.0.1:${spec.apiPort}`];
  // piped output is for tests and logs: k6's live progress bar only helps a terminal
  if (spec.stdio === 'pipe') args.push('--quiet');
  for (const [k, v] of Object.entries(spec.tags)) args.push('--tag', `${k}=${v}`);
  if (spec.influxOut) args.push('--out', `influxdb=${spec.influxOut}`);
  if (spec.control) args.push(`--secret-source=${controlSecretSource(spec.control.url)}`);
  args.push(...(spec.extraArgs ?? []));
  args.push(spec.script);
  return args;
}

export interface K6Process {
  readonly done: Promise<K6Result>;
  /** asks k6 to stop at once (SIGINT): it cancels what is in flight and still writes its summary */
  stop(): void;
  /**
   * Stops k6 after a drain: no new work, the requests in flight answered, then SIGINT; without a drain
   * channel the same as `stop`. Resolves with how long the drain waited, ms.
   */
  drain(): Promise<number>;
}

/** Starts k6; `done` resolves with its exit code (and output when piped). */
export function runK6(spec: K6RunSpec): K6Process {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...spec.env,
    K6_WEB_DASHBOARD: 'true',
    // no dashboard HTTP server (port -1): only the exported report
    K6_WEB_DASHBOARD_PORT: '-1',
    K6_WEB_DASHBOARD_EXPORT: spec.htmlReport,
    // k6 skips the report when a run has too few aggregation periods; about 60 periods a run, 1 to 10 s each
    K6_WEB_DASHBOARD_PERIOD: `${Math.min(10, Math.max(1, Math.floor(spec.durationSec / 60)))}s`,
    ...K6_PROCESS_ENV,
    ...(spec.control ? { [K6_ENV.control]: '1' } : {}),
  };
  // k6 dies with the CLI: killed with SIGKILL, the CLI runs no cleanup, so the kernel sends k6 SIGKILL
  // (setpriv --pdeathsig, util-linux); without setpriv k6 runs as a plain child
  const [command, args] = existsSync(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', 'KILL', '--', spec.k6, ...k6Args(spec)]]
    : [spec.k6, k6Args(spec)];
  // its own process group: a terminal's Ctrl-C reaches the CLI only, which drains k6 instead of k6 cancelling its requests
  const child = spawn(command, args, { env, stdio: ['ignore', spec.stdio, spec.stdio], detached: true });
  let exited = false;
  child.on('exit', () => (exited = true));
  const done = new Promise<K6Result>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ exitCode: code ?? 1, signal, output }));
  });
  // Arrival-rate executors cannot be paused once started and SIGINT cancels the requests in flight (the target
  // got them, k6 never records them): a drain first tells the VUs to start no more work through the channel.
  const stop = (): void => void (exited || child.kill('SIGINT'));
  let draining: Promise<number> | undefined;
  const drain = (): Promise<number> => {
    if (!spec.control) {
      stop();
      return Promise.resolve(0);
    }
    spec.control.stop();
    draining ??= awaitDrained(
      spec.apiPort,
      { seenMs: 1500, maxMs: spec.drainMaxMs ?? 62_000, pollMs: 250 },
      () => exited,
    ).then((ms) => {
      stop();
      return ms;
    });
    return draining;
  };
  return { done, stop, drain };
}
