/**
 * The analysis commands that read one run: capacity (the knee), drift (slopes and steps in a soak) and
 * timeouts (the offer timeout to use). Each reads the run's results folder (or testid), prints a table or
 * JSON, and exits 1 when its verdict is a failure (drift found), 0 otherwise.
 */
import type { Plateau } from '../results/model.js';
import { peakText } from '../results/usl-curve.js';
import { analyseDrift, DEFAULT_DRIFT } from '../analysis/drift.js';
import { DEFAULT_TARGET_EXPIRY, MIN_ANSWERED_FOR_MODEL, recommendTimeout } from '../analysis/timeouts.js';
import { skewLine } from '../results/reports.js';
import { loadRun } from '../analysis/windows.js';
import { UsageError } from '../errors.js';
import { ANALYSIS_HELP, ANALYSIS_OPTIONS, analysisTargets, emit } from './analysis-flags.js';
import * as flag from './flags.js';
import type { Io } from '../io.js';

interface Analysis {
  readonly summary: string;
  readonly help: string;
  readonly extra: Record<string, { type: 'string' }>;
  readonly run: (
    ref: string,
    v: Record<string, string | undefined>,
    io: Io,
  ) => Promise<{ text: string; json: unknown; code: number }>;
}

const fmtPct = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);

async function load(ref: string, v: Record<string, string | undefined>, io: Io) {
  const { resultsDir, influx } = analysisTargets(v, io);
  return loadRun(ref, resultsDir, influx);
}

