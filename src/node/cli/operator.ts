/** `offerload operator`: packs a run for the k6-operator (ConfigMap + TestRun) instead of running it here. */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { poolSizeFor } from '../../shared/k6-contract.js';
import path from 'node:path';
import { stringify } from 'yaml';
import { bundleIfStale, bundlePath } from '../build/bundle.js';
import { buildPool, DEFAULT_POOL_OPTIONS } from '../data/pool.js';
import { UsageError } from '../errors.js';
import { K6_VERSION } from '../k6/binary.js';
import { isLoopbackHost } from '../net.js';
import { CONFIGMAP_LIMIT_BYTES, pack, type OperatorOptions } from '../operator/manifests.js';
import { runCredentials } from '../credentials.js';
import { loadFixtures } from '../data/fixtures-source.js';
import { parseRunArgs } from './run.js';
import { expectedIterations, getProfile } from '../../shared/profiles.js';
import * as flag from './flags.js';
import { type Flag, flagsHelp, flagValue, parserOptions } from '../flag-table.js';
import type { Io } from '../io.js';

const OPERATOR_FLAGS = [
  { name: 'parallelism', type: 'string', arg: 'N', help: 'runner pods (required)' },
  { name: 'manifests', type: 'string', arg: 'DIR', help: 'where to write <name>.yaml', default: 'k6-operator' },
  {
    name: 'image',
    type: 'string',
    arg: 'IMAGE',
    help: 'runner image (the k6 offerload pins)',
    default: `grafana/k6:${K6_VERSION.slice(1)}`,
  },
  { name: 'namespace', type: 'string', arg: 'NS', help: 'namespace of the objects', defaultText: "kubectl's" },
  {
    name: 'credentials-secret',
    type: 'string',
    arg: 'S',
    help: "Secret whose keys become the runners' environment: OFFERLOAD_USERNAME and OFFERLOAD_PASSWORD, or OFFERLOAD_TOKEN, or OFFERLOAD_OAUTH_*; K6_INFLUXDB_USERNAME and K6_INFLUXDB_PASSWORD when InfluxDB needs them",
    default: 'offerload-target',
  },
  { name: 'runner-cpu', type: 'string', arg: 'C', help: 'CPU request of each runner', default: '1' },
  { name: 'cleanup', type: 'boolean', help: 'delete the runner pods when the run ends (TestRun cleanup: post)' },
] as const satisfies readonly Flag[];

export const OPERATOR_HELP = `usage: offerload operator <scenario> --target URL|NAME --influx URL --parallelism N [run options] [options]

Packs a run for the k6-operator on Kubernetes instead of running it here: one YAML file holding a ConfigMap
(the scenario bundle and its offer pool, checked against Kubernetes' 1 MiB limit) and a TestRun that runs it on
N runner pods, each on its own k6 execution segment, each tagging its points with its pod name (tag generator),
all under one testid, so the dashboards and 'offerload compare' read them as one run.
Takes the run options of 'offerload run' (profile, rate, duration, ramp, tags, config targets and their
guardrails, fixtures, ...); the target and InfluxDB must be reachable from the cluster.

options:
${flagsHelp(OPERATOR_FLAGS, 27)}

examples:
  offerload operator offer-burst --target staging --influx http://influxdb.monitoring:8086 --parallelism 4
  offerload operator soak --target staging --influx http://influxdb:8086 --parallelism 2 --rate 50 --duration 8h`;

const OPERATOR_OPTIONS = parserOptions(OPERATOR_FLAGS);

/** Run flags that mean nothing for a run that happens in a cluster. */
const LOCAL_ONLY = ['dry-run', 'influx-optional', 'out', 'quiet', 'sim-config'];

function k8sName(flagName: string, raw: string): string {
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(raw))
    throw new UsageError(
      `invalid ${flagName}: expected a Kubernetes name (lowercase letters, digits and "-"), got "${raw}"`,
    );
  return raw;
}

