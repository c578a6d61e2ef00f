/**
 * Counts k6's requests from its CSV output (`--out csv=file.gz`), streamed: runs that keep no end-of-test
 * summary (soak) still know exactly how many requests k6 sent, by request name, independent of InfluxDB.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

export async function countRequestsInCsv(file: string): Promise<{ total: number; byName: Record<string, number> }> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  let metricCol = -1;
  let nameCol = -1;
  const byName: Record<string, number> = {};
  let total = 0;
  for await (const line of lines) {
    const cols = line.split(',');
    if (metricCol < 0) {
      metricCol = cols.indexOf('metric_name');
      nameCol = cols.indexOf('name');
      continue;
    }
    if (cols[metricCol] !== 'http_reqs') continue;
    const name = cols[nameCol] ?? '';
    byName[name] = (byName[name] ?? 0) + 1;
    total++;
  }
  return { total, byName };
}
