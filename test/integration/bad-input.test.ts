/**
 * Bad input through the CLI: every case exits 2 with one line naming the input and what was expected,
 * no stack trace, and writes nothing. The table runs in-process through main (the same top-level catch and
 * exit codes); a few rows, the environment and the dry run go through the real CLI process.
 */
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/node/cli/main.js';
import { runCli } from '../helpers/cli.js';
import { parseRunArgs } from '../../src/node/cli/run.js';
import { documentsNeeded } from '../../src/node/run/inputs.js';

const dir = mkdtempSync(path.join(tmpdir(), 'offerload-bad-'));
const out = path.join(dir, 'results');
const file = (name: string, text: string, mode = 0o600): string => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  chmodSync(p, mode);
  return p;
};
const cfg = (o: unknown): string => file(`cfg-${Math.random().toString(36).slice(2)}.json`, JSON.stringify(o));
const REMOTE = 'https://acme.example.com';

const CASES: [string, string[], RegExp][] = [
  ['non-numeric rate', ['run', 'offer-burst', '--rate', 'fast'], /invalid --rate: expected a positive number/],
  ['negative rate', ['run', 'offer-burst', '--rate', '-5'], /invalid --rate/],
  ['zero rate', ['run', 'offer-burst', '--rate', '0'], /invalid --rate/],
  ['rate with units', ['run', 'offer-burst', '--rate', '10/s'], /invalid --rate/],
  ['malformed duration', ['run', 'offer-burst', '--duration', '10'], /invalid --duration: expected a duration/],
  ['negative duration', ['run', 'offer-burst', '--duration', '-1m'], /invalid --duration/],
  ['duration in days', ['run', 'offer-burst', '--duration', '2d'], /invalid --duration/],
  ['unknown scenario', ['run', 'offer-blast'], /invalid scenario: expected one of/],
  ['no scenario', ['run'], /takes one scenario/],
  ['two scenarios', ['run', 'offer-burst', 'soak'], /takes one scenario/],
  ['unknown profile', ['run', 'offer-burst', '--profile', 'huge'], /invalid --profile: expected one of/],
  ['profile not for scenario', ['run', 'timeout-sweep', '--profile', 'spike'], /invalid --profile/],
  ['unknown flag', ['run', 'offer-burst', '--rte', '5'], /Unknown option '--rte'/],
  ['missing flag value', ['run', 'offer-burst', '--rate'], /argument missing/],
  ['malformed URL', ['run', 'offer-burst', '--target', 'not a url'], /invalid --target: expected an http/],
  ['ftp URL', ['run', 'offer-burst', '--target', 'ftp://127.0.0.1/'], /invalid --target/],
  [
    'credentials in URL',
    ['run', 'offer-burst', '--target', 'http://me:secret@127.0.0.1:9'],
    /credentials do not belong in URLs/,
  ],
  [
    'remote target without allowlist',
    ['run', 'offer-burst', '--target', REMOTE],
    /not on loopback and no target in the config allows it/,
  ],
  ['private address not allowed', ['run', 'offer-burst', '--target', 'http://10.1.2.3:8080'], /not on loopback/],
  [
    'production without --production',
    [
      'run',
      'offer-burst',
      '--config',
      cfg({ targets: { prod: { url: REMOTE, allow: true, production: true } } }),
      '--target',
      'prod',
    ],
    /marked production/,
  ],
  [
    'rate over max_rate',
    [
      'run',
      'offer-burst',
      '--config',
      cfg({ targets: { stg: { url: REMOTE, allow: true, max_rate: 10 } } }),
      '--target',
      'stg',
      '--rate',
      '20',
    ],
    /over this target's max_rate of 10\/s/,
  ],
  [
    'burst peak over max_rate',
    [
      'run',
      'offer-burst',
      '--config',
      cfg({ targets: { stg: { url: REMOTE, allow: true, max_rate: 50 } } }),
      '--target',
      'stg',
      '--rate',
      '20',
    ],
    /peaks at 80\/s/,
  ],
  [
    'missing config file',
    ['run', 'offer-burst', '--config', path.join(dir, 'nope.json')],
    /invalid --config: file not found/,
  ],
  [
    'config not JSON',
    ['run', 'offer-burst', '--config', file('broken.json', '{ targets: ')],
    /invalid --config: .* is not JSON/,
  ],
  // found below the CLI, worded by the flag that brought the input: no message rewritten by string replacement
  [
    'sim config not JSON',
    ['run', 'offer-burst', '--sim-config', file('sim-broken.json', '{ capacity: ')],
    /^offerload: invalid --sim-config: .*sim-broken\.json is not a readable JSON file/,
  ],
  [
    'sim config bad value',
    ['run', 'offer-burst', '--sim-config', file('sim-bad.json', JSON.stringify({ sessions: { concurrency: 3 } }))],
    /invalid sessions\.concurrency in .*: expected one of 1, 2, got 3/,
  ],
  [
    'sim --config not JSON',
    ['sim', '--config', file('sim-broken2.json', '{ capacity: ')],
    /^offerload: invalid --config: .*sim-broken2\.json is not a readable JSON file/,
  ],
  // checked before anything starts, and never a hang (Node's recursive mkdir loops forever under /proc)
  [
    'results folder under /proc',
    ['run', 'offer-burst', '--profile', 'smoke', '--no-influx', '--out', '/proc/nope'],
    /^offerload: invalid --out: \/proc\/nope cannot be created \(ENOENT\)$/,
  ],
  [
    'results folder under a file',
    [
      'run',
      'offer-burst',
      '--profile',
      'smoke',
      '--no-influx',
      '--out',
      path.join(file('not-a-folder', 'x'), 'results'),
    ],
    /invalid --out: .*not-a-folder\/results cannot be created: .*not-a-folder is not a folder/,
  ],
  [
    'bad --sessions',
    ['run', 'offer-burst', '--sessions', 'sticky'],
    /invalid --sessions: expected one of reuse, per-request, got "sticky"/,
  ],
  ['unknown config key', ['run', 'offer-burst', '--config', cfg({ targetz: {} })], /invalid config key "targetz"/],
  [
    'unknown target key',
    ['run', 'offer-burst', '--config', cfg({ targets: { a: { url: REMOTE, alow: true } } })],
    /invalid config key "targets.a.alow"/,
  ],
  [
    'target without url',
    ['run', 'offer-burst', '--config', cfg({ targets: { a: { allow: true } } })],
    /invalid targets.a.url/,
  ],
  [
    'max_rate not a number',
    ['run', 'offer-burst', '--config', cfg({ targets: { a: { url: REMOTE, max_rate: 'lots' } } })],
    /invalid targets.a.max_rate .*: expected a positive number/,
  ],
  [
    'slo not a number',
    ['run', 'offer-burst', '--config', cfg({ slos: { offer: { p95_ms: 'fast' } } })],
    /invalid slos.offer.p95_ms/,
  ],
  [
    'unset credential variable',
    [
      'run',
      'offer-burst',
      '--config',
      cfg({ targets: { l: { url: 'http://127.0.0.1:9', auth: { token_env: 'NO_SUCH_TOKEN_VAR' } } } }),
      '--target',
      'l',
    ],
    /missing credential: NO_SUCH_TOKEN_VAR is not set/,
  ],
  [
    'secrets file readable by others',
    [
      'run',
      'offer-burst',
      '--config',
      cfg({
        targets: {
          l: { url: 'http://127.0.0.1:9', auth: { secrets_file: file('open.env', 'T=1', 0o644), token_env: 'T' } },
        },
      }),
      '--target',
      'l',
    ],
    /can be read by others/,
  ],
  [
    'missing secrets file',
    [
      'run',
      'offer-burst',
      '--config',
      cfg({
        targets: {
          l: { url: 'http://127.0.0.1:9', auth: { secrets_file: path.join(dir, 'none.env'), token_env: 'T' } },
        },
      }),
      '--target',
      'l',
    ],
    /invalid secrets_file: file not found/,
  ],
  [
    'malformed secrets file',
    [
      'run',
      'offer-burst',
      '--config',
      cfg({
        targets: {
          l: { url: 'http://127.0.0.1:9', auth: { secrets_file: file('bad.env', 'just words'), token_env: 'T' } },
        },
      }),
      '--target',
      'l',
    ],
    /not KEY=VALUE/,
  ],
  [
    'conflicting influx flags',
    ['run', 'offer-burst', '--influx', 'http://127.0.0.1:8086', '--no-influx'],
    /conflicting flags/,
  ],
  ['soak without influx', ['run', 'soak', '--no-influx'], /--no-influx cannot go with soak/],
  [
    'bad influx flavour',
    ['run', 'offer-burst', '--influx', 'http://127.0.0.1:1', '--influx-flavour', '4'],
    /^offerload: invalid --influx-flavour: expected one of 1, 2, 3, got "4"$/,
  ],
  [
    'doctor bad influx flavour',
    ['doctor', '--influx', 'http://127.0.0.1:1', '--influx-flavour', 'v2'],
    /^offerload: invalid --influx-flavour: expected one of 1, 2, 3, got "v2"$/,
  ],
  ['bad testid', ['run', 'offer-burst', '--testid', 'a b/c'], /invalid --testid/],
  ['bad seed', ['run', 'offer-burst', '--seed', 'x'], /invalid --seed: expected a whole number/],
  ['ceiling under rate', ['run', 'capacity', '--rate', '50', '--ceiling', '10'], /invalid --ceiling/],
  [
    'ceiling outside capacity',
    ['run', 'offer-burst', '--ceiling', '100'],
    /--ceiling applies to the capacity profile only/,
  ],
  ['sweep flag elsewhere', ['run', 'soak', '--timeouts', '5'], /--timeouts applies to timeout-sweep only/],
  ['bad timeouts list', ['run', 'timeout-sweep', '--timeouts', '5;10'], /invalid --timeouts/],
  ['bad slo key', ['run', 'offer-burst', '--slo', 'p90=1'], /invalid --slo key/],
  ['bad slo value', ['run', 'offer-burst', '--slo', 'error_rate=1.5'], /invalid --slo error_rate/],
  ['reserved tag', ['run', 'offer-burst', '--tag', 'testid=x'], /"testid" is set by offerload itself/],
  ['malformed tag', ['run', 'offer-burst', '--tag', 'novalue'], /invalid --tag: expected KEY=VALUE/],
  [
    'missing fixtures file',
    ['run', 'offer-burst', '--target', 'http://127.0.0.1:9', '--fixtures', path.join(dir, 'none.json')],
    /invalid --fixtures: file not found/,
  ],
  [
    'sim config with target',
    ['run', 'offer-burst', '--target', 'http://127.0.0.1:9', '--sim-config', file('s.json', '{}')],
    /cannot go with --target/,
  ],
  [
    'ramp for a flat profile',
    ['run', 'offer-burst', '--profile', 'average', '--ramp', '10s'],
    /--ramp does not apply to the average profile/,
  ],
  [
    'ramp too long',
    ['run', 'offer-burst', '--duration', '60s', '--ramp', '40s'],
    /invalid --ramp: expected less than half of --duration/,
  ],
  [
    'unknown arrival mode',
    ['run', 'offer-burst', '--arrivals', 'bursty'],
    /invalid --arrivals: expected one of poisson, even/,
  ],
  [
    'dispersion under 1',
    ['run', 'offer-burst', '--dispersion', '0.5'],
    /invalid --dispersion: expected a variance-to-mean ratio of at least 1/,
  ],
  [
    'dispersion with even arrivals',
    ['run', 'offer-burst', '--arrivals', 'even', '--dispersion', '2'],
    /a dispersion applies to poisson arrivals only/,
  ],
  [
    'config arrivals mode',
    ['run', 'offer-burst', '--config', cfg({ arrivals: { mode: 'steady' } })],
    /invalid arrivals.mode: expected one of poisson, even/,
  ],
  [
    'config arrivals key',
    ['run', 'offer-burst', '--config', cfg({ arrivals: { shape: 'x' } })],
    /invalid config key "arrivals.shape"/,
  ],
  ['bad request timeout', ['run', 'offer-burst', '--request-timeout', 'soon'], /invalid --request-timeout/],
  // the forecast: the file, the line and what was expected, before any load
  [
    'forecast malformed time',
    [
      'run',
      'offer-burst',
      '--forecast',
      file('t.csv', 'interval_start,contacts\n2026-12-07T08:00:00Z,3\n2026-12-07 08:30,4\n'),
    ],
    /invalid --forecast: \S+t\.csv line 3: expected interval_start as ISO 8601 with an offset \(2026-12-07T09:00:00\+01:00\), got "2026-12-07 08:30"$/,
  ],
  [
    'forecast negative volume',
    ['run', 'transfer-mix', '--forecast', file('n.csv', 'Sales,20261207 08:00,20261207 08:30,-3,200,30\n')],
    /invalid --forecast: \S+n\.csv line 1: expected volume as a number >= 0, got "-3"$/,
  ],
  [
    'forecast mixed interval lengths',
    [
      'run',
      'offer-burst',
      '--forecast',
      file('m.csv', 'Sales,20261207 08:00,20261207 08:30,5,200,30\nSales,20261207 08:30,20261207 08:45,5,200,30\n'),
    ],
    /invalid --forecast: \S+m\.csv line 2: interval of 15 min where the file's first is 30 min: expected one interval length per forecast$/,
  ],
  [
    'forecast empty window',
    ['run', 'offer-burst', '--forecast', path.join('test/fixtures/forecast/plain.csv'), '--window', 'Tue 08:00..09:00'],
    /invalid --forecast: test\/fixtures\/forecast\/plain\.csv has no interval in --window Tue 08:00\.\.09:00/,
  ],
  // the contact centre's own flags
  ['contact-centre flag elsewhere', ['run', 'transfer-mix', '--aht', '300'], /--aht applies to contact-centre only$/],
  [
    'agents zero',
    ['run', 'contact-centre', '--agents', '0'],
    /invalid --agents: expected a whole number of at least 1, got "0"/,
  ],
  ['agents not whole', ['run', 'contact-centre', '--agents', '2.5'], /invalid --agents: expected a whole number/],
  [
    'handle-time shape',
    ['run', 'contact-centre', '--handle-times', 'weibull'],
    /invalid --handle-times: expected one of lognormal, exponential, got "weibull"/,
  ],
  ['negative aht', ['run', 'contact-centre', '--aht', '-3'], /invalid --aht: expected a positive number of seconds/],
  [
    'no offer answered',
    ['run', 'contact-centre', '--reject-share', '0.6', '--no-answer-share', '0.5'],
    /invalid --reject-share and --no-answer-share: expected shares adding up to less than 1/,
  ],
  [
    'contact centre in a cluster',
    ['operator', 'contact-centre'],
    /contact-centre does not apply to 'offerload operator'/,
  ],
  ['speedup without forecast elsewhere', ['run', 'offer-burst', '--speedup', '10'], /--speedup applies to a forecast/],
  [
    'forecast missing file',
    ['run', 'offer-burst', '--forecast', path.join(dir, 'nope.csv')],
    /invalid --forecast: cannot read \S+nope\.csv \(ENOENT\)$/,
  ],
  [
    'forecast bad window',
    ['run', 'offer-burst', '--forecast', 'test/fixtures/forecast/plain.csv', '--window', 'morning'],
    /invalid --window: expected FROM\.\.TO/,
  ],
  [
    'forecast bad scale',
    ['run', 'offer-burst', '--forecast', 'test/fixtures/forecast/plain.csv', '--scale', '-1'],
    /invalid --scale: expected a positive number/,
  ],
  [
    'forecast with rate',
    ['run', 'offer-burst', '--forecast', 'test/fixtures/forecast/plain.csv', '--rate', '5'],
    /--rate cannot go with --forecast: the forecast sets the load$/,
  ],
  [
    'forecast for contention',
    ['run', 'contention', '--forecast', 'test/fixtures/forecast/plain.csv'],
    /--forecast does not apply to contention/,
  ],
  [
    'scale without forecast',
    ['run', 'offer-burst', '--scale', '2'],
    /--scale applies to a forecast: it needs --forecast FILE$/,
  ],
  [
    'forecast profile without file',
    ['run', 'offer-burst', '--profile', 'forecast'],
    /--profile forecast needs --forecast FILE$/,
  ],
  [
    'forecast unknown queue',
    ['run', 'offer-burst', '--forecast', 'test/fixtures/forecast/plain.csv', '--queue', 'Billing'],
    /invalid --queue: \S+ has no queue "Billing" \(it has "Sales", "Support"\)$/,
  ],
  [
    'operator with poisson arrivals',
    ['operator', 'offer-burst', '--arrivals', 'poisson'],
    /--arrivals poisson does not apply to 'offerload operator' yet/,
  ],
  [
    'operator with a forecast',
    ['operator', 'offer-burst', '--forecast', 'test/fixtures/forecast/plain.csv'],
    /--forecast does not apply to 'offerload operator' yet/,
  ],
  [
    'plan without forecast',
    ['plan', '--agents', '10'],
    /offerload plan takes a forecast: --forecast FILE or --contacts-per-interval N/,
  ],
  [
    'plan bad service level',
    ['plan', '--contacts-per-interval', '100', '--aht', '180', '--service-level', '120/20'],
    /invalid --service-level: expected P\/T/,
  ],
  ['plan without handle time', ['plan', '--contacts-per-interval', '100'], /offerload plan needs a handle time/],
  ['sim bad port', ['sim', '--port', '99999'], /invalid --port: expected a TCP port/],
  ['sim bad share', ['sim', '--agents.rejectShare', '2'], /invalid --agents.rejectShare: expected a share from 0 to 1/],
  ['sim unknown setting', ['sim', '--capacity.nodez', '2'], /Unknown option '--capacity.nodez'/],
  ['sim non-loopback host', ['sim', '--host', '0.0.0.0'], /invalid --host: expected a loopback address/],
  [
    'sim config unknown key',
    ['sim', '--config', file('sc.json', JSON.stringify({ capacity: { slots: 2 } }))],
    /invalid config key "capacity.slots"/,
  ],
  ['compare one run', ['compare', 'only-one'], /takes two runs/],
  [
    'compare unknown runs',
    ['compare', 'nope-a', 'nope-b', '--results', out, '--influx', 'http://127.0.0.1:1'],
    /invalid run "nope-a"|not reachable|ECONNREFUSED/,
  ],
  ['compare bad alpha', ['compare', 'a', 'b', '--alpha', '2'], /invalid --alpha/],
  [
    'compare bad format',
    ['compare', 'a', 'b', '--format', 'pdf'],
    /invalid --format: expected one of table, markdown, json, junit/,
  ],
  ['timeouts bad target', ['timeouts', 'x', '--target-expiry', '-1'], /invalid --target-expiry/],
  ['influx bad action', ['influx', 'restart'], /invalid influx action/],
  ['unknown command', ['explode'], /unknown command "explode"/],
  ['pool without target', ['pool', '--out', path.join(dir, 'p.json')], /needs --target URL and --out FILE/],
];

