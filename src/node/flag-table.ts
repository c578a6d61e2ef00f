/**
 * A command's flags as one table (the shape of the simulator's SETTINGS): each row gives the parser its
 * option, writes its line of the help with its default, and holds the default the command reads when the flag
 * is absent, so a default is written once. `run`, `operator`, `cleanup`, `doctor`, `pool`, `influx setup` and
 * the analysis commands each keep their table beside their command.
 */

export interface Flag {
  readonly name: string;
  readonly type: 'string' | 'boolean';
  /** the value's placeholder in the help */
  readonly arg?: string;
  readonly multiple?: boolean;
  readonly help: string;
  /** the value the command takes without the flag, read as if it were given (flagValue) */
  readonly default?: string;
  /** a default worked out from other inputs, in words for the help */
  readonly defaultText?: string;
}

/** node:util parseArgs options of a table, typed from it: `values.<name>` is a string, a boolean or a list. */
export type OptionsOf<T extends readonly Flag[]> = {
  [F in T[number] as F['name']]: { type: F['type']; multiple: F['multiple'] extends true ? true : false };
};

/** The parser's options, from the table. */
export function parserOptions<const T extends readonly Flag[]>(table: T): OptionsOf<T> {
  return Object.fromEntries(
    table.map((f) => [f.name, { type: f.type, multiple: f.multiple === true }]),
  ) as OptionsOf<T>;
}

/** What a parser hands back: strings, booleans, and lists for repeatable flags. */
export type FlagValues = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

/** A flag's value: the one given, else its row's default (undefined for a flag without a fixed default). */
export function flagValue(table: readonly Flag[], values: FlagValues, name: string): string | undefined {
  const given = values[name];
  if (typeof given === 'string') return given;
  const row = table.find((f) => f.name === name);
  if (!row) throw new Error(`no flag --${name} in this command's table`);
  return row.default;
}

const WIDTH = 110;

/** One flag's help: the flag and its placeholder in a column, the text wrapped beside it, then its default. */
function helpLines(f: Flag, indent: number): string[] {
  const head = `  --${f.name}${f.arg ? ` ${f.arg}` : ''}`;
  const stated = f.default ?? f.defaultText;
  const words = `${f.help}${stated === undefined ? '' : ` (default: ${stated})`}`.split(' ');
  const lines: string[] = [];
  let line = head.length >= indent - 1 ? `${head} ` : head.padEnd(indent);
  for (const word of words) {
    if (line.length + word.length > WIDTH && line.trim() !== head.trim()) {
      lines.push(line.trimEnd());
      line = ' '.repeat(indent);
    }
    line += `${word} `;
  }
  lines.push(line.trimEnd());
  return lines;
}

/** The help lines of every flag in the table. */
export function flagsHelp(table: readonly Flag[], indent = 23): string {
  return table.flatMap((f) => helpLines(f, indent)).join('\n');
}
