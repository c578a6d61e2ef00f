/** `offerload pool`: makes the offer pool file from a target's fixtures, for k6 runs started without the CLI. */
import { writeFileSync } from 'node:fs';
import { UsageError, EnvironmentError } from '../errors.js';
import { buildPool, DEFAULT_POOL_OPTIONS } from '../data/pool.js';
import type { Fixtures } from '../../shared/api.js';
import * as flag from './flags.js';
import type { Io } from '../io.js';
import { poolFileText } from '../../shared/pool.js';

export const POOL_HELP = `usage: offerload pool --target URL --out FILE [--size N] [--seed N] [--generators N]

Fetches the target simulator's fixtures and writes the offer pool (JSON) that scenario bundles load into a
SharedArray through OFFERLOAD_POOL: for k6 started directly, as docker-compose's k6 service does, or for
runs split across N generators by k6 execution segments (equal segments): entry i belongs to generator
i mod N, and re-offers never cross generators, so generators never collide on a document by accident.`;

export async function poolCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('--help')) {
    io.out(POOL_HELP);
    return 0;
  }
  const { values: v } = flag.parseFlags('pool', argv, {
    target: { type: 'string' },
    out: { type: 'string' },
    size: { type: 'string' },
    seed: { type: 'string' },
    generators: { type: 'string' },
  });
  if (!v.target || !v.out) throw new UsageError('offerload pool needs --target URL and --out FILE');
  const target = flag.httpUrl('--target', v.target);
  const size = v.size === undefined ? 10_000 : flag.positiveNumber('--size', v.size, 'entries');
  const res = await fetch(new URL('/sim/fixtures', target)).catch((e: Error) => {
    throw new EnvironmentError(`target ${target.origin} is not reachable: ${e.message}`);
  });
  if (!res.ok) throw new EnvironmentError(`target ${target.origin} serves no /sim/fixtures (HTTP ${res.status})`);
  const partitions = v.generators === undefined ? 1 : flag.positiveNumber('--generators', v.generators, 'generators');
  const pool = buildPool((await res.json()) as Fixtures, {
    ...DEFAULT_POOL_OPTIONS,
    partitions,
    size: Math.round(size),
    seed: v.seed === undefined ? DEFAULT_POOL_OPTIONS.seed : flag.integer('--seed', v.seed),
  });
  writeFileSync(v.out, poolFileText(pool));
  io.out(`${v.out}: ${pool.entries.length} entries`);
  return 0;
}
