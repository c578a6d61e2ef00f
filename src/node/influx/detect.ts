/**
 * Which InfluxDB a target is, from its /ping headers (X-Influxdb-Version, X-Influxdb-Build), unless the
 * target forces a flavour (OFFERLOAD_INFLUX_FLAVOUR or the config's influx.flavour: for tests, or a proxy
 * that strips the headers). Asked once per URL for the life of the process.
 */
import { EnvironmentError } from '../errors.js';
import { ping } from './client.js';
import type { InfluxTarget } from './connection.js';
import { FLAVOURS, flavourOfVersion, type Flavour } from './flavour.js';

export interface ServerInfo {
  readonly flavour: Flavour;
  /** X-Influxdb-Version as sent, e.g. 1.6.7~rc0 */
  readonly version: string | undefined;
  /** X-Influxdb-Build as sent: OSS, Core, Enterprise */
  readonly build: string | undefined;
  /** the flavour came from the target's setting, not from the headers */
  readonly forced: boolean;
}

const known = new Map<string, Promise<ServerInfo>>();

async function ask(t: InfluxTarget): Promise<ServerInfo> {
  const p = await ping(t);
  if (!p.ok)
    throw new EnvironmentError(
      `InfluxDB at ${t.url} answered /ping with ${p.status}: is the URL (and its path prefix) right?`,
    );
  if (t.flavour) return { flavour: FLAVOURS[t.flavour], version: p.version, build: p.build, forced: true };
  const flavour = flavourOfVersion(p.version);
  if (!flavour) {
    throw new EnvironmentError(
      `InfluxDB at ${t.url} sent ${p.version ? `X-Influxdb-Version "${p.version}"` : 'no X-Influxdb-Version header'} on /ping: set OFFERLOAD_INFLUX_FLAVOUR (or influx.flavour) to 1, 2 or 3`,
    );
  }
  return { flavour, version: p.version, build: p.build, forced: false };
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
