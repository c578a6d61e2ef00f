/**
 * The guardrails on where offerload sends requests, stated once for every command that writes to a target
 * (`run`, `operator`, `cleanup`): a target is a URL or a name in the config file; any host that is not loopback
 * must be allowed there; a production target needs --production; its credentials come from what the config
 * names (never argv); its max_rate caps what may be sent.
 */
import { UsageError } from '../errors.js';
import { isLoopbackHost } from '../net.js';
import * as flag from '../values.js';
import { credentialsFor, DEFAULT_CONFIG_FILE, type RunConfigFile, type TargetConfig } from './config-file.js';

export interface ChosenTarget {
  /** undefined: no --target (the embedded simulator) */
  readonly url: URL | undefined;
  /** the config's entry for it, by name or by origin */
  readonly entry: TargetConfig | undefined;
  /** the name it was given by, when it is a config target */
  readonly name: string | undefined;
  /** credentials the entry names (never printed) */
  readonly credentials: Readonly<Record<string, string>> | undefined;
}

/** The target `--target` names, checked against the config's guardrails; throws a one-line UsageError. */
export function chooseTarget(
  raw: string | undefined,
  production: boolean,
  config: RunConfigFile,
  env: NodeJS.ProcessEnv,
): ChosenTarget {
  if (raw === undefined) return { url: undefined, entry: undefined, name: undefined, credentials: undefined };
  const named = config.targets[raw];
  const url = flag.httpUrl(named ? `targets.${raw}.url` : '--target', named?.url ?? raw);
  const entry = named ?? Object.values(config.targets).find((t) => new URL(t.url).origin === url.origin);
  if (!isLoopbackHost(url.hostname) && !entry?.allow) {
    throw new UsageError(
      `invalid --target: ${url.hostname} is not on loopback and no target in the config allows it (set "allow": true for it in ${config.source ?? DEFAULT_CONFIG_FILE})`,
    );
  }
  if (entry?.production && !production)
    throw new UsageError(
      `invalid --target: ${url.hostname} is marked production in the config; pass --production if you really mean to load it`,
    );
  return {
    url,
    entry,
    name: named ? raw : undefined,
    credentials: entry?.auth ? credentialsFor(entry.auth, env) : undefined,
  };
}
