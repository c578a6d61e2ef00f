/**
 * Carries out a run plan: bundle, start what is missing (simulator, InfluxDB), build the offer pool, run
 * the real k6 with run tags and outputs under the watchdog, then write <out>/<testid>/ and its summary.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Fixtures } from '../../shared/api.js';
import { expectedIterations, getProfile } from '../../shared/profiles.js';
import { SCENARIOS } from '../../shared/scenarios.js';
import { bundleIfStale, bundlePath } from '../build/bundle.js';
import type { Io } from '../cli/io.js';
import { buildPool, DEFAULT_POOL_OPTIONS } from '../data/pool.js';
import { discoverFixtures, loadFixturesFile } from '../data/fixtures-source.js';
import { EnvironmentError, UsageError } from '../errors.js';
import { defaultInfluxOptions, freePort, influxUrl, startInflux, stopInflux } from '../influx/server.js';
import { settledStoredRequests, type InfluxTarget } from '../influx/store.js';
import { backfillRollups, setupSchema, writeAlignedSeries, writeAnnotation, type RunLabels } from '../influx/schema.js';
import { latencyOf, outcomesOf, requestsOf, runSpan } from '../influx/windows.js';
import { ensureK6 } from '../k6/binary.js';
import { runK6 } from '../k6/run.js';
import { countRequestsInCsv } from '../results/csv-count.js';
import { formatSummary } from '../results/print.js';
import { accounting, byOperation, operationFrom, summariseOperation, type K6SummaryData } from '../results/summary.js';
import type { OperationSummary, RunSummary } from '../results/model.js';
import { loadSimConfig, type SimConfig } from '../sim/config.js';
import { startSimulator, type Simulator } from '../sim/server.js';
import type { RunOptions } from './plan.js';
import { SECTIONS } from './sections.js';
import { describePlan } from './dry-run.js';
import { windowsFromInflux } from '../analysis/windows.js';
import { junitXml, reportHtml, summaryMarkdown } from '../results/reports.js';
import { judge } from './slo.js';
import { rulesFor, watch, type Breach } from './watchdog.js';
import { poolFileText } from '../../shared/pool.js';

/** Most pool entries a run makes; longer runs wrap around (documents then come from the Interaction API). */
const MAX_POOL = 50_000;

function simSettings(file: string | undefined, env: NodeJS.ProcessEnv): SimConfig {
  try {
    return loadSimConfig({ file, env });
  } catch (e) {
    throw new UsageError((e as Error).message.replace('invalid --config', 'invalid --sim-config'));
  }
}

/** The fixtures: a user file, else the simulator's /sim/fixtures, else discovery through the Table API. */
export async function loadFixtures(opts: RunOptions, targetUrl: string, creds: Record<string, string>): Promise<Fixtures> {
  if (opts.fixturesFile) return loadFixturesFile(opts.fixturesFile);
  if (!opts.discover) {
    const res = await fetch(`${targetUrl}/sim/fixtures`).catch((e: Error) => {
      throw new EnvironmentError(`target ${targetUrl} is not reachable: ${e.message}`);
    });
    if (res.ok) return (await res.json()) as Fixtures;
  }
  const headers: Record<string, string> = {};
  if (creds.OFFERLOAD_TOKEN) headers.Authorization = `Bearer ${creds.OFFERLOAD_TOKEN}`;
  else if (creds.OFFERLOAD_USERNAME) headers.Authorization = `Basic ${Buffer.from(`${creds.OFFERLOAD_USERNAME}:${creds.OFFERLOAD_PASSWORD ?? ''}`).toString('base64')}`;
  return discoverFixtures(targetUrl, headers);
}

async function receivedByTarget(sim: Simulator | undefined, targetUrl: string, testid: string): Promise<{ total: number; byOp: Record<string, number> } | null> {
  if (sim) return { total: sim.stats.snapshot(testid).total, byOp: sim.stats.operations(testid) };
  const res = await fetch(`${targetUrl}/sim/stats?testid=${encodeURIComponent(testid)}`).catch(() => undefined);
  if (!res?.ok) return null;
  const body = (await res.json()) as { received: { total: number }; operations?: Record<string, number> };
  return { total: body.received.total, byOp: body.operations ?? {} };
}

