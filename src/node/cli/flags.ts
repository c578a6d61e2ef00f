/**
 * The CLI's flag parsing (node:util parseArgs, strict, one-line errors). The value readers live in
 * ../values.ts, shared with the layers below the CLI that check a plan; they are re-exported here.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';

export * from '../values.js';

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

/**
 * node:util parseArgs, strict, with one difference: a string option always takes the next word as its
 * value, even one starting with a dash (`--rate -3` is a bad rate, not an "ambiguous argument"), so the
 * value reaches its reader and gets the usual message. Errors are one-line UsageErrors.
 */
export function parseFlags<T extends OptionSpec>(
  command: string,
  argv: readonly string[],
  options: T,
  positionals = false,
) {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && i + 1 < argv.length)
      joined.push(`${arg}=${argv[++i]}`);
    else joined.push(arg);
  }
  try {
    return parseArgs({ args: joined, options, strict: true, allowPositionals: positionals });
  } catch (e) {
    const message = (e as Error).message.split('\n')[0]!.replace(/\. To specify.*$/, '');
    throw new UsageError(`${message} (see 'offerload ${command} --help')`);
  }
}

/** Splits argv into the words of `options` (with their values) and the rest, for a command that adds flags to another's. */
export function takeFlags(argv: readonly string[], options: OptionSpec): { own: string[]; rest: string[] } {
  const own: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.startsWith('--') ? arg.slice(2).split('=')[0]! : undefined;
    const spec = name === undefined ? undefined : options[name];
    if (!spec) rest.push(arg);
    else if (spec.type === 'string' && !arg.includes('=') && i + 1 < argv.length) own.push(arg, argv[++i]!);
    else own.push(arg);
  }
  return { own, rest };
}
