/** What a command may touch of the outside: output lines, phase messages, the environment. */
export interface Io {
  out(line: string): void;
  /** progress of long work, on stderr so stdout stays clean for --json */
  phase(line: string): void;
  readonly env: NodeJS.ProcessEnv;
  readonly json: boolean;
}

export function processIo(json = false): Io {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    phase: (line) => process.stderr.write(`offerload: ${line}\n`),
    env: process.env,
    json,
  };
}