export const ANALYSES: Readonly<Record<string, Analysis>> = {
  capacity: {
    summary: 'the highest rate a capacity run kept up with, with the evidence per plateau',
    help: `usage: offerload capacity <run> [options]

From a capacity run: per plateau and refinement probe the offered, achieved and served rate, requests in
flight, p50/p95/p99, the latency climb through the plateau, the share shed (429s, 5xx, timeouts), dropped
iterations, whether it met (SLOs held, latency not climbing, at most 2% shed) and whether the generator kept
up; then the knee (the highest offered rate met below the lowest that missed) with its bracket, what limited
it (the target or the generator), the saturation throughput and the fitted scalability curve (USL) with its
predicted peak and 90% interval.

examples:
  offerload capacity results/capacity-20261130-214813-ba3c
  offerload capacity capacity-20261130-214813-ba3c --format json`,
    extra: {},
    run: async (ref, v, io) => {
      const { summary } = await load(ref, v, io);
      const c = summary?.capacity;
      if (!c)
        throw new UsageError(`invalid run "${ref}": it is not a capacity run (no capacity section in its summary)`);
      const cols: readonly [string, number, (p: Plateau) => string | number][] = [
        ['phase', 6, (p) => p.phase ?? 'coarse'],
        ['offered', 8, (p) => p.offered_rps],
        ['achieved', 9, (p) => p.achieved_rps],
        ['served', 7, (p) => p.served_rps],
        ['in flight', 9, (p) => p.in_flight ?? '-'],
        ['p50 ms', 8, (p) => p.latency_ms?.p50 ?? '-'],
        ['p95 ms', 8, (p) => p.latency_ms?.p95 ?? '-'],
        ['p99 ms', 8, (p) => p.latency_ms?.p99 ?? '-'],
        // runs from before these columns lack them
        ['climb ms', 8, (p) => p.latency_climb_ms ?? '-'],
        ['shed %', 6, (p) => (p.shed_share === undefined ? '-' : (p.shed_share * 100).toFixed(1))],
        ['429', 6, (p) => p.rate_limited],
        ['5xx', 6, (p) => p.server_errors],
        ['dropped', 8, (p) => p.dropped_iterations],
        ['k6 cpu', 6, (p) => (p.generator_cpu_share == null ? '-' : `${Math.round(p.generator_cpu_share * 100)}%`)],
        ['mix Δ', 6, (p) => p.mix_shift_points],
      ];
      const verdictOf = (p: Plateau): string =>
        `${p.meets_slo ? 'meets' : 'misses'}${p.stopped_here ? ', stopped here' : ''}${p.generator_limited ? ', generator limited' : ''}${p.mix_differs ? ', MIX DIFFERS' : ''}`;
      const header = cols.map(([name, w]) => name.padStart(w)).join(' ');
      const rows = [...c.plateaus]
        .sort((a, b) => a.offered_rps - b.offered_rps)
        .map((p) => `${cols.map(([, w, f]) => String(f(p)).padStart(w)).join(' ')}  ${verdictOf(p)}`);
      const bracket = c.knee_bracket_rps
        ? ` in [${c.knee_bracket_rps[0]}, ${c.knee_bracket_rps[1]}) offers/s, within ${((c.knee_precision ?? 0) * 100).toFixed(1)}%`
        : '';
      const usl = c.usl;
      const fit = usl
        ? `scalability fit (USL on ${usl.points} plateaus, r² ${usl.r2}): λ ${usl.lambda}/s, σ ${usl.sigma}, κ ${usl.kappa}; predicted peak ${peakText(usl)}`
        : 'scalability fit: too few plateaus with traffic';
      const text = [
        header,
        ...rows,
        '',
        `knee: ${c.knee_rps ?? 'none'} offers/s${bracket}; limited by ${c.limited_by}; saturation: ${c.saturation_rps} served/s (successes and conflicts)`,
        `refinement: ${c.refinement.probes} probe(s): ${c.refinement.note}`,
        fit,
      ].join('\n');
      return { text, json: c, code: 0 };
    },
  },
  drift: {
    summary: 'flag a soak whose latency, errors or conflicts drift (slope or step)',
    help: `usage: offerload drift <run> [options]

For each operation, the windowed p95, error rate and conflict rate of the run: a sustained slope
(Mann-Kendall trend, p < alpha, with a Theil-Sen change over the run beyond the threshold) or a step change
(the best split, twice the threshold) flags drift, even when the whole-run SLOs pass. Exit 1 when drifting.

  --threshold F        relative change of p95 over the run that counts (default ${DEFAULT_DRIFT.latencyThreshold})
  --rate-threshold F   absolute change of a rate that counts (default ${DEFAULT_DRIFT.rateThreshold})
  --alpha P            trend significance level (default ${DEFAULT_DRIFT.alpha})

examples:
  offerload drift results/soak-20261130-220000-ab12
  offerload drift soak-nightly --threshold 0.1 --format json --out drift.json`,
    extra: { threshold: { type: 'string' }, 'rate-threshold': { type: 'string' }, alpha: { type: 'string' } },
    run: async (ref, v, io) => {
      const options = {
        latencyThreshold:
          v.threshold === undefined
            ? DEFAULT_DRIFT.latencyThreshold
            : flag.positiveNumber('--threshold', v.threshold, 'shares'),
        rateThreshold:
          v['rate-threshold'] === undefined
            ? DEFAULT_DRIFT.rateThreshold
            : flag.share('--rate-threshold', v['rate-threshold']),
        alpha: v.alpha === undefined ? DEFAULT_DRIFT.alpha : flag.share('--alpha', v.alpha),
      };
      const { windows } = await load(ref, v, io);
      if (!windows) throw new UsageError(`invalid run "${ref}": it has no windows (it ran without InfluxDB)`);
      const result = analyseDrift(windows, options);
      const show = (metric: string, x: number): string =>
        metric === 'p95' ? `${(x * 100).toFixed(1)}%` : `${(x * 100).toFixed(2)} pt`;
      const rows = result.findings.map(
        (f) =>
          `${f.op.padEnd(24)} ${f.metric.padEnd(13)} ${f.start.toFixed(3).padStart(9)} ${f.end.toFixed(3).padStart(9)} ${show(f.metric, f.slope_change).padStart(10)} ${f.trend_p.toFixed(4).padStart(8)} ${show(f.metric, f.step_change).padStart(10)}  ${f.verdict}`,
      );
      const header = `${'operation'.padEnd(24)} ${'metric'.padEnd(13)} ${'start'.padStart(9)} ${'end'.padStart(9)} ${'slope'.padStart(10)} ${'trend p'.padStart(8)} ${'step'.padStart(10)}  verdict`;
      return {
        text: [
          header,
          ...rows,
          '',
          result.drifting ? 'DRIFT: see the rows above' : 'steady: no slope or step beyond the thresholds',
        ].join('\n'),
        json: result,
        code: result.drifting ? 1 : 0,
      };
    },
  },
  timeouts: {
    summary: 'recommend an offer timeout from a timeout sweep',
    help: `usage: offerload timeouts <run> [--target-expiry F] [options]

From a timeout-sweep run: per timeout the share of offers accepted, rejected, expired and refused (the skew
arms' provoked refusals apart), time-to-accept percentiles, and two answers. The expiry rule: the shortest
tested timeout whose expiry share is at most the target, with Wilson's 95% interval, and how many answered
offers a +/-2 point reading needs when the data cannot tell. The contact's terms: the timeout with the least
expected time to an accepted offer, counting re-offers after rejections and expiries (accept delays log-normal,
fitted at the longest timeout with the share never answered), what a second either way costs, the best timeout
within the expiry target, and the whole curve with --format json. Then the skew arms and the target's clock
offset.

  --target-expiry F    the expiry share you accept (default ${DEFAULT_TARGET_EXPIRY})

examples:
  offerload timeouts results/timeout-sweep-20261130-214743-c209
  offerload timeouts timeout-sweep-20261130-214743-c209 --target-expiry 0.02`,
    extra: { 'target-expiry': { type: 'string' } },
    run: async (ref, v, io) => {
      const target =
        v['target-expiry'] === undefined ? DEFAULT_TARGET_EXPIRY : flag.share('--target-expiry', v['target-expiry']);
      const { summary } = await load(ref, v, io);
      const t = summary?.timeouts;
      if (!t)
        throw new UsageError(
          `invalid run "${ref}": it is not a timeout-sweep run (no timeouts section in its summary)`,
        );
      const rec = recommendTimeout(t.by_timeout, target);
      const rows = Object.entries(t.by_timeout).map(([timeout, r]) => {
        const tta = r.time_to_accept_ms;
        const f = r.fates;
        return `${timeout.padStart(8)} ${String(f.accepted ?? 0).padStart(9)} ${String(f.rejected ?? 0).padStart(9)} ${String(f.expired ?? 0).padStart(8)} ${String(f.refused ?? 0).padStart(8)} ${String(f.skew_refused ?? 0).padStart(9)} ${fmtPct(r.expired_share).padStart(9)} ${String(tta?.p50 ?? '-').padStart(9)} ${String(tta?.p95 ?? '-').padStart(9)}`;
      });
      const header = `${'timeout'.padStart(8)} ${'accepted'.padStart(9)} ${'rejected'.padStart(9)} ${'expired'.padStart(8)} ${'refused'.padStart(8)} ${'skew ref'.padStart(9)} ${'expired%'.padStart(9)} ${'tta p50'.padStart(9)} ${'tta p95'.padStart(9)}`;
      const lines = [
        header,
        ...rows,
        '',
        `recommended: ${rec.recommended_s === null ? 'none of the tested' : `${rec.recommended_s} s`} (${rec.note})`,
      ];
      if (rec.estimated_s !== null)
        lines.push(`estimated from the accept-time distribution: about ${rec.estimated_s} s`);
      const ew = rec.expected_wait;
      if (ew) {
        const m = ew.model;
        const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
        lines.push(
          `in the contact's terms (accept delays log-normal, median ${m.accept_median_s} s, sigma ${m.accept_sigma}; ${pct(m.no_answer_share)} never answered, 95% ${pct(m.no_answer_interval[0])} to ${pct(m.no_answer_interval[1])}; ${pct(m.rejected_share)} rejected; from ${m.answered} answered offers at ${m.from_timeout_s} s):`,
          `  least expected wait to an accepted offer: timeout ${ew.best.timeout_s} s (${ew.best_interval_s[0]} to ${ew.best_interval_s[1]} s over the no-answer interval), ${ew.best.expected_wait_s} s expected, ${pct(ew.best.expired_share)} of offers expiring; one second less costs ${ew.best.one_less_costs_s ?? '-'} s, one more ${ew.best.one_more_costs_s ?? '-'} s`,
          ew.within_target
            ? `  with expiries at most ${pct(rec.target_expiry_share)}: timeout ${ew.within_target.timeout_s} s, ${ew.within_target.expected_wait_s} s expected`
            : `  no timeout keeps expiries at or under ${pct(rec.target_expiry_share)}: ${pct(m.no_answer_share)} of offers are never answered`,
          `  expected wait at 10 s: ${ew.at['10']} s; at 30 s: ${ew.at['30']} s`,
        );
      } else
        lines.push(
          `in the contact's terms: too few answered offers at the longest timeout to fit the accept model (at least ${MIN_ANSWERED_FOR_MODEL}, with accepts)`,
        );
      if (t.skew) lines.push(skewLine(t.skew));
      return { text: lines.join('\n'), json: rec, code: 0 };
    },
  },
};

/** Runs one analysis command by name. */
export async function analysisCommand(name: string, argv: readonly string[], io: Io): Promise<number> {
  const a = ANALYSES[name]!;
  if (argv.includes('--help')) {
    io.out(
      `${a.help}\n${ANALYSIS_HELP}\n  --format F           table (default) or json\n  --out FILE           write there instead of stdout`,
    );
    return 0;
  }
  const { values, positionals } = flag.parseFlags(name, argv, { ...ANALYSIS_OPTIONS, ...a.extra }, true);
  if (positionals.length !== 1)
    throw new UsageError(`offerload ${name} takes one run (results folder or testid), got ${positionals.length}`);
  const v = values as Record<string, string | undefined>;
  const format = flag.oneOf('--format', v.format ?? (io.json ? 'json' : 'table'), ['table', 'json']);
  const result = await a.run(positionals[0]!, v, io);
  emit(io, format === 'json' ? JSON.stringify(result.json, null, 2) : result.text, v.out);
  return result.code;
}
