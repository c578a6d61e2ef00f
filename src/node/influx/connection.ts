/**
 * Where an InfluxDB is and how to reach it: base URL (scheme, host, port and any path prefix of a reverse
 * proxy), database, credentials, TLS trust and, for tests or odd proxies, a forced server flavour. One
 * resolver states the precedence: flags, then the config file's `influx` section, then the environment.
 * Credentials come from environment variables only (names from the config file, or the defaults below) and
 * never print: their holder serialises and inspects as "[redacted]".
 */
import { existsSync, readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { UsageError } from '../errors.js';
import { FLAVOUR_NAMES, type FlavourName } from './flavour.js';

export const DEFAULT_DATABASE = 'offerload';

/** Environment variables read when the config file names none. */
export const INFLUX_ENV = {
  username: 'OFFERLOAD_INFLUX_USERNAME',
  password: 'OFFERLOAD_INFLUX_PASSWORD',
  token: 'OFFERLOAD_INFLUX_TOKEN',
  caFile: 'OFFERLOAD_INFLUX_CA_FILE',
  flavour: 'OFFERLOAD_INFLUX_FLAVOUR',
  org: 'OFFERLOAD_INFLUX_ORG',
} as const;

/** Basic credentials (1.x users, or any name plus a 2.x/3.x token as password) or a token alone. */
export type InfluxAuth =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'token'; readonly token: string };

export interface InfluxTarget {
  /** base URL with any path prefix and no trailing slash, e.g. https://metrics.example.com/influx */
  readonly url: string;
  readonly database: string;
  readonly auth?: Secret<InfluxAuth>;
  /** PEM file of the CA(s) that signed the server's certificate (added to the system's) */
  readonly caFile?: string;
  /** certificates not verified (--insecure-skip-tls-verify) */
  readonly insecureSkipTlsVerify?: boolean;
  /** the server kind to assume instead of asking /ping and /health */
  readonly flavour?: FlavourName;
  /** the organisation a 2.x server's writes belong to (1.x and 3.x ignore it) */
  readonly org?: string;
}

/** A value that never serialises or inspects as itself, so a logged or JSON-written target shows no secret. */
export class Secret<T> {
  readonly #value: T;
  constructor(value: T) {
    this.#value = value;
  }
  reveal(): T {
    return this.#value;
  }
  toJSON(): string {
    return '[redacted]';
  }
  toString(): string {
    return '[redacted]';
  }
  [inspect.custom](): string {
    return '[redacted]';
  }
}

/** The config file's `influx` section. */
export interface InfluxConfigSection {
  readonly url?: string;
  readonly database?: string;
  readonly username_env?: string;
  readonly password_env?: string;
  readonly token_env?: string;
  readonly ca_file?: string;
  readonly flavour?: string;
  readonly org?: string;
}

export const INFLUX_CONFIG_KEYS = [
  'url',
  'database',
  'username_env',
  'password_env',
  'token_env',
  'ca_file',
  'flavour',
  'org',
] as const;

/** An InfluxDB base URL: http(s), no credentials, query or fragment; the path is kept as a prefix. */
export function influxBaseUrl(input: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`invalid ${input}: expected an http:// or https:// URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`invalid ${input}: expected an http:// or https:// URL, got "${raw}"`);
  if (url.username || url.password)
    throw new UsageError(
      `invalid ${input}: credentials do not belong in URLs; set ${INFLUX_ENV.username}/${INFLUX_ENV.password} or ${INFLUX_ENV.token}`,
    );
  if (url.search || url.hash)
    throw new UsageError(`invalid ${input}: expected a base URL without query or fragment, got "${raw}"`);
  return url.origin + url.pathname.replace(/\/+$/, '');
}

function secretFrom(env: NodeJS.ProcessEnv, name: string, where: string): string {
  const value = env[name];
  if (value === undefined || value === '')
    throw new UsageError(`missing credential: ${name} is not set in the environment (named by ${where})`);
  return value;
}

/** The credentials the config names (or the default variables hold); undefined when none are set. */
export function influxAuth(
  section: InfluxConfigSection | undefined,
  env: NodeJS.ProcessEnv,
): Secret<InfluxAuth> | undefined {
  if (section?.token_env)
    return new Secret({ kind: 'token', token: secretFrom(env, section.token_env, 'influx.token_env') });
  if (section?.username_env || section?.password_env) {
    if (!section.username_env || !section.password_env)
      throw new UsageError('invalid influx in the config: username_env and password_env go together');
    return new Secret({
      kind: 'basic',
      username: secretFrom(env, section.username_env, 'influx.username_env'),
      password: secretFrom(env, section.password_env, 'influx.password_env'),
    });
  }
  if (env[INFLUX_ENV.token]) return new Secret({ kind: 'token', token: env[INFLUX_ENV.token]! });
  if (env[INFLUX_ENV.username])
    return new Secret({ kind: 'basic', username: env[INFLUX_ENV.username]!, password: env[INFLUX_ENV.password] ?? '' });
  return undefined;
}

function caFileFrom(section: InfluxConfigSection | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const [file, input] = section?.ca_file
    ? [section.ca_file, 'influx.ca_file']
    : env[INFLUX_ENV.caFile]
      ? [env[INFLUX_ENV.caFile]!, INFLUX_ENV.caFile]
      : [undefined, ''];
  if (file === undefined) return undefined;
  if (!existsSync(file))
    throw new UsageError(`invalid ${input}: expected a PEM file of CA certificates, file not found: ${file}`);
  if (!readFileSync(file, 'utf8').includes('-----BEGIN CERTIFICATE-----'))
    throw new UsageError(`invalid ${input}: expected a PEM file of CA certificates, ${file} holds none`);
  return file;
}

function flavourFrom(i: InfluxInputs): FlavourName | undefined {
  const [raw, input] =
    i.flavour !== undefined
      ? [i.flavour, '--influx-flavour']
      : i.section?.flavour !== undefined
        ? [i.section.flavour, 'influx.flavour']
        : i.env[INFLUX_ENV.flavour]
          ? [i.env[INFLUX_ENV.flavour]!, INFLUX_ENV.flavour]
          : [undefined, ''];
  if (raw === undefined) return undefined;
  if (!(FLAVOUR_NAMES as readonly string[]).includes(raw))
    throw new UsageError(`invalid ${input}: expected one of ${FLAVOUR_NAMES.join(', ')}, got "${raw}"`);
  return raw as FlavourName;
}

export interface InfluxInputs {
  /** --influx, already read as a base URL */
  readonly url: string;
  readonly database: string;
  readonly section?: InfluxConfigSection;
  readonly env: NodeJS.ProcessEnv;
  readonly insecureSkipTlsVerify?: boolean;
  /** --influx-flavour, over the config file and the environment */
  readonly flavour?: string;
}

/** The target with its credentials, CA file, forced flavour and organisation, from the config section and the environment. */
export function influxTarget(i: InfluxInputs): InfluxTarget {
  const auth = influxAuth(i.section, i.env);
  const caFile = caFileFrom(i.section, i.env);
  const flavour = flavourFrom(i);
  const org = i.section?.org || i.env[INFLUX_ENV.org] || undefined;
  return {
    url: i.url,
    database: i.database,
    ...(auth ? { auth } : {}),
    ...(caFile ? { caFile } : {}),
    ...(i.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
    ...(flavour ? { flavour } : {}),
    ...(org ? { org } : {}),
  };
}
