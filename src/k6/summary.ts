/** End-of-test data for the CLI: k6's own summary data, written as JSON where the CLI asked. */

/** The handleSummary result: the raw data to `path`, nothing on stdout (the CLI prints its own summary). */
export function summaryFiles(data: unknown, path: string): Record<string, string> {
  return { [path]: JSON.stringify(data) };
}
