/** The human end-of-run summary: throughput, p50/p95/p99 per operation, conflicts by reason, where the data is. */
import { peakText } from './usl-curve.js';
import { styleText } from 'node:util';
import type { RunSummary } from './model.js';
import { arrivalsLine, contactsLine, forecastLine, generatorLine, skewLine } from './reports.js';

/** Colour only for a terminal, and never with NO_COLOR. */
const colour = (style: 'green' | 'red' | 'yellow', text: string): string =>
  process.stdout.isTTY && !process.env.NO_COLOR ? styleText(style, text) : text;

const pct = (share: number): string => `${(share * 100).toFixed(2)}%`;
const ms = (n: number | undefined): string => (n === undefined ? '-' : `${n.toFixed(1)} ms`);

export function formatSummary(s: RunSummary, resultsDir: string): string {
  const lines: string[] = [];
  lines.push(
    `run ${s.testid}: ${s.scenario} / ${s.profile} against ${s.target.label} (${s.target.url}), ${s.duration_s.toFixed(1)} s`,
  );
  for (const [op, o] of Object.entries(s.operations)) {
    const l = o.latency_ms;
    lines.push(
      `  ${op.padEnd(24)} ${String(o.requests).padStart(7)} requests  ${o.throughput_rps.toFixed(1).padStart(7)}/s` +
        `  p50 ${ms(l?.p50)}  p95 ${ms(l?.p95)}  p99 ${ms(l?.p99)}  conflicts ${pct(o.conflict_rate)}  errors ${pct(o.error_rate)}`,
    );
    for (const [reason, share] of Object.entries(o.conflict_rate_by_reason).sort((a, b) => b[1] - a[1])) {
      lines.push(`      conflict ${reason.padEnd(28)} ${pct(share)} (${o.outcomes[reason]})`);
    }
  }
  const sessions = s.sessions;
  if (sessions) {
    lines.push(
      `  sessions (${sessions.mode}): ${sessions.created} created on the target (${sessions.created_per_s}/s), ${sessions.session_busy_202} requests ignored with 202 (max waiters)`,
    );
  }
  if (s.rate_limit_plan?.over_budget) {
    const p = s.rate_limit_plan;
    lines.push(
      colour(
        'yellow',
        `  rate limit: the plan sent about ${p.planned_per_hour} requests in its hour, over rule ${p.rule}'s ${p.limit_per_hour}/h (checked before the load)`,
      ),
    );
  }
  const rate = s.rate_limit;
  if (rate) {
    const line = `  rate limit: tightest rule ${rate.tightest_limit_per_hour}/h, at most ${rate.remaining_at_most} left this hour; this run's rate uses ${rate.used_per_hour_at_this_rate}/h`;
    lines.push(rate.over_budget ? colour('yellow', `${line}: OVER the rule's budget`) : line);
  }
  if (s.arrivals) lines.push(`  ${arrivalsLine(s.arrivals)}`);
  if (s.forecast) lines.push(`  ${forecastLine(s.forecast)}`);
  if (s.contacts) lines.push(`  ${contactsLine(s.contacts)}`);
  if (s.generator) lines.push(`  ${generatorLine(s.generator)}`);
  if (s.dropped_iterations > 0)
    lines.push(`  dropped iterations: ${s.dropped_iterations} (the generator could not keep the arrival rate)`);
  const a = s.accounting;
  const show = (n: number | null): string => (n === null ? 'n/a' : String(n));
  lines.push(
    `  accounting: sent ${a.sent}, received by target ${show(a.received_by_target)}, stored in InfluxDB ${show(a.stored_in_influx)}` +
      (a.balanced ? colour('green', ' (balanced)') : colour('red', ' (MISMATCH)')),
  );
  for (const gap of a.gaps) lines.push(`    gap: ${gap}`);
  if (s.stopped_early) lines.push(colour('yellow', `  stopped early: ${s.stopped_early.reason}`));
  const failed = s.slos.filter((v) => !v.pass);
  lines.push(
    failed.length === 0
      ? colour('green', `  SLOs: all ${s.slos.length} met`)
      : colour(
          'red',
          `  SLOs: ${failed.length} of ${s.slos.length} missed: ${failed.map((v) => `${v.op} ${v.objective} ${v.actual} > ${v.threshold}`).join('; ')}`,
        ),
  );
  const capacity = s.capacity;
  if (capacity) {
    const bracket = capacity.knee_bracket_rps
      ? ` (bracket ${capacity.knee_bracket_rps[0]} to ${capacity.knee_bracket_rps[1]}/s, within ${((capacity.knee_precision ?? 0) * 100).toFixed(1)}%)`
      : '';
    lines.push(
      `  capacity: knee at ${capacity.knee_rps ?? 'none'} /s${bracket}, limited by ${capacity.limited_by}; saturation ${capacity.saturation_rps} served/s`,
    );
    lines.push(`  capacity: refinement ${capacity.refinement.probes} probe(s): ${capacity.refinement.note}`);
    const usl = capacity.usl;
    if (usl)
      lines.push(
        `  capacity: scalability fit (USL, ${usl.points} plateaus, r² ${usl.r2}) predicts a peak of ${peakText(usl)}`,
      );
  }
  const timeouts = s.timeouts;
  if (timeouts)
    lines.push(
      `  expired share by timeout: ${Object.entries(timeouts.by_timeout)
        .map(([t, v]) => `${t}s ${v.expired_share === null ? '-' : pct(v.expired_share)}`)
        .join(', ')}`,
    );
  if (timeouts?.skew) lines.push(`  ${skewLine(timeouts.skew)}`);
  const contention = s.contention;
  if (contention)
    lines.push(
      `  races by winners: ${JSON.stringify(contention.races_by_winners)}; target invariants ${contention.invariants ? (contention.invariants.ok ? 'hold' : 'BROKEN') : 'not available'}`,
    );
  lines.push(`  results: ${resultsDir}`);
  if (s.influx) {
    // curl reaches every InfluxDB kind and path prefix (no influx CLI is installed); credentials by variable name,
    // never their values, and only where the server is not the local one
    const local = new URL(s.influx.url).pathname.length <= 1 && s.influx.url.startsWith('http://127.0.0.1:');
    lines.push(
      `  InfluxDB: ${s.influx.url} database ${s.influx.database}, e.g.` +
        ` curl -G '${s.influx.url}/query'${local ? '' : ' -u "$OFFERLOAD_INFLUX_USERNAME:$OFFERLOAD_INFLUX_PASSWORD"'} --data-urlencode db=${s.influx.database}` +
        ` --data-urlencode "q=SELECT count(value) FROM http_reqs WHERE testid='${s.testid}' GROUP BY \\"name\\""`,
    );
  }
  return lines.join('\n');
}
