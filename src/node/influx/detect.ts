/**
 * Which InfluxDB a target is, from the server's own answers: /ping's X-Influxdb-Version and X-Influxdb-Build
 * headers, else the version in /ping's JSON body (3.x), else /health's (1.8+, 2.x). The target's flavour
 * setting (--influx-flavour, the config's influx.flavour or OFFERLOAD_INFLUX_FLAVOUR) overrides what they say:
 * for a proxy that strips all three. Asked once per URL for the life of the process.
 */
import { EnvironmentError } from '../errors.js';
import { healthVersion, ping } from './client.js';
import type { InfluxTarget } from './connection.js';
import { FLAVOURS, flavourOfVersion, type Flavour } from './flavour.js';

export interface ServerInfo {
  readonly flavour: Flavour;
  /** the server's version as it names it, e.g. 1.8.10 or v2.7.11 */
  readonly version: string | undefined;
  /** X-Influxdb-Build as sent: OSS, Core, Enterprise */
  readonly build: string | undefined;
  /** where the version came from */
  readonly versionFrom: 'ping header' | 'ping body' | 'health' | undefined;
  /** the flavour came from the target's setting, not from the server */
  readonly forced: boolean;
  /** the kind the server's version names, whatever was forced: its credentials take that kind's form */
  readonly named: Flavour | undefined;
  /** the server takes /api/v2/write (every 2.x and 3.x; 1.x from 1.8) */
  readonly v2Write: boolean;
}

/** Whether a 1.x version is older than 1.8, the first with /api/v2/write; false when it names no version. */
export function before18(version: string | undefined): boolean {
  const m = /^v?1\.(\d+)\./.exec(version?.trim() ?? '');
  return m !== null && Number(m[1]) < 8;
}

const known = new Map<string, Promise<ServerInfo>>();

async function ask(t: InfluxTarget): Promise<ServerInfo> {
  const p = await ping(t);
  if (!p.ok)
    throw new EnvironmentError(
      `InfluxDB at ${t.url} answered /ping with ${p.status}: is the URL (and its path prefix) right?`,
    );
  const health = p.version === undefined ? await healthVersion(t) : undefined;
  const version = p.version ?? health;
  const versionFrom =
    p.versionFrom === 'header' ? 'ping header' : p.versionFrom === 'body' ? 'ping body' : health ? 'health' : undefined;
  const flavour = t.flavour ? FLAVOURS[t.flavour] : flavourOfVersion(version);
  if (!flavour) {
    throw new EnvironmentError(
      `InfluxDB at ${t.url} named ${version ? `version "${version}"` : 'no version on /ping or /health'}: pass --influx-flavour (or set influx.flavour, or OFFERLOAD_INFLUX_FLAVOUR) to 1, 2 or 3`,
    );
  }
  return {
    flavour,
    version,
    build: p.build,
    versionFrom,
    forced: t.flavour !== undefined,
    named: flavourOfVersion(version),
    v2Write: !(flavour.name === '1' && before18(version)),
  };
}

/** The server kind behind a target (cached per URL and forced flavour; a failed ask is not cached). */
export function serverInfo(t: InfluxTarget): Promise<ServerInfo> {
  const key = `${t.url}|${t.flavour ?? ''}`;
  let info = known.get(key);
  if (!info) {
    info = ask(t);
    known.set(key, info);
    info.catch(() => known.delete(key));
  }
  return info;
}
