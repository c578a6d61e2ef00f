/**
 * The reports a run leaves beside summary.json: report.html (charts, SLO verdicts), junit.xml (one test case
 * per SLO, for CI) and summary.md (for a pull request or a ticket).
 */
import { peakText, uslThroughput } from './usl-curve.js';
import { getProfile } from '../../shared/profiles.js';
import { outcomeClass, type Outcome } from '../../shared/outcome.js';
import { barChart, lineChart, type Series } from './charts.js';
import type {
  ArrivalsSection,
  ContactsSection,
  ForecastSection,
  RunSummary,
  RunWindows,
  SkewSection,
  WaitPoint,
} from './model.js';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (v: number): string => `${(v * 100).toFixed(2)}%`;

/** The offered rate of the profile at each second (what the run was asked to do). */
function offeredSeries(s: RunSummary): Series {
  const profile = getProfile(s.profile);
  const p = { rate: s.load.rate, durationSec: s.load.duration_s };
  const points: [number, number][] = [];
  let t = 0;
  let rate = profile.startRate(p);
  points.push([0, rate]);
  for (const seg of profile.segments(p)) {
    t += seg.seconds;
    rate = seg.rate;
    points.push([t, rate]);
  }
  return { name: 'offered (iterations/s)', points };
}

/**
 * Latency against what the target served, one point per plateau (coarse steps and refinement probes), with the
 * SLO, the saturation throughput and the fitted scalability curve (mean latency N/X(N) by Little's law).
 */
