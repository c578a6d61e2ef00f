/**
 * A run for the k6-operator: a ConfigMap holding the scenario bundle and its pool, and a TestRun that runs it on
 * `parallelism` runner pods. The operator gives each runner its execution segment; the bundle already takes its
 * pool entries by `iterationInTest` (unique across segments) and tags its points with the runner's pod name.
 * Pure functions: no cluster, no file system.
 */
import { K6_PROCESS_ENV } from '../k6/binary.js';
import { expectedIterations, getProfile, k6ScenarioFor } from '../../shared/profiles.js';
import { K6_ENV, k6Env, runTags, scenarioArgs } from '../../shared/k6-contract.js';
import { SCENARIOS } from '../../shared/scenarios.js';
import type { Pool } from '../../shared/pool.js';
import { encodeEntry, poolFileText } from '../../shared/pool.js';
import type { RunOptions } from '../run/plan.js';
import { UsageError } from '../errors.js';

/** Kubernetes refuses a ConfigMap whose keys and values add up to more than this many bytes. */
export const CONFIGMAP_LIMIT_BYTES = 1024 * 1024;
/** Where the operator mounts the script's ConfigMap in every runner pod. */
export const SCRIPT_MOUNT = '/test';
/** Resident memory of one k6 process with its pool (at most 1 MiB here), and per VU with an offerload bundle (bench: vu_memory_mb, rounded up). */
const K6_BASE_MIB = 150;
const MIB_PER_VU = 0.5;

export interface OperatorOptions {
  readonly parallelism: number;
  readonly image: string;
  readonly namespace: string | undefined;
  /** Secret whose keys become the runners' environment: OFFERLOAD_USERNAME/PASSWORD or TOKEN or OAUTH_*, K6_INFLUXDB_* */
  readonly credentialsSecret: string;
  readonly runnerCpu: string;
  /** delete the runner pods and jobs when the run ends (TestRun cleanup: post) */
  readonly cleanup: boolean;
}

export interface Packed {
  readonly name: string;
  readonly configMap: Record<string, unknown>;
  readonly testRun: Record<string, unknown>;
  /** bytes the ConfigMap's data takes against CONFIGMAP_LIMIT_BYTES */
  readonly configMapBytes: number;
  readonly poolEntries: number;
  readonly plannedIterations: number;
}

/** A DNS-1123 name for the run's objects (pods get `-<n>` and `-initializer` appended, so it stays short). */
export function objectName(testid: string): string {
  const cleaned = `offerload-${testid}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-');
  return cleaned.slice(0, 50).replace(/-+$/, '');
}

const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** A Kubernetes label value: at most 63 characters of [A-Za-z0-9._-], beginning and ending with a letter or digit. */
export function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 63)
    .replace(/[^A-Za-z0-9]+$/, '');
}

/** The pool text with as many entries as fit in `budget` bytes, a multiple of `parallelism` so wrap-around keeps each runner's documents its own. */
function poolThatFits(pool: Pool, budget: number, parallelism: number): { text: string; entries: number } {
  // sized entry by entry against the empty file's frame; the text itself comes from poolFileText, the one writer of the format
  let bytes = utf8Bytes(poolFileText({ seed: pool.seed, entries: [] }));
  let fit = 0;
  for (const e of pool.entries) {
    const next = bytes + utf8Bytes(JSON.stringify(encodeEntry(e))) + (fit > 0 ? 1 : 0);
    if (next > budget) break;
    bytes = next;
    fit++;
  }
  const entries = fit - (fit % parallelism);
  return { text: poolFileText({ seed: pool.seed, entries: pool.entries.slice(0, entries) }), entries };
}

/** The k6 arguments every runner gets: run tags, outputs, and the soak settings where the scenario needs them. */
export function runnerArguments(run: RunOptions): string {
  const args = Object.entries(runTags(run)).map(([k, v]) => `--tag ${k}=${v}`);
  if (run.influx && run.influx !== 'local') args.push(`--out influxdb=${run.influx.url}/${run.influx.database}`);
  args.push(...scenarioArgs(run.scenario));
  return args.join(' ');
}

function env(name: string, value: string): { name: string; value: string } {
  return { name, value };
}

/** Packs the run into a ConfigMap and a TestRun; throws a UsageError when the bundle and a useful pool cannot fit. */
export function pack(run: RunOptions, op: OperatorOptions, bundle: string, pool: Pool): Packed {
  const info = SCENARIOS[run.scenario]!;
  const name = objectName(run.testid);
  const scriptKey = `${run.scenario}.js`;
  // the bundle as built (its source map is not linked from it, and stays behind)
  const script = bundle;
  const room = CONFIGMAP_LIMIT_BYTES - utf8Bytes(scriptKey) - utf8Bytes(script) - utf8Bytes('pool.json');
  const fitted = poolThatFits(pool, room, op.parallelism);
  const minimum = 50 * op.parallelism;
  if (fitted.entries < Math.min(minimum, pool.entries.length)) {
    throw new UsageError(
      `invalid --parallelism: the ${scriptKey} bundle (${utf8Bytes(script)} bytes) leaves room for ${fitted.entries} pool entries in a ${CONFIGMAP_LIMIT_BYTES}-byte ConfigMap, fewer than 50 per runner`,
    );
  }
  const data = { [scriptKey]: script, 'pool.json': fitted.text };
  const configMapBytes = Object.entries(data).reduce((n, [k, v]) => n + utf8Bytes(k) + utf8Bytes(v), 0);
  const labels = {
    'app.kubernetes.io/name': 'offerload',
    'app.kubernetes.io/component': 'load-generator',
    'offerload/testid': labelValue(run.testid),
  };
  const metadata = { name, ...(op.namespace ? { namespace: op.namespace } : {}), labels };
  const k6 = k6ScenarioFor(getProfile(run.profile), run.params, info.iterationSec) as { maxVUs?: number };
  const vusPerRunner = Math.ceil((k6.maxVUs ?? 50) / op.parallelism);
  const memoryMi = Math.ceil(K6_BASE_MIB + vusPerRunner * MIB_PER_VU);
  const testRun = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata,
    spec: {
      parallelism: op.parallelism,
      script: { configMap: { name, file: scriptKey } },
      arguments: runnerArguments(run),
      ...(op.cleanup ? { cleanup: 'post' } : {}),
      runner: {
        image: op.image,
        metadata: { labels },
        env: [
          ...Object.entries(
            k6Env({
              ...run,
              target: run.target!.origin + run.target!.pathname.replace(/\/+$/, ''),
              poolPath: `${SCRIPT_MOUNT}/pool.json`,
              summaryPath: '',
            }),
          ).map(([name, value]) => env(name, value)),
          // runners are often offline too: no automatic extension resolution, no usage report
          ...Object.entries(K6_PROCESS_ENV).map(([name, value]) => env(name, value)),
          // each runner names itself: the X-Offerload-Generator header and the generator tag on its points
          { name: K6_ENV.generator, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        ],
        // credentials only by reference: the manifests never hold a secret
        envFrom: [{ secretRef: { name: op.credentialsSecret } }],
        resources: {
          requests: { cpu: op.runnerCpu, memory: `${memoryMi}Mi` },
          limits: { memory: `${memoryMi * 2}Mi` },
        },
      },
    },
  };
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata, data };
  return {
    name,
    configMap,
    testRun,
    configMapBytes,
    poolEntries: fitted.entries,
    plannedIterations: expectedIterations(getProfile(run.profile), run.params),
  };
}
