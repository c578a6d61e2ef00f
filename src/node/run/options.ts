/**
 * The flags of `offerload run`, in one table (as the simulator's SETTINGS table): it gives the parser its
 * options, writes the help, and names what run/plan.ts validates. A new flag is one row here and one line
 * in planRun.
 */

import { DEFAULT_SEED } from '../../shared/k6-contract.js';
import { DEFAULT_CEILING_STEPS } from '../../shared/profiles.js';
import { DEFAULT_SESSION_MODE } from '../../shared/sessions.js';
import { DEFAULT_SWEEP } from '../../shared/sweep.js';
import { DEFAULT_DATABASE } from '../influx/connection.js';
import { DEFAULT_RESULTS_DIR } from '../results/layout.js';
import { type Flag, type FlagValues, flagValue as valueIn, flagsHelp, parserOptions } from '../flag-table.js';
import { DEFAULT_ARRIVALS, DEFAULT_DISPERSION, DISPERSION_INTERVAL_SEC } from '../../shared/arrivals.js';
import { FORECAST_FLAGS } from '../forecast/flags.js';
import { CONTACT_CENTRE_FLAGS } from '../contact-centre/settings.js';

/** A row of run's table (src/node/flag-table.ts). */
export type RunFlag = Flag;

export const RUN_FLAGS = [
  {
    name: 'profile',
    type: 'string',
    arg: 'NAME',
    help: "load profile (see 'offerload list')",
    defaultText: "the scenario's",
  },
  {
    name: 'rate',
    type: 'string',
    arg: 'N',
    help: 'baseline arrival rate, iterations per second',
    defaultText: "the profile's",
  },
  { name: 'duration', type: 'string', arg: 'D', help: 'run length, e.g. 90s, 2m', defaultText: "the profile's" },
  {
    name: 'ramp',
    type: 'string',
    arg: 'D',
    help: 'length of each ramp of the profile, e.g. 20s (burst, shift-start, spike, capacity)',
  },
  {
    name: 'ceiling',
    type: 'string',
    arg: 'N',
    help: 'capacity profile: the highest plateau, per second',
    defaultText: `${DEFAULT_CEILING_STEPS} x --rate`,
  },
  {
    name: 'target',
    type: 'string',
    arg: 'URL|NAME',
    help: 'target base URL, or a target named in the config file',
    defaultText: 'start the embedded simulator',
  },
  {
    name: 'target-label',
    type: 'string',
    arg: 'L',
    help: 'label for the target in tags and reports',
    defaultText: 'sim, or the host',
  },
  {
    name: 'version-label',
    type: 'string',
    arg: 'L',
    help: "the target's platform version or build, for tags, annotations and compare",
    default: 'unknown',
  },
  {
    name: 'fixtures',
    type: 'string',
    arg: 'FILE',
    help: 'agents, queues, documents and presence states (JSON, or CSV: kind,sys_id,name,table,presence,external_id,available)',
  },
  {
    name: 'discover',
    type: 'boolean',
    help: 'discover fixtures through the Table API even when the target is the simulator',
  },
  {
    name: 'config',
    type: 'string',
    arg: 'FILE',
    help: 'run configuration: targets (url, allow, production, max_rate, auth), slos, influx',
    defaultText: './offerload.config.json when present',
  },
  { name: 'production', type: 'boolean', help: 'allow a target the config marks as production (never by accident)' },
  { name: 'tag', type: 'string', arg: 'K=V', multiple: true, help: 'extra run tag on every point (repeatable)' },
  {
    name: 'dry-run',
    type: 'boolean',
    help: 'print the plan (executor, stages, peak rate, requests, outputs) and send nothing',
  },
  {
    name: 'insecure-skip-tls-verify',
    type: 'boolean',
    help: "do not verify the target's TLS certificate (printed in the summary)",
  },
  {
    name: 'sim-config',
    type: 'string',
    arg: 'FILE',
    help: "settings for the embedded simulator (see 'offerload sim --help')",
  },
  {
    name: 'influx',
    type: 'string',
    arg: 'URL',
    help: 'InfluxDB v1 base URL',
    defaultText: 'start the local one on 127.0.0.1:8086',
  },
  { name: 'influx-db', type: 'string', arg: 'NAME', help: 'database', default: `${DEFAULT_DATABASE}` },
  {
    name: 'influx-flavour',
    type: 'string',
    arg: '1|2|3',
    help: 'the InfluxDB kind to assume (1.x, 2.x, 3.x) when a proxy hides the version /ping and /health name',
    defaultText: 'read from the server',
  },
  { name: 'no-influx', type: 'boolean', help: 'no InfluxDB output (local results only; not for soak or capacity)' },
  {
    name: 'influx-optional',
    type: 'boolean',
    help: 'run with local results only when InfluxDB cannot be reached at the start',
  },
  {
    name: 'slo-window',
    type: 'string',
    arg: 'D',
    help: 'window of the worst-window figure reported beside each SLO, e.g. 30s',
    default: '60s',
  },
  {
    name: 'slo',
    type: 'string',
    arg: 'K=V',
    multiple: true,
    help: 'override an SLO for every operation: p95_ms, p99_ms, error_rate, conflict_rate (repeatable)',
  },
  {
    name: 'timeouts',
    type: 'string',
    arg: 'LIST',
    help: 'timeout-sweep: offer timeouts in seconds',
    default: `${DEFAULT_SWEEP.timeouts.join(',')}`,
  },
  {
    name: 'delays',
    type: 'string',
    arg: 'LIST',
    help: 'timeout-sweep: routing delays in ms',
    default: `${DEFAULT_SWEEP.delaysMs.join(',')}`,
  },
  {
    name: 'skews',
    type: 'string',
    arg: 'LIST',
    help: 'timeout-sweep: clock skews in ms (caller ahead of target)',
    default: `${DEFAULT_SWEEP.skewsMs.join(',')}`,
  },
  {
    name: 'request-timeout',
    type: 'string',
    arg: 'D',
    help: "per-request timeout, e.g. 10s (the default is the platform's transaction limit)",
    default: '60s',
  },
  {
    name: 'sessions',
    type: 'string',
    arg: 'MODE',
    help: "reuse (each VU keeps its session cookies across iterations, as a connector's HTTP client does) or per-request (no cookies kept: a new session on the instance for every request, as a cookie-less integration does)",
    default: `${DEFAULT_SESSION_MODE}`,
  },
  { name: 'out', type: 'string', arg: 'DIR', help: 'results folder', default: DEFAULT_RESULTS_DIR },
  {
    name: 'testid',
    type: 'string',
    arg: 'ID',
    help: 'run id; a testid InfluxDB or the results folder already holds is refused, naming the run',
    defaultText: '<scenario>-<time>-<random>',
  },
  {
    name: 'replace',
    type: 'boolean',
    help: 'reuse a testid on purpose: delete its points from InfluxDB and its results folder first',
  },
  {
    name: 'seed',
    type: 'string',
    arg: 'N',
    help: 'seed for the test data and random shapes',
    default: `${DEFAULT_SEED}`,
  },
  {
    name: 'arrivals',
    type: 'string',
    arg: 'MODE',
    help: "how iterations arrive: poisson (a Poisson process, as contacts arrive: bursty within the second, made from --seed before k6 starts) or even (k6's evenly spaced starts, as runs were made before arrivals were modelled; compare says when two runs differ in this)",
    default: DEFAULT_ARRIVALS,
  },
  {
    name: 'dispersion',
    type: 'string',
    arg: 'D',
    help: `with poisson arrivals, the variance-to-mean ratio of arrivals per ${DISPERSION_INTERVAL_SEC} s interval (per forecast interval with --forecast): 1 is Poisson; contact centres see more, as their rate itself varies from one interval to the next (gamma-Poisson)`,
    default: `${DEFAULT_DISPERSION}`,
  },
  ...FORECAST_FLAGS,
  ...CONTACT_CENTRE_FLAGS,
  { name: 'quiet', type: 'boolean', help: 'no k6 progress output' },
  {
    name: 'cleanup',
    type: 'boolean',
    help: "at the end, put back what the run left on the target, as 'offerload cleanup' does: close its open interactions, reject its pending work items, restore agents' presence",
  },
] as const satisfies readonly RunFlag[];