/** Credentials for k6 and the embedded simulator: the user's, or a one-run credential for the simulator. */
export function credentials(embedded: boolean, env: NodeJS.ProcessEnv): Record<string, string> {
  const keys = ['OFFERLOAD_USERNAME', 'OFFERLOAD_PASSWORD', 'OFFERLOAD_TOKEN', 'OFFERLOAD_OAUTH_CLIENT_ID', 'OFFERLOAD_OAUTH_CLIENT_SECRET', 'OFFERLOAD_OAUTH_TOKEN_URL'] as const;
  const given = Object.fromEntries(keys.filter((k) => env[k]).map((k) => [k, env[k]!]));
  if (Object.keys(given).length > 0 || !embedded) return given;
  return { OFFERLOAD_USERNAME: 'offerload.integration', OFFERLOAD_PASSWORD: randomBytes(18).toString('base64url') };
}

async function operationsFromInflux(influx: InfluxTarget, testid: string, ops: readonly string[], seconds: number): Promise<Record<string, OperationSummary>> {
  const out: Record<string, OperationSummary> = {};
  for (const op of ops) {
    out[op] = operationFrom(await requestsOf(influx, testid, op), seconds, await latencyOf(influx, testid, op), await outcomesOf(influx, testid, op));
  }
  return out;
}