/** A few rows also go through the real CLI process: exit code, stderr and stdout as a shell sees them. */
const END_TO_END = new Set([
  'non-numeric rate',
  'unknown flag',
  'sim bad port',
  'compare bad format',
  'unknown command',
  'pool without target',
]);

/** The CLI in this process (main, with its one top-level catch), or as a child process for END_TO_END rows. */
async function cli(name: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { OFFERLOAD_INFLUX_PORT: '1' };
  if (END_TO_END.has(name)) return runCli(args, env, 30_000);
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    env: { ...process.env, ...env },
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

describe('bad input', () => {
  it(`has at least 40 cases, ${END_TO_END.size} of them through the real CLI process`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(CASES.filter(([name]) => END_TO_END.has(name))).toHaveLength(END_TO_END.size);
  });

  it.each(CASES)(
    '%s: exit 2, one line naming it, no stack, nothing written',
    async (name, argv, message) => {
      const args = argv[0] === 'run' ? ['run', '--out', out, ...argv.slice(1)] : argv;
      const r = await cli(name, args);
      const lines = r.stderr.trim().split('\n');
      // a compare of unknown runs may only fail to reach InfluxDB: an environment problem, exit 3
      expect([2, ...(argv[0] === 'compare' && argv[1] === 'nope-a' ? [3] : [])]).toContain(r.code);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^offerload: /);
      expect(lines[0]).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
      expect(existsSync(out)).toBe(false);
    },
    40_000,
  );
});

