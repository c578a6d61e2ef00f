/**
 * The run configuration file (offerload.config.json, or --config FILE): named targets with their base URL,
 * where their credentials come from (environment variable names or a secrets file, never the file itself),
 * whether load may go there (allow), whether it is production, a rate no run may exceed; SLO overrides; the
 * InfluxDB connection. Every key is checked; a bad one is a one-line error naming it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { Slo } from '../../shared/scenarios.js';
import { INFLUX_CONFIG_KEYS, type InfluxConfigSection } from '../influx/connection.js';

export interface TargetAuth {
  readonly username_env?: string;
  readonly password_env?: string;
  readonly token_env?: string;
  /** OAuth 2.0 client credentials: tokens are fetched and renewed by each VU during the run */
  readonly oauth_client_id_env?: string;
  readonly oauth_client_secret_env?: string;
  readonly oauth_token_url?: string;
  /** a file of KEY=VALUE lines (or JSON) holding the credentials; readable by its owner only */
  readonly secrets_file?: string;
}

export interface TargetConfig {
  readonly url: string;
  /** load may be sent here (required for any host that is not loopback) */
  readonly allow?: boolean;
  /** refused unless the run says --production */
  readonly production?: boolean;
  /** no profile or flag may offer more than this many iterations per second here */
  readonly max_rate?: number;
  readonly auth?: TargetAuth;
  readonly label?: string;
}

export interface RunConfigFile {
  readonly targets: Readonly<Record<string, TargetConfig>>;
  readonly slos: Readonly<Record<string, Slo>>;
  /** where InfluxDB is and which environment variables hold its credentials (connection.ts) */
  readonly influx?: InfluxConfigSection;
  /** how a run's iterations arrive, when no --arrivals/--dispersion says otherwise (values as those flags take) */
  readonly arrivals?: { readonly mode?: string; readonly dispersion?: number };
  readonly source: string | undefined;
}

export const DEFAULT_CONFIG_FILE = 'offerload.config.json';
const EMPTY: RunConfigFile = { targets: {}, slos: {}, source: undefined };

const KEYS: Record<string, readonly string[]> = {
  root: ['targets', 'slos', 'influx', 'arrivals'],
  arrivals: ['mode', 'dispersion'],
  target: ['url', 'allow', 'production', 'max_rate', 'auth', 'label'],
  auth: [
    'username_env',
    'password_env',
    'token_env',
    'oauth_client_id_env',
    'oauth_client_secret_env',
    'oauth_token_url',
    'secrets_file',
  ],
  influx: INFLUX_CONFIG_KEYS,
  slo: ['p95_ms', 'p99_ms', 'error_rate', 'conflict_rate'],
};

function checkKeys(where: string, obj: unknown, allowed: readonly string[], file: string): Record<string, unknown> {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    throw new UsageError(`invalid ${where} in ${file}: expected an object`);
  for (const key of Object.keys(obj))
    if (!allowed.includes(key))
      throw new UsageError(
        `invalid config key "${where === 'config' ? key : `${where}.${key}`}" in ${file}: expected one of ${allowed.join(', ')}`,
      );
  return obj as Record<string, unknown>;
}

function expect(where: string, value: unknown, type: 'string' | 'boolean' | 'number', file: string): void {
  if (value !== undefined && (typeof value !== type || (type === 'number' && !((value as number) > 0)))) {
    throw new UsageError(
      `invalid ${where} in ${file}: expected ${type === 'number' ? 'a positive number' : `a ${type}`}, got ${JSON.stringify(value)}`,
    );
  }
}

