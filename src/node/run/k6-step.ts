/**
 * Run step 3, k6: the real k6 on the scenario's bundle with the run's tags, outputs and environment (the k6
 * contract), under the watchdog and the signals. Ends when k6 does; says whether the watchdog or a signal
 * stopped it.
 */
import path from 'node:path';
import { K6_ENV, k6Env, runTags, scenarioArgs } from '../../shared/k6-contract.js';
import { RECORDS_FILE } from '../../shared/run-records.js';
import { SCENARIOS } from '../../shared/scenarios.js';
import { bundlePath } from '../build/bundle.js';
import { freePort } from '../influx/server.js';
import { writeAnnotation, type RunLabels } from '../influx/schema.js';
import type { InfluxTarget } from '../influx/connection.js';
import { k6InfluxOutput } from '../influx/k6-output.js';
import { childNamed, generatorName, sampleGeneratorHealth } from './generator-health.js';
import type { Io } from '../io.js';
import { runK6 } from '../k6/run.js';
import { openControl } from '../k6/control.js';
import type { RunOptions } from './plan.js';
import { rulesFor, watch, type Breach } from './watchdog.js';

export interface K6Step {
  readonly k6: string;
  readonly targetUrl: string;
  readonly influx: InfluxTarget | undefined;
  readonly creds: Readonly<Record<string, string>>;
  readonly poolPath: string;
  /** the arrival plan, when arrivals are Poisson */
  readonly arrivalsPath: string | undefined;
  /** the contact plan, for a scenario that plans contacts */
  readonly contactsPath?: string;
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
  /** k6 was killed by this signal from outside (not our own stop): its summary is lost, the results are partial */
  readonly killedBy: string | undefined;
  /** where k6 wrote its end-of-test data, or its CSV stream (soak) */
  readonly summaryPath: string;
  readonly csvPath: string;
}

export function runLabels(opts: RunOptions): RunLabels {
  return {
    testid: opts.testid,
    scenario: opts.scenario,
    profile: opts.profile,
    target: opts.targetLabel,
    version: opts.versionLabel,
  };
}

export async function runScenario(opts: RunOptions, s: K6Step, io: Io): Promise<K6Outcome> {
  const info = SCENARIOS[opts.scenario]!;
  io.phase(
    `running ${opts.scenario} (${opts.profile}, ${opts.params.rate}/s, ${opts.params.durationSec} s) against ${s.targetUrl}`,
  );
  const summaryPath = path.join(s.workDir, 'k6-summary.json');
  const csvPath = path.join(s.workDir, 'k6-points.csv.gz');
  const startedAt = new Date();
  if (s.influx) {
    await writeAnnotation(
      s.influx,
      runLabels(opts),
      'start',
      startedAt,
      `${opts.scenario} / ${opts.profile} at ${opts.params.rate}/s for ${opts.params.durationSec} s against ${opts.targetLabel} (version ${opts.versionLabel})`,
    );
  }
  const influxOut = s.influx ? k6InfluxOutput(s.influx, s.workDir) : undefined;
  // the drain channel: an early stop lets what is in flight answer, so sent, received and stored agree
  const control = await openControl();
  const k6run = runK6({
    control,
    drainMaxMs: (opts.requestTimeoutSec + 2) * 1000,
    k6: s.k6,
    apiPort: await freePort(),
    script: bundlePath(opts.scenario),
    tags: runTags(opts),
    // the InfluxDB output is configured through k6's environment (k6-output.ts): path prefix, credentials, CA
    influxOut: undefined,
    htmlReport: path.join(s.workDir, 'k6-report.html'),
    durationSec: opts.params.durationSec,
    // a soak keeps no samples in k6: no summary, no thresholds; requests are counted from the CSV stream
    extraArgs: [
      ...(influxOut?.args ?? []),
      ...scenarioArgs(opts.scenario),
      ...(info.summaryFromInflux ? ['--out', `csv=${csvPath}`] : []),
    ],
    env: {
      ...s.creds,
      ...influxOut?.env,
      ...k6Env({
        ...opts,
        target: s.targetUrl,
        poolPath: s.poolPath,
        arrivalsPath: s.arrivalsPath,
        contactsPath: s.contactsPath,
        summaryPath: info.summaryFromInflux ? '' : summaryPath,
      }),
      // what the run creates and changes, appended by k6 as it goes (k6's console output is the scenarios' record log)
      [K6_ENV.records]: '1',
      K6_CONSOLE_OUTPUT: path.join(s.workDir, RECORDS_FILE),
    },
    stdio: opts.quiet ? 'pipe' : 'inherit',
  });
  // k6's CPU and memory from /proc, beside its points (k6 is this process's only child named k6)
  const health = s.influx
    ? sampleGeneratorHealth(
        s.influx,
        { ...runTags(opts), scenario: opts.scenario, generator: generatorName(io.env) },
        () => childNamed('k6'),
        io.phase,
      )
    : undefined;
  let interrupted: string | undefined;
  let breach: Breach | undefined;
  // SIGINT/SIGTERM: drain k6 (no new work, what is in flight answers), keep what was measured, mark the
  // results partial; a second signal stops k6 at once
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) {
      io.phase(`${signal} again: stopping k6 now; requests in flight are lost to the accounting`);
      k6run.stop();
      return;
    }
    interrupted = signal;
    io.phase(
      `${signal}: draining k6 (no new requests; those in flight may answer for up to ${opts.requestTimeoutSec} s); results will be written and marked partial. ${signal} again stops at once`,
    );
    void k6run.drain();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stopWatching = s.influx
    ? watch(s.influx, opts.testid, rulesFor(opts), (b) => {
        breach = b;
        io.phase(`stopping the run: ${b.reason}; draining the requests in flight`);
        void k6run.drain();
      })
    : () => {};
  try {
    const result = await k6run.done;
    const killedBy = result.signal && result.signal !== 'SIGINT' ? result.signal : undefined;
    return {
      exitCode: result.exitCode,
      output: result.output,
      startedAt,
      endedAt: new Date(),
      breach,
      interrupted,
      killedBy,
      summaryPath,
      csvPath,
    };
  } finally {
    stopWatching();
    await health?.stop();
    await control.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
