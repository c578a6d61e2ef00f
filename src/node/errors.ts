/** Errors the CLI maps to exit codes: 2 for bad input, 3 for a missing or broken environment. */

/** Bad flag, config key or file: exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** k6, InfluxDB or the target missing or unreachable: exit code 3. */
export class EnvironmentError extends Error {
  readonly exitCode = 3;
}

/** The exit code an error stands for (1 for anything unexpected). */
export function exitCodeOf(error: unknown): number {
  return error instanceof UsageError || error instanceof EnvironmentError ? error.exitCode : 1;
}