export async function operatorCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(OPERATOR_HELP);
    return 0;
  }
  const { own, rest } = flag.takeFlags(argv, OPERATOR_OPTIONS);
  const { values: v } = flag.parseFlags('operator', own, OPERATOR_OPTIONS);
  const localOnly = rest.find((a) => LOCAL_ONLY.includes(a.slice(2).split('=')[0]!));
  if (localOnly)
    throw new UsageError(
      `${localOnly.split('=')[0]} does not apply to 'offerload operator': the run happens in the cluster`,
    );
  const run = parseRunArgs(rest);
  // a contact plan books one pool of agents for every contact: split across runners, none of them holds it
  if (run.contactCentre)
    throw new UsageError(
      `${run.scenario} does not apply to 'offerload operator': its contacts share one pool of agents, planned for one generator; run it with 'offerload run'`,
    );
  // arrival plans are made per run in Node and read from a file: runners get no such file yet
  if (run.forecast)
    throw new UsageError(
      "--forecast does not apply to 'offerload operator' yet: a forecast's arrival plan is a file the runners do not get",
    );
  if (rest.some((a) => a.startsWith('--arrivals') || a.startsWith('--dispersion')) && run.arrivals.mode === 'poisson')
    throw new UsageError(
      "--arrivals poisson does not apply to 'offerload operator' yet: its runners start iterations evenly spaced (k6's own); run poisson arrivals with 'offerload run'",
    );
  if (!run.target)
    throw new UsageError(
      'offerload operator needs --target: runner pods load a target they can reach, not an embedded simulator',
    );
  if (isLoopbackHost(run.target.hostname))
    throw new UsageError(
      `invalid --target: ${run.target.hostname} is loopback, which inside a runner pod is the pod itself`,
    );
  if (run.influx === 'local')
    throw new UsageError(
      'offerload operator needs --influx URL (reachable from the cluster) or --no-influx: runners cannot reach a local InfluxDB',
    );
  // runners get the output as `--out influxdb=URL/DB`, where k6 v2.2 reads the whole path as the database
  if (run.influx && new URL(run.influx.url).pathname !== '/')
    throw new UsageError(
      `invalid --influx: ${run.influx.url} has a path prefix, which k6-operator runners cannot take yet (k6 reads --out influxdb=URL's whole path as the database); expose InfluxDB without one for the cluster`,
    );
  if (run.influx && isLoopbackHost(new URL(run.influx.url).hostname))
    throw new UsageError(
      `invalid --influx: ${run.influx.url} is loopback, which inside a runner pod is the pod itself`,
    );
  if (v.parallelism === undefined) throw new UsageError('offerload operator needs --parallelism N (runner pods)');
  const parallelism = flag.integer('--parallelism', v.parallelism);
  if (parallelism < 1 || parallelism > 100)
    throw new UsageError(`invalid --parallelism: expected a whole number from 1 to 100, got "${v.parallelism}"`);
  const op: OperatorOptions = {
    parallelism,
    image: flag.label('--image', flagValue(OPERATOR_FLAGS, v, 'image')!),
    namespace: v.namespace === undefined ? undefined : k8sName('--namespace', v.namespace),
    credentialsSecret: k8sName('--credentials-secret', flagValue(OPERATOR_FLAGS, v, 'credentials-secret')!),
    runnerCpu: String(flag.positiveNumber('--runner-cpu', flagValue(OPERATOR_FLAGS, v, 'runner-cpu')!, 'CPUs')),
    cleanup: v.cleanup ?? false,
  };
  const dir = path.resolve(flagValue(OPERATOR_FLAGS, v, 'manifests')!);

  io.phase('building the scenario bundle');
  await bundleIfStale(run.scenario);
  io.phase('preparing test data');
  const fixtures = await loadFixtures(run, run.target.origin, {
    ...(run.credentials ?? runCredentials(false, io.env)),
  });
  const planned = expectedIterations(getProfile(run.profile), run.params);
  const pool = buildPool(fixtures, {
    ...DEFAULT_POOL_OPTIONS,
    seed: run.seed,
    partitions: parallelism,
    size: poolSizeFor(planned),
  });
  const packed = pack(run, op, readFileSync(bundlePath(run.scenario), 'utf8'), pool);

  const file = path.join(dir, `${packed.name}.yaml`);
  if (existsSync(file)) throw new UsageError(`invalid --testid: ${file} already exists`);
  mkdirSync(dir, { recursive: true });
  const text = `${stringify(packed.configMap, { lineWidth: 0, aliasDuplicateObjects: false })}---\n${stringify(packed.testRun, { lineWidth: 0, aliasDuplicateObjects: false })}`;
  // written whole or not at all
  writeFileSync(`${file}.partial`, text);
  renameSync(`${file}.partial`, file);
  const wraps =
    packed.poolEntries < planned
      ? `; warning: the run plans ${planned} iterations, so k6 wraps around the pool and offers its documents again`
      : '';
  io.out(`${file}`);
  io.out(
    `  ConfigMap ${packed.name}: ${packed.configMapBytes} of ${CONFIGMAP_LIMIT_BYTES} bytes (${run.scenario}.js and pool.json with ${packed.poolEntries} entries${wraps})`,
  );
  io.out(`  TestRun ${packed.name}: ${parallelism} runners, testid ${run.testid}, image ${op.image}`);
  io.out(
    "  arrivals: even (k6's own spacing): Poisson arrival plans are made per run in Node and runners get none yet",
  );
  io.out(
    `  credentials: the runners read Secret ${op.credentialsSecret} (create it first, e.g. kubectl create secret generic ${op.credentialsSecret} --from-env-file=FILE)`,
  );
  // a client-side apply would copy the whole ConfigMap into an annotation, which Kubernetes caps at 256 KiB
  io.out(`  start: kubectl apply --server-side -f ${file}`);
  return 0;
}
