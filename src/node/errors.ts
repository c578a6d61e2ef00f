/** Errors the CLI maps to exit codes: 2 for bad input, 3 for a missing or broken environment. */

/** Bad flag, config key or file: exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/**
 * Bad input found below the CLI (a file's content, an environment variable, a value): it names the input
 * itself, never a flag, and exits 2. The CLI, which knows which flag supplied the input, words it with
 * `viaFlag` instead of rewriting the message.
 */
export class InputError extends UsageError {
  constructor(
    /** what is wrong: a file path, a variable name, "fixtures" */
    readonly subject: string,
    /** how, as a phrase: "is not a readable JSON file (...)" */
    readonly problem: string,
  ) {
    super(`invalid ${subject}: ${problem}`);
  }

  /** The same error naming the flag that supplied the input: `invalid --sim-config: <file> <problem>`. */
  viaFlag(flag: string): UsageError {
    return new UsageError(`invalid ${flag}: ${this.subject} ${this.problem}`);
  }
}

/** Rewords an InputError about `subject` with its flag; any other error passes unchanged. */
export function withFlag<T>(flag: string, subject: string | undefined, work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof InputError && subject !== undefined && e.subject === subject) throw e.viaFlag(flag);
    throw e;
  }
}

/** k6, InfluxDB or the target missing or unreachable: exit code 3. */
export class EnvironmentError extends Error {
  readonly exitCode = 3;
}

/** The exit code an error stands for (1 for anything unexpected). */
export function exitCodeOf(error: unknown): number {
  return error instanceof UsageError || error instanceof EnvironmentError ? error.exitCode : 1;
}
