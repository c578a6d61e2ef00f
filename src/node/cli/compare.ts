/** `offerload compare <baseline> <candidate>`: a noise-aware regression verdict between two runs. */
import { arrivalsNote, compareRuns, DEFAULT_COMPARE } from '../analysis/compare.js';
import { FORMATS } from '../analysis/format.js';
import { loadRun } from '../analysis/windows.js';
import { UsageError } from '../errors.js';
import { ANALYSIS_HELP, ANALYSIS_OPTIONS, analysisTargets, emit } from './analysis-flags.js';
import * as flag from './flags.js';
import type { Io } from '../io.js';

export const COMPARE_HELP = `usage: offerload compare <baseline> <candidate> [options]

Compares two runs (results folders, or testids in the results folder or in InfluxDB) operation by operation:
throughput, p50/p95/p99 latency, error and conflict rates, over windows paired by elapsed time. A change is
a regression only when it is significant (Wilcoxon signed-rank on the paired windows, one-sided, p < alpha)
and at least the minimum effect, so two runs of one build pass and a real slowdown fails.
Exit code: 0 no regression, 1 regression, 2 bad input, 3 environment problem.

options:
  --alpha P            significance level (default ${DEFAULT_COMPARE.alpha})
  --min-effect F       smallest relative change of latency or throughput that counts (default ${DEFAULT_COMPARE.minEffect})
  --min-rate-effect F  smallest absolute change of the error rate that counts (default ${DEFAULT_COMPARE.minRateEffect})
  --format F           table (default), markdown, json or junit
  --out FILE           write there instead of stdout
${ANALYSIS_HELP}

examples:
  offerload compare results/before-upgrade results/after-upgrade
  offerload compare before-upgrade after-upgrade --format junit --out compare.xml`;

export async function compareCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('--help')) {
    io.out(COMPARE_HELP);
    return 0;
  }
  const { values: v, positionals } = flag.parseFlags(
    'compare',
    argv,
    {
      ...ANALYSIS_OPTIONS,
      alpha: { type: 'string' },
      'min-effect': { type: 'string' },
      'min-rate-effect': { type: 'string' },
    },
    true,
  );
  if (positionals.length !== 2)
    throw new UsageError(`offerload compare takes two runs (baseline, candidate), got ${positionals.length}`);
  const format = flag.oneOf('--format', v.format ?? (io.json ? 'json' : 'table'), Object.keys(FORMATS));
  const options = {
    alpha: v.alpha === undefined ? DEFAULT_COMPARE.alpha : flag.share('--alpha', v.alpha),
    minEffect: v['min-effect'] === undefined ? DEFAULT_COMPARE.minEffect : flag.share('--min-effect', v['min-effect']),
    minRateEffect:
      v['min-rate-effect'] === undefined
        ? DEFAULT_COMPARE.minRateEffect
        : flag.share('--min-rate-effect', v['min-rate-effect']),
  };
  const { resultsDir, influx } = analysisTargets(v, io);
  const [base, cand] = await Promise.all(positionals.map((ref) => loadRun(ref, resultsDir, influx)));
  for (const [ref, run] of [
    [positionals[0]!, base!],
    [positionals[1]!, cand!],
  ] as const) {
    if (!run.windows)
      throw new UsageError(`invalid run "${ref}": it has no windows (it ran without InfluxDB) and cannot be compared`);
  }
  let comparison: ReturnType<typeof compareRuns>;
  try {
    const note = arrivalsNote(base!.summary, cand!.summary);
    comparison = { ...compareRuns(base!.windows!, cand!.windows!, options), ...(note ? { notes: [note] } : {}) };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  emit(io, FORMATS[format]!(comparison), v.out);
  return comparison.regression ? 1 : 0;
}
