/**
 * A run's results folder, named once: what it holds, and where a capacity run keeps its refinement probes
 * (runs of their own, with their own testid, records and k6 data). The run, cleanup, list and analysis read
 * these names from here.
 */
import path from 'node:path';

/** Where runs' results folders are, without --out or --results. */
export const DEFAULT_RESULTS_DIR = 'results';

/** The run's summary, what every command reads back. */
export const SUMMARY_FILE = 'summary.json';
/** The run's report for people. */
export const REPORT_FILE = 'report.html';
/** The folder under a run's results with one folder per refinement probe, named by its testid. */
export const PROBES_DIR = 'refine';

/** The testid of a capacity run's `n`th refinement probe (1-based). */
export const probeTestid = (testid: string, n: number): string => `${testid}-refine-${n}`;

/** The results folder of a probe `probe` (its testid) of the run whose results are in `runDir`. */
export const probeFolder = (runDir: string, probe: string): string => path.join(runDir, PROBES_DIR, probe);
