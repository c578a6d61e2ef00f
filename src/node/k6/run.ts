/** Runs the real k6 binary on a bundled scenario, with run tags, outputs and the environment a scenario reads. */
import { spawn } from 'node:child_process';

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
}

export interface K6Result {
  readonly exitCode: number;
  readonly output: string;
}

/** The argv for k6 (no secrets ever go here). */
export function k6Args(spec: K6RunSpec): string[] {
  const args = ['run', '--no-usage-report'];
  // piped output is for tests and logs: k6's live progress bar only helps a terminal
  if (spec.stdio === 'pipe') args.push('--quiet');
  for (const [k, v] of Object.entries(spec.tags)) args.push('--tag', `${k}=${v}`);
  if (spec.influxOut) args.push('--out', `influxdb=${spec.influxOut}`);
  args.push(spec.script);
  return args;
}

/** Runs k6 to completion; resolves with its exit code (and output when piped). */
export function runK6(spec: K6RunSpec): Promise<K6Result> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...spec.env,
    K6_WEB_DASHBOARD: 'true',
    // no dashboard HTTP server (port -1): only the exported report
    K6_WEB_DASHBOARD_PORT: '-1',
    K6_WEB_DASHBOARD_EXPORT: spec.htmlReport,
    // k6 skips the report when a run has too few aggregation periods; about 60 periods a run, 1 to 10 s each
    K6_WEB_DASHBOARD_PERIOD: `${Math.min(10, Math.max(1, Math.floor(spec.durationSec / 60)))}s`,
    K6_NO_USAGE_REPORT: 'true',
  };
  return new Promise((resolve, reject) => {
    const child = spawn(spec.k6, k6Args(spec), { env, stdio: ['ignore', spec.stdio, spec.stdio] });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? 1, output }));
  });
}