/** Loads the config: --config FILE, else offerload.config.json when present, else nothing. */
export function loadRunConfig(file: string | undefined, cwd = process.cwd()): RunConfigFile {
  const chosen =
    file ?? (existsSync(path.join(cwd, DEFAULT_CONFIG_FILE)) ? path.join(cwd, DEFAULT_CONFIG_FILE) : undefined);
  if (!chosen) return EMPTY;
  if (!existsSync(chosen)) throw new UsageError(`invalid --config: file not found: ${chosen}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(chosen, 'utf8'));
  } catch (e) {
    throw new UsageError(`invalid --config: ${chosen} is not JSON (${(e as Error).message.split('\n')[0]})`);
  }
  const root = checkKeys('config', raw, KEYS.root!, chosen);
  const targets = checkKeys('targets', root.targets ?? {}, Object.keys((root.targets as object) ?? {}), chosen);
  for (const [name, t] of Object.entries(targets)) {
    const target = checkKeys(`targets.${name}`, t, KEYS.target!, chosen);
    if (typeof target.url !== 'string')
      throw new UsageError(`invalid targets.${name}.url in ${chosen}: expected a URL string`);
    expect(`targets.${name}.allow`, target.allow, 'boolean', chosen);
    expect(`targets.${name}.production`, target.production, 'boolean', chosen);
    expect(`targets.${name}.max_rate`, target.max_rate, 'number', chosen);
    if (target.auth !== undefined) {
      const auth = checkKeys(`targets.${name}.auth`, target.auth, KEYS.auth!, chosen);
      for (const k of KEYS.auth!) expect(`targets.${name}.auth.${k}`, auth[k], 'string', chosen);
    }
  }
  const slos = checkKeys('slos', root.slos ?? {}, Object.keys((root.slos as object) ?? {}), chosen);
  for (const [op, slo] of Object.entries(slos)) {
    const s = checkKeys(`slos.${op}`, slo, KEYS.slo!, chosen);
    for (const k of KEYS.slo!) expect(`slos.${op}.${k}`, s[k], 'number', chosen);
  }
  if (root.influx !== undefined) {
    const i = checkKeys('influx', root.influx, KEYS.influx!, chosen);
    for (const k of INFLUX_CONFIG_KEYS) expect(`influx.${k}`, i[k], 'string', chosen);
  }
  if (root.arrivals !== undefined) {
    const a = checkKeys('arrivals', root.arrivals, KEYS.arrivals!, chosen);
    expect('arrivals.mode', a.mode, 'string', chosen);
    expect('arrivals.dispersion', a.dispersion, 'number', chosen);
  }
  return {
    targets: targets as Record<string, TargetConfig>,
    arrivals: root.arrivals as RunConfigFile['arrivals'],
    slos: slos as Record<string, Slo>,
    influx: root.influx as RunConfigFile['influx'],
    source: chosen,
  };
}

/** Reads a secrets file (KEY=VALUE lines, or a JSON object); refuses one that others can read. */
export function readSecretsFile(file: string): Record<string, string> {
  if (!existsSync(file)) throw new UsageError(`invalid secrets_file: file not found: ${file}`);
  const mode = statSync(file).mode & 0o077;
  if (mode !== 0)
    throw new UsageError(
      `invalid secrets_file: ${file} can be read by others (mode ${(statSync(file).mode & 0o777).toString(8)}); chmod 600 it`,
    );
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(
      `invalid secrets_file: ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  if (text.trim().startsWith('{')) {
    try {
      return JSON.parse(text) as Record<string, string>;
    } catch {
      throw new UsageError(`invalid secrets_file: ${file} is neither KEY=VALUE lines nor a JSON object`);
    }
  }
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const eq = t.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid secrets_file: ${file} has a line that is not KEY=VALUE`);
    out[t.slice(0, eq).trim()] = t.slice(eq + 1).trim();
  }
  return out;
}

/** The credentials a target's auth names, as the OFFERLOAD_* variables a run uses. */
export function credentialsFor(auth: TargetAuth | undefined, env: NodeJS.ProcessEnv): Record<string, string> {
  if (!auth) return {};
  const source: NodeJS.ProcessEnv = auth.secrets_file ? { ...env, ...readSecretsFile(auth.secrets_file) } : env;
  const pick = (name: string | undefined, as: string): [string, string][] => {
    if (!name) return [];
    const value = source[name];
    if (value === undefined || value === '')
      throw new UsageError(
        `missing credential: ${name} is not set${auth.secrets_file ? ` (environment or ${auth.secrets_file})` : ' in the environment'}`,
      );
    return [[as, value]];
  };
  return Object.fromEntries([
    ...pick(auth.username_env, 'OFFERLOAD_USERNAME'),
    ...pick(auth.password_env, 'OFFERLOAD_PASSWORD'),
    ...pick(auth.token_env, 'OFFERLOAD_TOKEN'),
    ...pick(auth.oauth_client_id_env, 'OFFERLOAD_OAUTH_CLIENT_ID'),
    ...pick(auth.oauth_client_secret_env, 'OFFERLOAD_OAUTH_CLIENT_SECRET'),
    ...(auth.oauth_token_url ? [['OFFERLOAD_OAUTH_TOKEN_URL', auth.oauth_token_url] as [string, string]] : []),
  ]);
}