function capacityChart(c: NonNullable<RunSummary['capacity']>): string {
  const byPhase = (phase: 'coarse' | 'refine'): [number, number][] =>
    c.plateaus
      .filter((p) => p.latency_ms && p.phase === phase)
      .map((p) => [p.served_rps, p.latency_ms!.p95] as [number, number])
      .sort((a, b) => a[0] - b[0]);
  const points = byPhase('coarse');
  const probes = byPhase('refine');
  const means = c.plateaus
    .filter((p) => p.in_flight !== null && p.achieved_rps > 0)
    .map((p) => [p.served_rps, (1000 * p.in_flight!) / p.achieved_rps] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const top = Math.max(...points.map((p) => p[1]), ...probes.map((p) => p[1]), c.slo.p95_ms ?? 0);
  const series: Series[] = [{ name: 'p95 per plateau', points }];
  if (probes.length > 0) series.push({ name: 'p95 per refinement probe', points: probes });
  series.push({ name: 'mean per plateau', points: means });
  const usl = c.usl;
  if (usl) {
    // the fitted curve through the plateaus' range of requests in flight
    const most = Math.max(...c.plateaus.map((p) => p.in_flight ?? 0), 1);
    const curve: [number, number][] = [];
    for (let i = 1; i <= 40; i++) {
      const n = (most * i) / 40;
      const x = uslThroughput(usl, n);
      if (x > 0) curve.push([Math.round(x * 10) / 10, (1000 * n) / x]);
    }
    const peak = `, peak ${peakText(usl)}`;
    series.push({ name: `USL fit, mean${peak}`, points: curve.filter((p) => p[1] <= top * 1.2) });
  }
  if (c.slo.p95_ms !== undefined)
    series.push({
      name: `SLO p95 ${c.slo.p95_ms} ms`,
      points: [
        [0, c.slo.p95_ms],
        [c.saturation_rps * 1.1, c.slo.p95_ms],
      ],
    });
  series.push({
    name: `saturation ${c.saturation_rps}/s`,
    points: [
      [c.saturation_rps, 0],
      [c.saturation_rps, top],
    ],
  });
  const bracket = c.knee_bracket_rps ? ` in ${c.knee_bracket_rps[0]} to ${c.knee_bracket_rps[1]}/s` : '';
  return lineChart(
    `Latency against served throughput (knee ${c.knee_rps ?? 'none'}/s${bracket}, limited by ${c.limited_by})`,
    'ms',
    series,
    900,
    280,
    '/s',
  );
}

/** k6's CPU share and memory over the run (the CLI's /proc samples). */
export function generatorLine(g: NonNullable<RunSummary['generator']>): string {
  return `generator (k6): CPU at most ${Math.round(g.max_cpu_share * 100)}% of its cores (mean ${Math.round(g.mean_cpu_share * 100)}%), memory at most ${g.max_rss_mb} MiB, ${g.samples} one-second samples`;
}

/** How the run's iterations arrived, and what InfluxDB's points say of it. */
export function arrivalsLine(a: ArrivalsSection): string {
  const asked =
    a.mode === 'poisson'
      ? `poisson${a.dispersion !== 1 ? ` (dispersion ${a.dispersion} per ${a.interval_s} s)` : ''}`
      : 'even';
  const measured = a.measured
    ? `; index of dispersion ${a.measured.per_100ms ?? '?'} per 100 ms, ${a.measured.per_1s ?? '?'} per s (Poisson 1, even near 0)`
    : '';
  const late =
    a.late === null ? '' : `; ${a.late} late${a.lateness_p95_ms !== null ? ` (p95 ${a.lateness_p95_ms} ms)` : ''}`;
  return `arrivals: ${asked}, seed ${a.seed}${measured}${late}`;
}

/** The sweep's skew arms in a line: refusals per arm (the experiment, not a failure), the tolerated skew, the clock offset. */
export function skewLine(k: SkewSection): string {
  const arms = k.arms.map((a) => `${a.skew_ms} ms: ${a.refused} of ${a.offers} refused`).join(', ');
  const tolerated =
    k.largest_tolerated_ms === null ? 'none tolerated' : `largest tolerated ${k.largest_tolerated_ms} ms`;
  const offset = k.clock_offset
    ? `target clock ${k.clock_offset.offset_ms >= 0 ? '+' : ''}${k.clock_offset.offset_ms} ms against this machine's (${k.clock_offset.low_ms} to ${k.clock_offset.high_ms}, from ${k.clock_offset.samples} Date headers)`
    : 'target clock offset unknown (no usable Date headers)';
  return `skew arms (refusals provoked on purpose, outside the SLOs): ${arms}; ${tolerated}; ${offset}`;
}

/** A forecast replay in a line: the file, the intervals, forecast against offered in total. */
export function forecastLine(f: ForecastSection): string {
  const total = (pick: (i: ForecastSection['intervals'][number]) => number | null): number =>
    f.intervals.reduce((a, i) => a + (pick(i) ?? 0), 0);
  const offered = f.intervals.every((i) => i.offered !== null) ? `, ${total((i) => i.offered)} offered` : '';
  return `forecast: ${f.file} (${f.format}${f.queue === null ? '' : `, queue ${f.queue}`}${f.window === null ? '' : `, ${f.window}`}), scale ${f.scale}, speedup ${f.speedup}: ${f.intervals.length} interval(s), ${Math.round(total((i) => i.forecast))} contacts forecast, ${total((i) => i.planned)} planned${offered}`;
}

/** A contact centre's run in a line: the plan's service level beside Erlang C's, and what the contacts met. */
export function contactsLine(c: ContactsSection): string {
  const p = c.plan;
  const m = c.measured;
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const fates = Object.entries(m.contacts)
    .map(([fate, n]) => `${n} ${fate}`)
    .join(', ');
  const waits = [
    m.queue_wait_ms ? `queue wait p95 ${m.queue_wait_ms.p95} ms` : undefined,
    m.offer_to_accept_ms ? `offer to accept p95 ${m.offer_to_accept_ms.p95} ms` : undefined,
  ].filter((x) => x !== undefined);
  return `contacts: ${c.agents} agents x ${c.concurrency}, speedup ${c.speedup}; plan: ${p.contacts} contacts, ${p.abandoned} abandoned, service level ${pct(p.service_level)} within ${p.service_target_s} s (Erlang C ${pct(p.erlang_c_service_level)}, ${c.handle_times} handle times), occupancy ${pct(p.occupancy)}, ${p.peak_open_interactions} interactions open at peak, ${p.offers_per_contact} offers a contact; met: ${fates}${waits.length > 0 ? `; ${waits.join(', ')} (run time)` : ''}`;
}

/** Forecast against planned and offered contacts per interval (x: the interval's start in the run, seconds). */
function forecastChart(f: ForecastSection): string {
  const at = (pick: (i: ForecastSection['intervals'][number]) => number | null): [number, number][] =>
    f.intervals.flatMap((i, k) => {
      const y = pick(i);
      return y === null ? [] : [[Math.round(k * f.replay_s), y] as [number, number]];
    });
  const series: Series[] = [
    { name: 'forecast', points: at((i) => i.forecast) },
    { name: 'planned (the seeded draw)', points: at((i) => i.planned) },
  ];
  if (f.intervals.every((i) => i.offered !== null)) series.push({ name: 'offered', points: at((i) => i.offered) });
  return lineChart(
    `Contacts per forecast interval (${f.interval_s / 60} min, replayed in ${f.replay_s} s)`,
    'contacts',
    series,
  );
}

/**
 * A timeout sweep in the contact's terms: the expected wait to an accepted offer and the expiry share against the
 * timeout (the fitted model, the measured shares per tested timeout), the recommendation marked.
 */
function timeoutCharts(t: NonNullable<RunSummary['timeouts']>): string[] {
  const ew = t.advice;
  const measured: [number, number][] = Object.entries(t.by_timeout)
    .filter(([, r]) => r.expired_share !== null)
    .map(([timeout, r]) => [Number(timeout), r.expired_share!] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  if (!ew)
    return [
      lineChart(
        'Expiry share against the offer timeout (measured)',
        'share',
        [{ name: 'measured', points: measured }],
        900,
        260,
        's',
      ),
    ];
  const curve = (pick: (p: WaitPoint) => number): [number, number][] =>
    ew.curve.filter((p) => Number.isFinite(pick(p))).map((p) => [p.timeout_s, pick(p)] as [number, number]);
  return [
    lineChart(
      `Expected wait to an accepted offer against the offer timeout (least at ${ew.best.timeout_s} s)`,
      's',
      [
        {
          name: 'expected wait (model)',
          points: curve((p) => p.expected_wait_s).filter((p) => p[1] <= 4 * ew.best.expected_wait_s),
        },
        { name: `recommended ${ew.best.timeout_s} s`, points: [[ew.best.timeout_s, ew.best.expected_wait_s]] },
      ],
      900,
      260,
      's',
    ),
    lineChart(
      'Expiry share against the offer timeout',
      'share',
      [
        { name: 'model', points: curve((p) => p.expired_share) },
        { name: 'measured per tested timeout', points: measured },
        { name: `recommended ${ew.best.timeout_s} s`, points: [[ew.best.timeout_s, ew.best.expired_share]] },
      ],
      900,
      260,
      's',
    ),
  ];
}

/** What the run cost the instance: sessions created (and 202s), the rate-limit budget it used. */
function instanceCost(s: RunSummary): string[] {
  const lines: string[] = [];
  if (s.sessions) {
    const x = s.sessions;
    lines.push(
      `sessions (${x.mode}): ${x.created} created on the target, ${x.created_per_s}/s (${x.per_request} per request); ${x.session_busy_202} requests ignored with 202 (a session's max waiters)`,
    );
  }
  if (s.rate_limit) {
    const r = s.rate_limit;
    lines.push(
      `rate limit: tightest rule ${r.tightest_limit_per_hour}/h, at most ${r.remaining_at_most} left this hour; this run's rate uses ${r.used_per_hour_at_this_rate}/h${r.over_budget ? ' (OVER the budget)' : ''}`,
    );
  }
  if (s.generator) lines.push(generatorLine(s.generator));
  if (s.arrivals) lines.push(arrivalsLine(s.arrivals));
  if (s.forecast) lines.push(forecastLine(s.forecast));
  if (s.contacts) lines.push(contactsLine(s.contacts));
  if (s.timeouts?.skew) lines.push(skewLine(s.timeouts.skew));
  return lines;
}

export function reportHtml(s: RunSummary, w: RunWindows | undefined): string {
  const charts: string[] = [];
  if (w && w.windows.length > 0) {
    const ops = [...new Set(w.windows.map((x) => x.op))];
    const latency: Series[] = ops.flatMap((op) =>
      (['p50', 'p95', 'p99'] as const).map((q) => ({
        name: `${op} ${q}`,
        points: w.windows.filter((x) => x.op === op).map((x) => [x.t, x[q]] as [number, number]),
      })),
    );
    charts.push(
      lineChart('Latency percentiles over time, per operation (per window, over its raw responses)', 'ms', latency),
    );
    const achieved: Series[] = ops.map((op) => ({
      name: `${op} achieved (req/s)`,
      points: w.windows.filter((x) => x.op === op).map((x) => [x.t, x.requests / w.bucketSec] as [number, number]),
    }));
    charts.push(lineChart('Achieved vs offered rate', 'per second', [offeredSeries(s), ...achieved]));
  } else {
    charts.push('<p class="note">No time series: this run had no InfluxDB to read windows from.</p>');
  }
  if (s.capacity && s.capacity.plateaus.length > 0) charts.push(capacityChart(s.capacity));
  if (s.forecast) charts.push(forecastChart(s.forecast));
  if (s.timeouts) charts.push(...timeoutCharts(s.timeouts));
  const outcomes = Object.entries(s.operations).flatMap(([op, o]) =>
    Object.entries(o.outcomes).map(([outcome, n]) => ({
      name: `${op}: ${outcome}`,
      value: n,
      color: { success: '#2ca02c', conflict: '#ff7f0e' }[outcomeClass(outcome as Outcome) as string] ?? '#d62728',
    })),
  );
  charts.push(barChart('Outcomes and conflict reasons', outcomes));
  const slos = s.slos
    .map(
      (v) =>
        `<tr class="${v.pass ? 'pass' : 'fail'}"><td>${esc(v.op)}</td><td>${v.objective}</td><td>${v.threshold}</td><td>${Number(v.actual.toFixed(4))}${v.dropped_iterations ? ` (${v.dropped_iterations} dropped counted)` : ''}</td><td>${v.worst_window === null || v.worst_window === undefined ? '-' : Number(v.worst_window.toFixed(4))}</td><td>${v.pass ? 'pass' : 'FAIL'}</td></tr>`,
    )
    .join('');
  const ops = Object.entries(s.operations)
    .map(
      ([op, o]) =>
        `<tr><td>${esc(op)}</td><td>${o.requests}</td><td>${o.throughput_rps}</td><td>${o.latency_ms?.p50 ?? '-'}</td><td>${o.latency_ms?.p95 ?? '-'}</td><td>${o.latency_ms?.p99 ?? '-'}</td><td>${pct(o.conflict_rate)}</td><td>${pct(o.error_rate)}</td></tr>`,
    )
    .join('');
  const a = s.accounting;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>offerload ${esc(s.testid)}</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}tr.fail td{background:#fde2e2}tr.pass td:last-child{color:#2a7d2a}figure{margin:16px 0}figcaption{font-weight:600;margin-bottom:4px}.note{color:#666}</style></head><body>
<h1>offerload run ${esc(s.testid)}</h1>
<p>${esc(s.scenario)} / ${esc(s.profile)} at ${s.load.rate}/s for ${s.load.duration_s} s against ${esc(s.target.label)} (${esc(s.target.url)}), ${esc(s.started_at)} to ${esc(s.ended_at)}${s.stopped_early ? `; stopped early: ${esc(s.stopped_early.reason)}` : ''}.</p>
<h2>SLO verdicts</h2><table><tr><th>operation</th><th>objective</th><th>threshold</th><th>whole run</th><th>worst ${s.slos[0]?.window_s ?? 60} s window</th><th>verdict</th></tr>${slos}</table>
<h2>Operations</h2><table><tr><th>operation</th><th>requests</th><th>req/s</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>conflicts</th><th>errors</th></tr>${ops}</table>
<h2>Charts</h2>${charts.join('\n')}
<h2>What the run cost the instance</h2><p>${instanceCost(s).map(esc).join('<br>') || 'not measured'}</p>
<h2>Accounting</h2><p>sent ${a.sent}, received by target ${a.received_by_target ?? 'n/a'}, stored in InfluxDB ${a.stored_in_influx ?? 'n/a'}: ${a.balanced ? 'balanced' : 'not balanced'}${a.gaps.map((g) => `<br>gap: ${esc(g)}`).join('')}</p>
</body></html>
`;
}

const xml = (s: string): string => esc(s).replace(/'/g, '&apos;');

export function junitXml(s: RunSummary): string {
  const failures = s.slos.filter((v) => !v.pass).length;
  const cases = s.slos
    .map((v) => {
      const name = `${v.op} ${v.objective} <= ${v.threshold}`;
      const body = v.pass
        ? ''
        : `<failure message="${xml(`${v.op} ${v.objective} was ${v.actual}, over ${v.threshold}`)}"/>`;
      return `    <testcase classname="offerload.${xml(s.scenario)}" name="${xml(name)}">${body}</testcase>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="offerload ${xml(s.testid)}" tests="${s.slos.length}" failures="${failures}" errors="0" time="${s.duration_s}">\n${cases}\n  </testsuite>\n</testsuites>\n`;
}

export function summaryMarkdown(s: RunSummary): string {
  const failed = s.slos.filter((v) => !v.pass);
  const lines = [
    `### offerload ${s.scenario} / ${s.profile}: ${failed.length === 0 ? 'all SLOs met' : `${failed.length} SLO(s) missed`}`,
    '',
    `Run \`${s.testid}\` against ${s.target.label}, ${s.load.rate}/s for ${s.load.duration_s} s${s.stopped_early ? `, stopped early (${s.stopped_early.reason})` : ''}.`,
    '',
    '| operation | requests | req/s | p50 ms | p95 ms | p99 ms | conflicts | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...Object.entries(s.operations).map(
      ([op, o]) =>
        `| ${op} | ${o.requests} | ${o.throughput_rps} | ${o.latency_ms?.p50 ?? '-'} | ${o.latency_ms?.p95 ?? '-'} | ${o.latency_ms?.p99 ?? '-'} | ${pct(o.conflict_rate)} | ${pct(o.error_rate)} |`,
    ),
    '',
    ...(failed.length
      ? ['Missed:', ...failed.map((v) => `- ${v.op} ${v.objective}: ${v.actual} > ${v.threshold}`), '']
      : []),
    ...instanceCost(s).map((l) => `${l[0]!.toUpperCase()}${l.slice(1)}.`),
    '',
    `Accounting: sent ${s.accounting.sent}, received ${s.accounting.received_by_target ?? 'n/a'}, stored ${s.accounting.stored_in_influx ?? 'n/a'} (${s.accounting.balanced ? 'balanced' : 'not balanced'}).`,
    '',
  ];
  return lines.join('\n');
}