/** The parser's options, from the table. */
export const RUN_OPTIONS = parserOptions(RUN_FLAGS);

/** The values the parser hands the plan: strings, booleans, and lists for repeatable flags. */
export type RunFlagValues = FlagValues;

/** A run flag's value: the one given, else its row's default. */
export const flagValue = (values: RunFlagValues, name: (typeof RUN_FLAGS)[number]['name']): string | undefined =>
  valueIn(RUN_FLAGS, values, name);

export const RUN_HELP = `usage: offerload run <scenario> [options]

Runs a scenario with the real k6 against a target (default: an embedded simulator on loopback),
streams every request into InfluxDB and writes <out>/<testid>/.

options:
${flagsHelp(RUN_FLAGS)}

credentials: OFFERLOAD_USERNAME and OFFERLOAD_PASSWORD (basic auth) or OFFERLOAD_TOKEN (bearer), or
OFFERLOAD_OAUTH_CLIENT_ID and OFFERLOAD_OAUTH_CLIENT_SECRET, from the environment or a config target's auth,
never from argv. With the embedded simulator and none set, a one-run credential is made up.

examples:
  offerload run offer-burst
  offerload run transfer-mix --profile average --rate 5 --duration 10m --testid before-upgrade
  offerload run capacity --target test --rate 10 --ceiling 150 --dry-run
  offerload run transfer-mix --forecast monday.csv --window "Mon 08:00..12:00" --scale 1.5 --speedup 10 --dry-run
  offerload run capacity --forecast monday.csv --scale 2
  offerload run contact-centre --forecast monday.csv --agents 48 --speedup 30 --dry-run`;
