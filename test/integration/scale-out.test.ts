/**
 * One run split across two load generators, as the k6-operator runs what `offerload operator` packed: the
 * ConfigMap's bundle and pool run unchanged in two k6 processes, each with the TestRun's arguments and runner
 * environment plus the execution segment the operator hands each runner. Only addresses change (the cluster's
 * target and InfluxDB become the simulator and InfluxDB on loopback, /test the ConfigMap's files here). The
 * offered load adds up to the fixed total arrival rate, no document is used by both generators, each runner
 * tags its points with its own pod name, and InfluxDB aggregates both into one run by testid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowsFromInflux } from '../../src/node/analysis/windows.js';
import { setupSchema } from '../../src/node/influx/schema.js';
import { ensureK6 } from '../../src/node/k6/binary.js';
import { runCli, startSimProcess, stop } from '../helpers/cli.js';
import { influxQuery } from '../helpers/grafana.js';
import { startTestInflux } from '../helpers/influx.js';

const CREDS = { OFFERLOAD_USERNAME: 'scale.out', OFFERLOAD_PASSWORD: 'scale-out-only' };
const RATE = 20;
const SECONDS = 20;
const testid = `scale-${Date.now().toString(36)}`;
const CLUSTER_TARGET = 'http://offerload-sim.load.svc:8080';
const CLUSTER_INFLUX = 'http://influxdb.load.svc:8086';
const SEGMENTS = ['0:1/2', '1/2:1'];

let influx: Awaited<ReturnType<typeof startTestInflux>>;
let sim: { url: string; child: ChildProcess };
let pods: string[] = [];
const sent: Record<string, number> = {};

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}
interface TestRun {
  metadata: { name: string };
  spec: { parallelism: number; arguments: string; script: { configMap: { file: string } }; runner: { env: EnvVar[] } };
}

/** One runner: what the operator starts in pod `pod`, with loopback addresses. */
function runner(run: TestRun, pod: string, segment: string, files: string, summaryPath: string): Promise<number> {
  const args = run.spec.arguments.split(' ').map((a) => a.replace(CLUSTER_INFLUX, influx.url));
  const env: Record<string, string> = Object.fromEntries(
    run.spec.runner.env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(
      ensureK6(),
      // the operator's order: segment, the TestRun's arguments, the script, then tags of its own (which replace a script's options.tags)
      [
        'run',
        '-q',
        '--no-usage-report',
        '--execution-segment',
        segment,
        '--execution-segment-sequence',
        '0,1/2,1',
        ...args,
        path.join(files, run.spec.script.configMap.file),
        '--address',
        '127.0.0.1:0',
        '--tag',
        `instance_id=${pod.split('-').at(-1)}`,
        '--tag',
        `testrun_name=${run.metadata.name}`,
      ],
      {
        env: {
          ...process.env,
          ...CREDS,
          ...env,
          OFFERLOAD_TARGET: sim.url,
          OFFERLOAD_POOL: env.OFFERLOAD_POOL!.replace('/test', files),
          OFFERLOAD_GENERATOR: pod,
          OFFERLOAD_SUMMARY: summaryPath,
        },
        stdio: 'ignore',
      },
    );
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
}

beforeAll(async () => {
  influx = await startTestInflux('scale-out');
  await setupSchema({ url: influx.url, database: 'offerload' });
  sim = await startSimProcess(['--port', '0'], CREDS);
  const config = path.join(influx.dir, 'offerload.config.json');
  writeFileSync(config, JSON.stringify({ targets: { cluster: { url: CLUSTER_TARGET, allow: true, label: 'sim' } } }));
  const fixtures = path.join(influx.dir, 'fixtures.json');
  writeFileSync(fixtures, await (await fetch(`${sim.url}/sim/fixtures`)).text());
  const manifests = path.join(influx.dir, 'manifests');
  const packed = await runCli([
    'operator',
    'offer-burst',
    '--config',
    config,
    '--target',
    'cluster',
    '--fixtures',
    fixtures,
    '--influx',
    CLUSTER_INFLUX,
    '--parallelism',
    '2',
    '--profile',
    'average',
    '--rate',
    String(RATE),
    '--duration',
    `${SECONDS}s`,
    '--testid',
    testid,
    '--manifests',
    manifests,
  ]);
  if (packed.code !== 0) throw new Error(packed.stderr);
  const [configMap, run] = parseAllDocuments(
    readFileSync(path.join(manifests, `offerload-${testid}.yaml`), 'utf8'),
  ).map((d) => d.toJS()) as [{ data: Record<string, string> }, TestRun];
  expect(run.spec.parallelism).toBe(2);
  const files = path.join(influx.dir, 'test');
  mkdirSync(files);
  for (const [name, text] of Object.entries(configMap.data)) writeFileSync(path.join(files, name), text);
  pods = SEGMENTS.map((_, i) => `${run.metadata.name}-${i + 1}`);
  const codes = await Promise.all(
    SEGMENTS.map((segment, i) => runner(run, pods[i]!, segment, files, path.join(influx.dir, `${pods[i]}.json`))),
  );
  expect(codes).toEqual([0, 0]);
  for (const pod of pods) {
    const data = JSON.parse(readFileSync(path.join(influx.dir, `${pod}.json`), 'utf8')) as {
      metrics: { http_reqs: { values: { count: number } } };
    };
    sent[pod] = data.metrics.http_reqs.values.count;
  }
}, 180_000);
afterAll(async () => {
  if (sim) await stop(sim.child);
  await influx?.stop();
});

describe('a run split across two generators by execution segments', () => {
  it('offers the total arrival rate within 2%, half from each generator', () => {
    const [a, b] = pods.map((p) => sent[p]!) as [number, number];
    expect(Math.abs(a + b - RATE * SECONDS) / (RATE * SECONDS)).toBeLessThan(0.02);
    expect(Math.abs(a - b)).toBeLessThanOrEqual(2);
  });

  it('never lets the two generators use the same document', async () => {
    const stats = (await (await fetch(`${sim.url}/sim/stats?testid=${testid}`)).json()) as {
      received: { total: number };
      generators: { documents: Record<string, number>; shared_documents: number };
    };
    expect(stats.received.total).toBe(sent[pods[0]!]! + sent[pods[1]!]!);
    expect(stats.generators.documents[pods[0]!]).toBeGreaterThan(150);
    expect(stats.generators.documents[pods[1]!]).toBeGreaterThan(150);
    expect(stats.generators.shared_documents).toBe(0);
  });

  it('tags each runner with its own pod name (set in the script, not by a shared --tag), and InfluxDB aggregates both into one run by testid', async () => {
    const db = { influxUrl: influx.url, database: 'offerload' };
    const tags = await influxQuery(
      db,
      `SHOW TAG VALUES FROM "http_reqs" WITH KEY = "generator" WHERE "testid" = '${testid}'`,
    );
    expect(tags.series[0]!.values.map((v) => v[1]).sort()).toEqual([...pods].sort());
    const count = await influxQuery(db, `SELECT count("value") FROM "http_reqs" WHERE "testid" = '${testid}'`);
    expect(count.series[0]!.values[0]![1]).toBe(sent[pods[0]!]! + sent[pods[1]!]!);
    // what compare and the dashboards read: one run's windows, both generators in them
    const windows = await windowsFromInflux({ url: influx.url, database: 'offerload' }, testid);
    expect(windows!.windows.reduce((a, w) => a + w.requests, 0)).toBe(sent[pods[0]!]! + sent[pods[1]!]!);
  });
});
