/** What a command may touch of the outside: output lines, phase messages, the environment. */
export interface Io {
  out(line: string): void;
  /** progress of long work, on stderr so stdout stays clean for --json */
  phase(line: string): void;
  readonly env: NodeJS.ProcessEnv;
  readonly json: boolean;
}

/** The process's own output and environment, or those given (a test running the CLI in-process). */
export function processIo(
  json = false,
  env: NodeJS.ProcessEnv = process.env,
  stdout: (text: string) => void = (text) => process.stdout.write(text),
  stderr: (text: string) => void = (text) => process.stderr.write(text),
): Io {
  return {
    out: (line) => stdout(`${line}\n`),
    phase: (line) => stderr(`offerload: ${line}\n`),
    env,
    json,
  };
}

/** A response body's JSON, or undefined when it is not JSON (an HTML error page, a cut-off body). */
export async function jsonOf(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
