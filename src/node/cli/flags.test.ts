import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { parseRunArgs } from './run.js';
import { SCENARIOS } from '../../shared/scenarios.js';

const SCENARIO_LIST = Object.keys(SCENARIOS).join(', ');

describe('offerload run argument validation', () => {
  it.each([
    [
      ['offer-burst', '--rate', 'fast'],
      'invalid --rate: expected a positive number of iterations per second, got "fast"',
    ],
    [['offer-burst', '--rate', '-3'], 'invalid --rate: expected a positive number of iterations per second, got "-3"'],
    [['offer-burst', '--rate', '0'], 'invalid --rate: expected a positive number of iterations per second, got "0"'],
    [['offer-burst', '--duration', '10'], 'invalid --duration: expected a duration such as 90s, 2m or 1h30m, got "10"'],
    [
      ['offer-burst', '--duration', '-1m'],
      'invalid --duration: expected a duration such as 90s, 2m or 1h30m, got "-1m"',
    ],
    [
      ['offer-burst', '--profile', 'huge'],
      'invalid --profile: expected one of smoke, average, burst, shift-start, spike, irregular, forecast, got "huge"',
    ],
    [
      ['transfer-mix', '--profile', 'capacity'],
      'invalid --profile: expected one of smoke, average, burst, spike, forecast, got "capacity"',
    ],
    [['no-such-scenario'], `invalid scenario: expected one of ${SCENARIO_LIST}, got "no-such-scenario"`],
    [[], `offerload run takes one scenario (one of ${SCENARIO_LIST}), got 0`],
    [['soak', '--no-influx'], '--no-influx cannot go with soak/soak: its results are read back from InfluxDB'],
    [['offer-burst', '--timeouts', '5,10'], '--timeouts applies to timeout-sweep only'],
    [
      ['timeout-sweep', '--timeouts', '5,,10'],
      'invalid --timeouts: expected a comma-separated list of seconds (each at least 1), got "5,,10"',
    ],
    [['timeout-sweep', '--skews', 'a'], 'invalid --skews: expected a comma-separated list of milliseconds, got "a"'],
    [['capacity', '--rate', '50', '--ceiling', '20'], 'invalid --ceiling: expected at least --rate (50), got "20"'],
    [['offer-burst', '--ceiling', '20'], '--ceiling applies to the capacity profile only'],
    [
      ['offer-burst', '--slo', 'p42=1'],
      'invalid --slo key: expected one of p95_ms, p99_ms, error_rate, conflict_rate, got "p42"',
    ],
    [['offer-burst', '--slo', 'error_rate=2'], 'invalid --slo error_rate: expected a share from 0 to 1, got "2"'],
    [
      ['offer-burst', '--target', 'http://127.0.0.1:9', '--sim-config', 'x.json'],
      '--sim-config configures the embedded simulator: it cannot go with --target',
    ],
    [
      ['offer-burst', '--sim-config', '/nonexistent/sim.json'],
      'invalid --sim-config: file not found: /nonexistent/sim.json',
    ],
    [
      ['offer-burst', '--target', 'not a url'],
      'invalid --target: expected an http:// or https:// URL, got "not a url"',
    ],
    [
      ['offer-burst', '--target', 'ftp://127.0.0.1'],
      'invalid --target: expected an http:// or https:// URL, got "ftp://127.0.0.1"',
    ],
    [
      ['offer-burst', '--target', 'http://u:p@127.0.0.1:1'],
      'invalid --target: credentials do not belong in URLs; set OFFERLOAD_USERNAME/OFFERLOAD_PASSWORD or OFFERLOAD_TOKEN',
    ],
    [
      ['offer-burst', '--target', 'https://example.service-now.com'],
      'invalid --target: example.service-now.com is not on loopback and no target in the config allows it (set "allow": true for it in offerload.config.json)',
    ],
    [
      ['offer-burst', '--influx', 'http://127.0.0.1:8086', '--no-influx'],
      'conflicting flags: --influx and --no-influx',
    ],
    [
      ['offer-burst', '--testid', 'a b'],
      'invalid --testid: expected letters, digits, ".", "_" or "-" (at most 80, starting with a letter or digit), got "a b"',
    ],
    [['offer-burst', '--seed', '1.5'], 'invalid --seed: expected a whole number, got "1.5"'],
    [
      ['offer-burst', '--fixtures', 'x.json'],
      '--fixtures needs --target: the embedded simulator serves its own fixtures',
    ],
    [
      ['offer-burst', '--target', 'http://127.0.0.1:9', '--fixtures', '/nonexistent/f.json'],
      'invalid --fixtures: file not found: /nonexistent/f.json',
    ],
    [['offer-burst', '--bogus'], "Unknown option '--bogus' (see 'offerload run --help')"],
  ])('refuses %j with one line', (argv, message) => {
    let error: unknown;
    try {
      parseRunArgs(argv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(message);
  });

  it('takes the profile defaults and loopback targets', () => {
    const o = parseRunArgs([
      'offer-burst',
      '--target',
      'http://127.0.0.2:8080',
      '--rate',
      '7.5',
      '--duration',
      '1m30s',
    ]);
    expect(o).toMatchObject({
      scenario: 'offer-burst',
      profile: 'burst',
      params: { rate: 7.5, durationSec: 90 },
      targetLabel: '127.0.0.2',
    });
  });
});
