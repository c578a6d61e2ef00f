import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { influxTarget } from './connection.js';
import { k6InfluxOutput } from './k6-output.js';

const dir = mkdtempSync(path.join(tmpdir(), 'offerload-k6out-'));
const ca = path.join(dir, 'ca.pem');
writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIBofferloadtestca\n-----END CERTIFICATE-----\n');

describe("k6's InfluxDB output", () => {
  it('goes by name on the command line and by environment for the address with its prefix, database and user', () => {
    const t = influxTarget({
      url: 'https://m.example.com/influx',
      database: 'perf',
      env: { OFFERLOAD_INFLUX_USERNAME: 'loader', OFFERLOAD_INFLUX_PASSWORD: 'pw-secret' },
    });
    const out = k6InfluxOutput(t, dir);
    expect(out.args).toEqual(['--out', 'influxdb']);
    expect(out.env).toEqual({
      K6_INFLUXDB_ADDR: 'https://m.example.com/influx',
      K6_INFLUXDB_DB: 'perf',
      K6_INFLUXDB_USERNAME: 'loader',
      K6_INFLUXDB_PASSWORD: 'pw-secret',
    });
  });

  it('sends a token as the password, and skips verification only when told', () => {
    const t = influxTarget({
      url: 'https://h',
      database: 'd',
      env: { OFFERLOAD_INFLUX_TOKEN: 'tok' },
      insecureSkipTlsVerify: true,
    });
    expect(k6InfluxOutput(t, dir).env).toMatchObject({
      K6_INFLUXDB_USERNAME: 'offerload',
      K6_INFLUXDB_PASSWORD: 'tok',
      K6_INFLUXDB_INSECURE: 'true',
    });
  });

  it("trusts a CA file through a bundle of the system's CAs and it, written into the run's folder", () => {
    const out = k6InfluxOutput(
      influxTarget({ url: 'https://h', database: 'd', env: { OFFERLOAD_INFLUX_CA_FILE: ca } }),
      dir,
    );
    expect(out.env.SSL_CERT_FILE).toBe(path.join(dir, 'influx-ca-bundle.pem'));
    const bundle = readFileSync(out.env.SSL_CERT_FILE!, 'utf8');
    expect(bundle).toContain('MIIBofferloadtestca');
    expect(bundle.split('-----BEGIN CERTIFICATE-----').length - 1).toBeGreaterThan(10);
  });
});
