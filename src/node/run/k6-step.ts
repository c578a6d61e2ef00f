/**
 * Run step 3, k6: the real k6 on the scenario's bundle with the run's tags, outputs and environment (the k6
 * contract), under the watchdog and the signals. Ends when k6 does; says whether the watchdog or a signal
 * stopped it.
 */
import path from 'node:path';
import { k6Env, runTags } from '../../shared/k6-contract.js';
import { SCENARIOS } from '../../shared/scenarios.js';
import { bundlePath } from '../build/bundle.js';
import { freePort } from '../influx/server.js';
import { writeAnnotation, type RunLabels } from '../influx/schema.js';
import type { InfluxTarget } from '../influx/store.js';
import type { Io } from '../io.js';
import { runK6 } from '../k6/run.js';
import type { RunOptions } from './plan.js';
import { rulesFor, watch, type Breach } from './watchdog.js';

export interface K6Step {
  readonly k6: string;
  readonly targetUrl: string;
  readonly influx: InfluxTarget | undefined;
  readonly creds: Readonly<Record<string, string>>;
  readonly poolPath: string;
  readonly workDir: string;
}

export interface K6Outcome {
  readonly exitCode: number;
  /** k6's last output lines, for errors */
  readonly output: string;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly breach: Breach | undefined;
  readonly interrupted: string | undefined;
  /** where k6 wrote its end-of-test data, or its CSV stream (soak) */
  readonly summaryPath: string;
  readonly csvPath: string;
}

export function runLabels(opts: RunOptions): RunLabels {
  return { testid: opts.testid, scenario: opts.scenario, profile: opts.profile, target: opts.targetLabel, version: opts.versionLabel };
}

export async function runScenario(opts: RunOptions, s: K6Step, io: Io): Promise<K6Outcome> {
  const info = SCENARIOS[opts.scenario]!;
  io.phase(`running ${opts.scenario} (${opts.profile}, ${opts.params.rate}/s, ${opts.params.durationSec} s) against ${s.targetUrl}`);
  const summaryPath = path.join(s.workDir, 'k6-summary.json');
  const csvPath = path.join(s.workDir, 'k6-points.csv.gz');
  const startedAt = new Date();
  if (s.influx) {
    await writeAnnotation(s.influx, runLabels(opts), 'start', startedAt, `${opts.scenario} / ${opts.profile} at ${opts.params.rate}/s for ${opts.params.durationSec} s against ${opts.targetLabel} (version ${opts.versionLabel})`);
  }
  const k6run = runK6({
    k6: s.k6,
    apiPort: await freePort(),
    script: bundlePath(opts.scenario),
    tags: runTags(opts),
    influxOut: s.influx ? `${s.influx.url}/${s.influx.database}` : undefined,
    htmlReport: path.join(s.workDir, 'k6-report.html'),
    durationSec: opts.params.durationSec,
    // a soak keeps no samples in k6: no summary, no thresholds; requests are counted from the CSV stream
    extraArgs: info.summaryFromInflux ? ['--summary-mode=disabled', '--no-thresholds', '--out', `csv=${csvPath}`] : [],
    env: { ...s.creds, ...k6Env({ ...opts, target: s.targetUrl, poolPath: s.poolPath, summaryPath: info.summaryFromInflux ? '' : summaryPath }) },
    stdio: opts.quiet ? 'pipe' : 'inherit',
  });
  let interrupted: string | undefined;
  let breach: Breach | undefined;
  // SIGINT/SIGTERM: stop k6 gracefully, keep what was measured, mark the results partial
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = signal;
    io.phase(`${signal}: stopping k6; results will be written and marked partial`);
    k6run.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stopWatching = s.influx
    ? watch(s.influx, opts.testid, rulesFor(opts), (b) => {
        breach = b;
        io.phase(`stopping the run: ${b.reason}`);
        k6run.stop();
      })
    : () => {};
  try {
    const result = await k6run.done;
    return { exitCode: result.exitCode, output: result.output, startedAt, endedAt: new Date(), breach, interrupted, summaryPath, csvPath };
  } finally {
    stopWatching();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