/** Runs the plan; returns the exit code (0 pass, 1 SLO failed or k6 failed). */
export async function executeRun(opts: RunOptions, io: Io): Promise<number> {
  const info = SCENARIOS[opts.scenario]!;
  const finalDir = path.join(opts.outDir, opts.testid);
  if (existsSync(finalDir)) throw new UsageError(`invalid --testid: results for ${opts.testid} already exist in ${finalDir}`);
  const profile = getProfile(opts.profile);
  if (opts.dryRun) {
    io.out(describePlan(opts));
    return 0;
  }

  io.phase('building scenarios');
  await bundleIfStale(opts.scenario);
  const k6 = ensureK6();

  const creds = opts.credentials ?? credentials(opts.target === undefined, io.env);
  let sim: Simulator | undefined;
  let startedInflux: ReturnType<typeof defaultInfluxOptions> | undefined;
  let interrupted: string | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  const workDir = path.join(opts.outDir, `.${opts.testid}.partial`);
  try {
    let influx: InfluxTarget | undefined;
    try {
      if (opts.influx === 'local') {
        const local = defaultInfluxOptions(io.env);
        io.phase(`starting InfluxDB on ${influxUrl(local)}`);
        const started = await startInflux(local, io.phase);
        if (started.started) startedInflux = local;
        influx = { url: influxUrl(local), database: opts.influxDb };
      } else if (opts.influx) {
        const res = await fetch(`${opts.influx.url}/ping`, { signal: AbortSignal.timeout(3000) }).catch(() => undefined);
        if (res?.status !== 204) throw new EnvironmentError(`InfluxDB at ${opts.influx.url} does not answer /ping: start it, run with --no-influx, or allow local results only with --influx-optional`);
        influx = opts.influx;
      }
      if (influx) await setupSchema(influx);
    } catch (e) {
      if (!opts.influxOptional || info.summaryFromInflux) throw e;
      io.phase(`InfluxDB is not available (${(e as Error).message}); running with local results only (--influx-optional)`);
      influx = undefined;
    }
    if (!opts.target) {
      io.phase('starting the simulator');
      const settings = simSettings(opts.simConfig, { ...io.env, ...creds });
      // the embedded simulator reports its own state beside k6's, unless its config says where else
      const withInflux = influx && !settings.influx.url ? { ...settings, influx: { url: influx.url, database: influx.database } } : settings;
      sim = await startSimulator(withInflux);
      cleanups.push(() => sim!.close());
    }
    const targetUrl = opts.target ? opts.target.origin + opts.target.pathname.replace(/\/+$/, '') : sim!.url;

    io.phase('preparing test data');
    const fixtures = await loadFixtures(opts, targetUrl, creds);
    const planned = expectedIterations(profile, opts.params);
    const pool = buildPool(fixtures, { ...DEFAULT_POOL_OPTIONS, seed: opts.seed, size: Math.min(MAX_POOL, Math.ceil(planned * 1.05) + 100) });
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(path.join(workDir, 'inputs'), { recursive: true });
    const poolPath = path.join(workDir, 'inputs', 'pool.json');
    writeFileSync(poolPath, poolFileText(pool));

    io.phase(`running ${opts.scenario} (${opts.profile}, ${opts.params.rate}/s, ${opts.params.durationSec} s) against ${targetUrl}`);
    const k6SummaryPath = path.join(workDir, 'k6-summary.json');
    const csvPath = path.join(workDir, 'k6-points.csv.gz');
    const startedAt = new Date();
    const labels: RunLabels = { testid: opts.testid, scenario: opts.scenario, profile: opts.profile, target: opts.targetLabel, version: opts.versionLabel };
    if (influx) {
      await writeAnnotation(influx, labels, 'start', startedAt, `${opts.scenario} / ${opts.profile} at ${opts.params.rate}/s for ${opts.params.durationSec} s against ${opts.targetLabel} (version ${opts.versionLabel})`);
    }
    const k6run = runK6({
      k6,
      apiPort: await freePort(),
      script: bundlePath(opts.scenario),
      tags: { ...opts.extraTags, testid: opts.testid, profile: opts.profile, target: opts.targetLabel, version: opts.versionLabel },
      influxOut: influx ? `${influx.url}/${influx.database}` : undefined,
      htmlReport: path.join(workDir, 'k6-report.html'),
      durationSec: opts.params.durationSec,
      // a soak keeps no samples in k6: no summary, no thresholds; requests are counted from the CSV stream
      extraArgs: info.summaryFromInflux ? ['--summary-mode=disabled', '--no-thresholds', '--out', `csv=${csvPath}`] : [],
      env: {
        ...creds,
        OFFERLOAD_TARGET: targetUrl,
        OFFERLOAD_TESTID: opts.testid,
        OFFERLOAD_PROFILE: opts.profile,
        OFFERLOAD_RATE: String(opts.params.rate),
        OFFERLOAD_DURATION: `${opts.params.durationSec}s`,
        OFFERLOAD_SEED: String(opts.params.seed ?? 7),
        ...(opts.params.ceiling ? { OFFERLOAD_CEILING: String(opts.params.ceiling) } : {}),
        ...(opts.params.rampSec ? { OFFERLOAD_RAMP: `${opts.params.rampSec}s` } : {}),
        OFFERLOAD_POOL: poolPath,
        OFFERLOAD_SUMMARY: info.summaryFromInflux ? '' : k6SummaryPath,
        ...(opts.scenario === 'timeout-sweep' ? { OFFERLOAD_SWEEP: JSON.stringify(opts.sweep) } : {}),
        ...(opts.insecureSkipTlsVerify ? { K6_INSECURE_SKIP_TLS_VERIFY: 'true' } : {}),
        OFFERLOAD_REQUEST_TIMEOUT: `${opts.requestTimeoutSec}s`,
        OFFERLOAD_SESSIONS: opts.sessions,
      },
      stdio: opts.quiet ? 'pipe' : 'inherit',
    });
    // SIGINT/SIGTERM: stop k6 gracefully, keep what was measured, mark the results partial
    const onSignal = (signal: NodeJS.Signals): void => {
      if (interrupted) return;
      interrupted = signal;
      io.phase(`${signal}: stopping k6; results will be written and marked partial`);
      k6run.stop();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    cleanups.push(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
    let breach: Breach | undefined;
    if (influx) {
      cleanups.push(
        watch(influx, opts.testid, rulesFor(opts), (b) => {
          breach = b;
          io.phase(`stopping the run: ${b.reason}`);
          k6run.stop();
        }),
      );
    }
    const k6result = await k6run.done;
    const endedAt = new Date();

    io.phase('collecting results');
    let data: K6SummaryData | undefined;
    let operations: Record<string, OperationSummary>;
    let sent: number;
    let seconds: number;
    let dropped = 0;
    let sentByOp: Record<string, number> | undefined;
    if (info.summaryFromInflux) {
      if (!existsSync(csvPath)) throw new EnvironmentError(`k6 exited ${k6result.exitCode} without its CSV stream: ${k6result.output.trim().split('\n').slice(-3).join(' | ')}`);
      const span = influx ? await runSpan(influx, opts.testid) : undefined;
      seconds = span ? (span.endMs - span.startMs) / 1000 : (endedAt.getTime() - startedAt.getTime()) / 1000;
      operations = await operationsFromInflux(influx!, opts.testid, info.ops, seconds);
      const counted = await countRequestsInCsv(csvPath);
      sent = counted.total;
      sentByOp = counted.byName;
      rmSync(csvPath);
    } else {
      if (!existsSync(k6SummaryPath)) {
        throw new EnvironmentError(`k6 exited ${k6result.exitCode} without a summary${k6result.output ? `: ${k6result.output.trim().split('\n').slice(-3).join(' | ')}` : ''}`);
      }
      data = JSON.parse(readFileSync(k6SummaryPath, 'utf8')) as K6SummaryData;
      seconds = (data.state?.testRunDurationMs ?? endedAt.getTime() - startedAt.getTime()) / 1000;
      operations = Object.fromEntries(info.ops.map((op) => [op, summariseOperation(data!, op, seconds)]));
      sent = data.metrics.http_reqs?.values.count ?? 0;
      dropped = data.metrics.dropped_iterations?.values.count ?? 0;
    }
    // InfluxDB may have gone away during the run: the run still ends with every number k6 measured
    const influxGaps: string[] = [];
    let stored: number | null = null;
    let storedByOp: Record<string, number> | null = null;
    if (influx) {
      try {
        const s = await settledStoredRequests(influx, opts.testid);
        stored = s.total;
        storedByOp = s.byName;
        const span = await runSpan(influx, opts.testid);
        if (span) await writeAlignedSeries(influx, opts.testid, span.startMs, span.endMs);
        if (span && info.summaryFromInflux) await backfillRollups(influx, opts.testid, span.startMs, span.endMs);
        await writeAnnotation(influx, labels, 'end', endedAt, breach ? `stopped early: ${breach.reason}` : interrupted ? `interrupted (${interrupted})` : `ended after ${Math.round(seconds)} s`);
      } catch (e) {
        influxGaps.push(`InfluxDB at ${influx.url} could not be read after the run (${(e as Error).message}): stored count unknown`);
      }
    }
    const received = await receivedByTarget(sim, targetUrl, opts.testid);
    const slos = judge(opts, operations);
    const context = { ...opts, data, influx, targetUrl, operations, seconds };
    const sections = Object.assign({}, ...(await Promise.all(SECTIONS.map((s) => s(context)))));
    const summary: RunSummary = {
      testid: opts.testid,
      scenario: opts.scenario,
      profile: opts.profile,
      target: { label: opts.targetLabel, url: targetUrl, embedded_simulator: sim !== undefined },
      load: { rate: opts.params.rate, duration_s: opts.params.durationSec, expected_iterations: planned },
      started_at: startedAt.toISOString(),
      ended_at: endedAt.toISOString(),
      duration_s: Math.round(seconds * 1000) / 1000,
      k6_exit_code: k6result.exitCode,
      stopped_early: breach ? { reason: breach.reason } : null,
      tls_verification: opts.insecureSkipTlsVerify ? 'OFF (--insecure-skip-tls-verify)' : 'on',
      tags: opts.extraTags,
      dropped_iterations: dropped,
      operations,
      slos,
      accounting: (() => {
        const a = accounting(sent, received?.total ?? null, stored, breach !== undefined || interrupted !== undefined);
        const perOp = byOperation(sentByOp ?? Object.fromEntries(Object.entries(operations).map(([op, o]) => [op, o.requests])), received?.byOp ?? null, storedByOp);
        // per-operation differences are gaps only when the totals do not already name them
        return { ...a, by_operation: perOp.table, gaps: [...a.gaps, ...influxGaps, ...(a.balanced ? perOp.gaps : [])], balanced: a.balanced && perOp.gaps.length === 0 };
      })(),
      partial: interrupted ? { signal: interrupted } : null,
      influx: influx ?? null,
      ...sections,
    };
    writeFileSync(path.join(workDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    const windows = influx ? await windowsFromInflux(influx, opts.testid) : undefined;
    if (windows) writeFileSync(path.join(workDir, 'windows.json'), `${JSON.stringify(windows)}\n`);
    writeFileSync(path.join(workDir, 'report.html'), reportHtml(summary, windows));
    writeFileSync(path.join(workDir, 'junit.xml'), junitXml(summary));
    writeFileSync(path.join(workDir, 'summary.md'), summaryMarkdown(summary));
    renameSync(workDir, finalDir);
    // --json: the summary alone on stdout, for machines; otherwise the human summary
    io.out(io.json ? JSON.stringify(summary) : formatSummary(summary, finalDir));
    if (interrupted) return 130;
    const k6Ok = k6result.exitCode === 0 || breach !== undefined;
    return k6Ok && slos.every((v) => v.pass) ? 0 : 1;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
    // an interrupted run stops what it started, and only that
    if (interrupted && startedInflux) await stopInflux(startedInflux);
  }
}
