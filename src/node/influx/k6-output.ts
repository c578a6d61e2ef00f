/**
 * k6's built-in InfluxDB v1 output for a target, configured through k6's environment only (never its
 * command line, which `ps` shows): K6_INFLUXDB_ADDR keeps the path prefix (k6 v2.2 takes a URL's whole path
 * as the database name, so `--out influxdb=URL` cannot carry a prefix), K6_INFLUXDB_DB the database,
 * K6_INFLUXDB_USERNAME/PASSWORD the credentials (a token goes as the password, which 2.x and 3.x accept
 * with any user name), K6_INFLUXDB_INSECURE for --insecure-skip-tls-verify, and a CA file through Go's
 * SSL_CERT_FILE as a bundle of the system's CAs plus it, so k6 still trusts what the system trusts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { InfluxTarget } from './connection.js';

/** Where Debian keeps the system's CA bundle (Go reads the same file when SSL_CERT_FILE is unset). */
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
/** The user name sent with a token: 2.x and 3.x read only the password. */
const TOKEN_USER = 'offerload';

export interface K6InfluxOutput {
  /** k6 flags: the output by name only */
  readonly args: readonly string[];
  /** k6 environment, secrets included */
  readonly env: Readonly<Record<string, string>>;
}

/** The k6 flags and environment that send k6's metrics to `t`; a CA bundle is written into `workDir` when needed. */
export function k6InfluxOutput(t: InfluxTarget, workDir: string): K6InfluxOutput {
  const env: Record<string, string> = { K6_INFLUXDB_ADDR: t.url, K6_INFLUXDB_DB: t.database };
  const auth = t.auth?.reveal();
  if (auth?.kind === 'basic')
    Object.assign(env, { K6_INFLUXDB_USERNAME: auth.username, K6_INFLUXDB_PASSWORD: auth.password });
  if (auth?.kind === 'token')
    Object.assign(env, { K6_INFLUXDB_USERNAME: TOKEN_USER, K6_INFLUXDB_PASSWORD: auth.token });
  if (t.insecureSkipTlsVerify) env.K6_INFLUXDB_INSECURE = 'true';
  else if (t.caFile) {
    const bundle = path.join(workDir, 'influx-ca-bundle.pem');
    const system = existsSync(SYSTEM_CA_BUNDLE) ? readFileSync(SYSTEM_CA_BUNDLE, 'utf8') : '';
    writeFileSync(bundle, `${system}\n${readFileSync(t.caFile, 'utf8')}\n`);
    env.SSL_CERT_FILE = bundle;
  }
  return { args: ['--out', 'influxdb'], env };
}
