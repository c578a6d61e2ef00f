import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { influxAuth, influxBaseUrl, influxTarget } from './connection.js';

const dir = mkdtempSync(path.join(tmpdir(), 'offerload-connection-'));
const ca = path.join(dir, 'ca.pem');
writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const notPem = path.join(dir, 'key.txt');
writeFileSync(notPem, 'not a certificate\n');

describe('InfluxDB connection', () => {
  it('keeps the path prefix of a base URL and drops trailing slashes', () => {
    expect(influxBaseUrl('--influx', 'https://metrics.example.com/team/influx/')).toBe(
      'https://metrics.example.com/team/influx',
    );
    expect(influxBaseUrl('--influx', 'http://127.0.0.1:8086')).toBe('http://127.0.0.1:8086');
  });

  it.each([
    ['ftp://x', 'invalid --influx: expected an http:// or https:// URL, got "ftp://x"'],
    ['not a url', 'invalid --influx: expected an http:// or https:// URL, got "not a url"'],
    [
      'https://u:p@host',
      'invalid --influx: credentials do not belong in URLs; set OFFERLOAD_INFLUX_USERNAME/OFFERLOAD_INFLUX_PASSWORD or OFFERLOAD_INFLUX_TOKEN',
    ],
    [
      'https://host/x?db=offerload',
      'invalid --influx: expected a base URL without query or fragment, got "https://host/x?db=offerload"',
    ],
  ])('refuses %s with one line naming the input', (raw, message) => {
    expect(() => influxBaseUrl('--influx', raw)).toThrow(message);
  });

  it('reads credentials from the variables the config names, a token before a user', () => {
    const env = { MY_USER: 'loader', MY_PASS: 's3cret', MY_TOKEN: 'tok' };
    expect(influxAuth({ username_env: 'MY_USER', password_env: 'MY_PASS' }, env)?.reveal()).toEqual({
      kind: 'basic',
      username: 'loader',
      password: 's3cret',
    });
    expect(
      influxAuth({ token_env: 'MY_TOKEN', username_env: 'MY_USER', password_env: 'MY_PASS' }, env)?.reveal(),
    ).toEqual({ kind: 'token', token: 'tok' });
  });

  it('falls back to OFFERLOAD_INFLUX_* and to no credentials at all', () => {
    expect(influxAuth(undefined, { OFFERLOAD_INFLUX_USERNAME: 'u', OFFERLOAD_INFLUX_PASSWORD: 'p' })?.reveal()).toEqual(
      { kind: 'basic', username: 'u', password: 'p' },
    );
    expect(influxAuth(undefined, { OFFERLOAD_INFLUX_TOKEN: 't' })?.reveal()).toEqual({ kind: 'token', token: 't' });
    expect(influxAuth(undefined, {})).toBeUndefined();
  });

  it('names the variable the config points at when it is not set, and refuses half a user', () => {
    expect(() => influxAuth({ token_env: 'ACME_INFLUX_TOKEN' }, {})).toThrow(
      'missing credential: ACME_INFLUX_TOKEN is not set in the environment (named by influx.token_env)',
    );
    expect(() => influxAuth({ username_env: 'U' }, { U: 'x' })).toThrow(
      'invalid influx in the config: username_env and password_env go together',
    );
  });

  it('never shows a credential when the target is serialised, inspected or interpolated', () => {
    const t = influxTarget({
      url: 'https://h/p',
      database: 'offerload',
      env: { OFFERLOAD_INFLUX_USERNAME: 'u', OFFERLOAD_INFLUX_PASSWORD: 'hunter2-secret' },
    });
    expect(JSON.stringify(t)).toBe('{"url":"https://h/p","database":"offerload","auth":"[redacted]"}');
    expect(inspect(t)).not.toContain('hunter2-secret');
    expect(`${t.auth}`).toBe('[redacted]');
  });

  it('takes the CA file and forced flavour from the config before the environment, and checks both', () => {
    const t = influxTarget({
      url: 'https://h',
      database: 'd',
      section: { ca_file: ca, flavour: '2' },
      env: { OFFERLOAD_INFLUX_FLAVOUR: '3', OFFERLOAD_INFLUX_CA_FILE: '/nope' },
      insecureSkipTlsVerify: true,
    });
    expect(t).toEqual({ url: 'https://h', database: 'd', caFile: ca, flavour: '2', insecureSkipTlsVerify: true });
    expect(() =>
      influxTarget({ url: 'https://h', database: 'd', env: { OFFERLOAD_INFLUX_CA_FILE: path.join(dir, 'x.pem') } }),
    ).toThrow(
      `invalid OFFERLOAD_INFLUX_CA_FILE: expected a PEM file of CA certificates, file not found: ${path.join(dir, 'x.pem')}`,
    );
    expect(() => influxTarget({ url: 'https://h', database: 'd', section: { ca_file: notPem }, env: {} })).toThrow(
      `invalid influx.ca_file: expected a PEM file of CA certificates, ${notPem} holds none`,
    );
    expect(() => influxTarget({ url: 'https://h', database: 'd', section: { flavour: '2.x' }, env: {} })).toThrow(
      'invalid influx.flavour: expected one of 1, 2, 3, got "2.x"',
    );
  });
});