describe('bad input from the environment', () => {
  it('refuses a bad OFFERLOAD_INFLUX_PORT with exit 2, naming the variable', async () => {
    const r = await runCli(
      ['run', 'offer-burst', '--profile', 'smoke', '--out', out],
      { OFFERLOAD_INFLUX_PORT: 'eighty' },
      30_000,
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'offerload: invalid OFFERLOAD_INFLUX_PORT: expected a TCP port from 1 to 65535, got "eighty"',
    );
    expect(existsSync(out)).toBe(false);
  }, 40_000);

  it.each([
    [
      'no documents for the plan',
      { agents: [], queues: [], documents: [], presence_states: [] },
      new RegExp(
        `^offerload: invalid --fixtures: the plan \\(offer-burst, smoke, 2/s for 10 s\\) needs 1 agents and the fixtures hold 0; 1 queues and the fixtures hold 0; ${documentsNeeded(parseRunArgs(['offer-burst', '--profile', 'smoke', '--no-influx'], {}))} documents and the fixtures hold 0; 1 presence states and the fixtures hold 0: grant awa_agent`,
      ),
    ],
    [
      'documents but no agents',
      {
        agents: [],
        queues: [],
        documents: Array.from({ length: 30 }, (_, i) => ({
          sys_id: i.toString(16).padStart(32, '0'),
          table: 'interaction',
          number: `IMS${i}`,
        })),
        presence_states: [],
      },
      /^offerload: invalid --fixtures: the plan \(offer-burst, smoke, 2\/s for 10 s\) needs 1 agents and the fixtures hold 0; 1 queues and the fixtures hold 0; 1 presence states and the fixtures hold 0: grant awa_agent and awa_external_user to more users/,
    ],
  ])(
    'refuses a fixtures file with %s: exit 2, naming --fixtures, before any load',
    async (_, fixtures, message) => {
      const f = file(`fixtures-${Math.random().toString(36).slice(2)}.json`, JSON.stringify(fixtures));
      const r = await runCli(
        [
          'run',
          'offer-burst',
          '--profile',
          'smoke',
          '--no-influx',
          '--target',
          'http://127.0.0.1:9',
          '--fixtures',
          f,
          '--out',
          out,
        ],
        {},
        30_000,
      );
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n').at(-1)).toMatch(message);
      expect(r.stderr).not.toContain('running offer-burst');
      expect(existsSync(out)).toBe(false);
    },
    40_000,
  );
});

describe('dry run', () => {
  it('prints the plan, starts nothing, sends nothing and writes nothing', async () => {
    const r = await runCli([
      'run',
      'capacity',
      '--rate',
      '10',
      '--ceiling',
      '40',
      '--duration',
      '80s',
      '--dry-run',
      '--insecure-skip-tls-verify',
      '--out',
      out,
      '--testid',
      'dry-1',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('plan for dry-1 (dry run: nothing is started or sent)');
    expect(r.stdout).toMatch(
      /stages\s+10\/s for 20s, 20\/s for 1s, 20\/s for 19s, 30\/s for 1s, 30\/s for 19s, 40\/s for 1s, 40\/s for 19s/,
    );
    expect(r.stdout).toMatch(/peak rate\s+40 iterations\/s/);
    // 10/s x 20 s + 20/s x 20 s + 30/s x 20 s + 40/s x 20 s, less the three one-second ramps
    expect(r.stdout).toMatch(/expected\s+1985 iterations, about 1985 requests/);
    expect(r.stdout).toContain('certificates NOT verified');
    expect(existsSync(out)).toBe(false);
  });
});
