import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { parseRunArgs } from './run.js';

describe('offerload run argument validation', () => {
  it.each([
    [['offer-burst', '--rate', 'fast'], 'invalid --rate: expected a positive number of offers per second, got "fast"'],
    [['offer-burst', '--rate', '-3'], 'invalid --rate: expected a positive number of offers per second, got "-3"'],
    [['offer-burst', '--rate', '0'], 'invalid --rate: expected a positive number of offers per second, got "0"'],
    [['offer-burst', '--duration', '10'], 'invalid --duration: expected a duration such as 90s, 2m or 1h30m, got "10"'],
    [['offer-burst', '--duration', '-1m'], 'invalid --duration: expected a duration such as 90s, 2m or 1h30m, got "-1m"'],
    [['offer-burst', '--profile', 'huge'], 'invalid --profile: expected one of smoke, average, burst, got "huge"'],
    [['no-such-scenario'], 'invalid scenario: expected one of offer-burst, got "no-such-scenario"'],
    [[], 'offerload run takes one scenario (one of offer-burst), got 0'],
    [['offer-burst', '--target', 'not a url'], 'invalid --target: expected an http:// or https:// URL, got "not a url"'],
    [['offer-burst', '--target', 'ftp://127.0.0.1'], 'invalid --target: expected an http:// or https:// URL, got "ftp://127.0.0.1"'],
    [['offer-burst', '--target', 'http://u:p@127.0.0.1:1'], 'invalid --target: credentials do not belong in URLs; set OFFERLOAD_USERNAME/OFFERLOAD_PASSWORD or OFFERLOAD_TOKEN'],
    [['offer-burst', '--target', 'https://example.service-now.com'], 'invalid --target: example.service-now.com is not on loopback; pass --allow-remote to load a remote instance you are allowed to load'],
    [['offer-burst', '--influx', 'http://127.0.0.1:8086', '--no-influx'], 'conflicting flags: --influx and --no-influx'],
    [['offer-burst', '--testid', 'a b'], 'invalid --testid: expected letters, digits, ".", "_" or "-" (at most 80, starting with a letter or digit), got "a b"'],
    [['offer-burst', '--seed', '1.5'], 'invalid --seed: expected a whole number, got "1.5"'],
    [['offer-burst', '--fixtures', 'x.json'], '--fixtures needs --target: the embedded simulator serves its own fixtures'],
    [['offer-burst', '--target', 'http://127.0.0.1:9', '--fixtures', '/nonexistent/f.json'], 'invalid --fixtures: file not found: /nonexistent/f.json'],
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
    const o = parseRunArgs(['offer-burst', '--target', 'http://127.0.0.2:8080', '--rate', '7.5', '--duration', '1m30s']);
    expect(o).toMatchObject({ scenario: 'offer-burst', profile: 'burst', rate: 7.5, durationSec: 90, targetLabel: '127.0.0.2' });
  });
});
