/** `offerload pool`: makes the offer pool file from a target's fixtures, for k6 runs started without the CLI. */
import { writeFileSync } from 'node:fs';
import { UsageError, EnvironmentError } from '../errors.js';
import { buildPool, DEFAULT_POOL_OPTIONS } from '../data/pool.js';
import type { Fixtures } from '../../shared/api.js';
import * as flag from './flags.js';
import { type Flag, flagsHelp, flagValue, parserOptions } from '../flag-table.js';
import type { Io } from '../io.js';
import { poolFileText } from '../../shared/pool.js';

const POOL_FLAGS = [
  {
    name: 'target',
    type: 'string',
    arg: 'URL',
    help: 'the simulator whose /sim/fixtures the pool is made from (required)',
  },
  { name: 'out', type: 'string', arg: 'FILE', help: 'the pool file to write (required)' },
  { name: 'size', type: 'string', arg: 'N', help: 'entries', default: '10000' },
  {
    name: 'seed',
    type: 'string',
    arg: 'N',
    help: 'seed of the generated data',
    default: `${DEFAULT_POOL_OPTIONS.seed}`,
  },
  { name: 'generators', type: 'string', arg: 'N', help: 'load generators the pool is partitioned for', default: '1' },
] as const satisfies readonly Flag[];

export const POOL_HELP = `usage: offerload pool --target URL --out FILE [--size N] [--seed N] [--generators N]

Fetches the target simulator's fixtures and writes the offer pool (JSON) that scenario bundles load into a
SharedArray through OFFERLOAD_POOL: for k6 started directly, as docker-compose's k6 service does, or for
runs split across N generators by k6 execution segments (equal segments): entry i belongs to generator
i mod N, and re-offers never cross generators, so generators never collide on a document by accident.

${flagsHelp(POOL_FLAGS)}`;

export async function poolCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('--help')) {
    io.out(POOL_HELP);
    return 0;
  }
  const { values: v } = flag.parseFlags('pool', argv, parserOptions(POOL_FLAGS));
  if (!v.target || !v.out) throw new UsageError('offerload pool needs --target URL and --out FILE');
  const target = flag.httpUrl('--target', v.target);
  const size = flag.positiveNumber('--size', flagValue(POOL_FLAGS, v, 'size')!, 'entries');
  const res = await fetch(new URL('/sim/fixtures', target)).catch((e: Error) => {
    throw new EnvironmentError(`target ${target.origin} is not reachable: ${e.message}`);
  });
  if (!res.ok) throw new EnvironmentError(`target ${target.origin} serves no /sim/fixtures (HTTP ${res.status})`);
  const partitions = flag.positiveNumber('--generators', flagValue(POOL_FLAGS, v, 'generators')!, 'generators');
  const pool = buildPool((await res.json()) as Fixtures, {
    ...DEFAULT_POOL_OPTIONS,
    partitions,
    size: Math.round(size),
    seed: flag.integer('--seed', flagValue(POOL_FLAGS, v, 'seed')!),
  });
  writeFileSync(v.out, poolFileText(pool));
  io.out(`${v.out}: ${pool.entries.length} entries`);
  return 0;
}
