/** A real InfluxDB for a test file: started on a free port in a temporary folder, stopped after. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, startInflux, stopInflux, type InfluxServerOptions } from '../../src/node/influx/server.js';

export async function startTestInflux(
  name: string,
): Promise<{ opts: InfluxServerOptions; url: string; dir: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), `offerload-${name}-`));
  const opts = { port: await freePort(), dir: path.join(dir, 'influxdb') };
  await startInflux(opts);
  return { opts, url: `http://127.0.0.1:${opts.port}`, dir, stop: () => stopInflux(opts).then(() => undefined) };
}
