/**
 * The result model: every shape a run produces and the commands read back (summary.json and its sections,
 * windows, plateaus). The run writes these; print, reports, analyse and compare read them; nothing casts
 * `unknown` to a shape of its own.
 */
import type { Slo } from '../../shared/scenarios.js';
import type { SessionMode } from '../../shared/sessions.js';
import type { Sweep, Fate } from '../../shared/sweep.js';

export interface LatencyMs {
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface OperationSummary {
  readonly requests: number;
  /** requests per second over the run's duration */
  readonly throughput_rps: number;
  readonly latency_ms: LatencyMs | null;
  /** outcome -> count, outcomes that occurred only */
  readonly outcomes: Record<string, number>;
  /** share of responses that were 409 conflicts */
  readonly conflict_rate: number;
  /** conflict reason -> share of all responses */
  readonly conflict_rate_by_reason: Record<string, number>;
  /** share of responses that were neither success nor conflict */
  readonly error_rate: number;
}

export interface Accounting {
  /** requests k6 sent */
  readonly sent: number;
  /** what the simulator counted for this run; null for a remote target */
  readonly received_by_target: number | null;
  /** requests InfluxDB holds for this testid; null with --no-influx */
  readonly stored_in_influx: number | null;
  /** true when every known count equals `sent` */
  readonly balanced: boolean;
  /** why the counts differ, when they may: the gaps that were measured and named */
  readonly gaps: string[];
  /** the same three counts per operation; null where a count is not known */
  readonly by_operation?: Record<
    string,
    { sent: number; received_by_target: number | null; stored_in_influx: number | null; balanced: boolean }
  >;
}

export interface RunSummary {
  readonly testid: string;
  readonly scenario: string;
  readonly profile: string;
  readonly target: { readonly label: string; readonly url: string; readonly embedded_simulator: boolean };
  readonly load: { readonly rate: number; readonly duration_s: number; readonly expected_iterations: number };
  readonly started_at: string;
  readonly ended_at: string;
  readonly duration_s: number;
  readonly k6_exit_code: number;
  /** interrupted by SIGINT/SIGTERM: what was measured until then */
  readonly partial?: { readonly signal: string } | null;
  /** the watchdog stopped the run (storm, or capacity SLOs broken for a sustained window) */
  readonly stopped_early: { readonly reason: string } | null;
  readonly dropped_iterations: number;
  readonly operations: Record<string, OperationSummary>;
  readonly slos: readonly SloVerdict[];
  readonly accounting: Accounting;
  readonly influx: { readonly url: string; readonly database: string } | null;
  readonly tls_verification: string;
  readonly tags: Readonly<Record<string, string>>;
  /** scenario sections: only the scenarios that have them */
  readonly capacity?: CapacitySection;
  readonly timeouts?: TimeoutsSection;
  readonly contention?: ContentionSection;
  /** how iterations arrived: every run */
  readonly arrivals?: ArrivalsSection;
  readonly forecast?: ForecastSection;
  /** a contact centre's run (contact-centre): the plan's figures beside what the contacts met */
  readonly contacts?: ContactsSection;
  /** what the run cost the instance: every run */
  readonly sessions?: SessionsSection;
  readonly rate_limit?: RateLimitSection | null;
  /** the rule probed before any load, against the plan (null: the target sent no rule) */
  readonly rate_limit_plan?: RateLimitPlan | null;
  /** k6's own CPU and memory over the run, from the CLI's /proc samples in InfluxDB; null without InfluxDB or samples */
  readonly generator?: GeneratorHealth | null;
}

/** The load generator's health over a run or a window (run/generator-health.ts). */
export interface GeneratorHealth {
  /** the highest one-second CPU share of all the generator's cores (0-1) */
  readonly max_cpu_share: number;
  readonly mean_cpu_share: number;
  readonly max_rss_mb: number;
  readonly samples: number;
}

/** One objective of one operation, judged on the whole run, with its worst window beside it. */
export interface SloVerdict {
  readonly op: string;
  readonly objective: 'p95_ms' | 'p99_ms' | 'error_rate' | 'conflict_rate';
  readonly threshold: number;
  /** the whole-run figure (an error rate counts the iterations the generator dropped as failures) */
  readonly actual: number;
  readonly pass: boolean;
  /** the same figure in the run's worst window of `window_s` (null without InfluxDB or a window with enough answers) */
  readonly worst_window: number | null;
  readonly window_s: number;
  /** dropped iterations counted in this error rate (the scenario's main operation only) */
  readonly dropped_iterations?: number;
}

/** One plateau of a capacity run. */
export interface Plateau {
  readonly offered_rps: number;
  /** coarse: one of the planned steps; refine: a probe between the last step that met the SLOs and the first that missed */
  readonly phase: 'coarse' | 'refine';
  /** a probe's own run (its points and accounting); absent for the coarse steps */
  readonly testid?: string;
  readonly achieved_rps: number;
  /** answers per second the target decided (successes and conflicts): what it served */
  readonly served_rps: number;
  /** requests in flight: achieved rate × mean latency (Little's law); null without latency */
  readonly in_flight: number | null;
  readonly latency_ms: LatencyMs | null;
  readonly outcomes: Record<string, number>;
  /** each outcome's share of the answers the request decided (429s, 5xx and timeouts left out) */
  readonly mix: Record<string, number>;
  /** the largest move of an outcome's share from the first plateau's mix, percentage points */
  readonly mix_shift_points: number;
  /** the mix moved more than the tolerance: this plateau measured another load */
  readonly mix_differs: boolean;
  readonly rate_limited: number;
  readonly server_errors: number;
  readonly dropped_iterations: number;
  readonly max_vus: number;
  /** the watchdog stopped the run during this plateau (a miss, whatever its partial figures) */
  readonly stopped_here: boolean;
  /** mean latency of the plateau's last third minus its first third's, ms: a growing queue (capacity.ts queueGrowing) is a miss */
  readonly latency_climb_ms: number;
  /** share of answers the target shed (429s, 5xx, timeouts): over 2% (capacity.ts keepsUp), it did not keep up */
  readonly shed_share: number;
  /** the SLOs met, latency not climbing through the plateau, and the target keeping up (capacity.ts) */
  readonly meets_slo: boolean;
  /** k6's highest one-second share of its machine's cores during the plateau (the CLI's /proc samples); null without samples */
  readonly generator_cpu_share: number | null;
  /** the generator could not keep the offered rate: dropped iterations, every VU busy, or k6 at 85% of the cores */
  readonly generator_limited: boolean;
  /** a probe's own accounting (sent, received, stored); absent for the coarse steps, which the run's accounting covers */
  readonly accounting?: Accounting;
}

/** The Universal Scalability Law fitted to a capacity run's plateaus (src/node/analysis/usl.ts). */
export interface UslFit {
  /** throughput of one request in flight, per second */
  readonly lambda: number;
  /** contention (serial share) */
  readonly sigma: number;
  /** coherency (crosstalk) */
  readonly kappa: number;
  /** the most the curve serves, per second (its peak, or its asymptote λ/σ when κ is 0); null when unbounded */
  readonly peak_rps: number | null;
  /** requests in flight at the peak; null for an asymptote */
  readonly peak_in_flight: number | null;
  /** 90% interval of the peak from a residual bootstrap; null with too few plateaus */
  readonly peak_interval_rps: readonly [number, number | null] | null;
  /** share of the variance of X the curve explains */
  readonly r2: number;
  readonly points: number;
}

export interface CapacitySection {
  readonly knee_rps: number | null;
  readonly limited_by: string;
  /** the most the target served per second on any plateau (successes and conflicts) */
  readonly saturation_rps: number;
  /** the knee lies in [met, missed): the highest rate that met the SLOs below the lowest that missed; null before a miss */
  readonly knee_bracket_rps: readonly [number, number] | null;
  /** the bracket's width over its low end (0.05: the knee is known within 5%) */
  readonly knee_precision: number | null;
  /** the Universal Scalability Law fitted to the plateaus, with its predicted peak and interval */
  readonly usl: UslFit | null;
  /** the refinement phase: probes run and why it ended */
  readonly refinement: { readonly probes: number; readonly note: string };
  /** how long the coarse plateaus ran, ms */
  readonly coarse_ms: number;
  readonly mix_tolerance_points: number;
  /** plateaus (offered rate) whose request mix moved more than the tolerance from the first */
  readonly mix_drift_plateaus: readonly number[];
  readonly slo: Slo;
  readonly plateaus: readonly Plateau[];
}

export interface TimeoutRow {
  readonly fates: Record<Fate, number>;
  readonly expired_share: number | null;
  readonly time_to_accept_ms: { readonly p50: number; readonly p95: number; readonly max: number } | null;
}

export interface TimeoutsSection {
  readonly sweep: Sweep;
  readonly by_timeout: Record<string, TimeoutRow>;
  /** the skew arms: the experiment's own fates, beside the target's clock offset measured from its Date headers */
  readonly skew?: SkewSection;
  /** the timeout in the contact's terms at the default expiry target, or null when the data cannot fit it */
  readonly advice?: ExpectedWaitAdvice | null;
}

/** An expected wait at one timeout (analysis/expected-wait.ts). */
export interface WaitPoint {
  readonly timeout_s: number;
  readonly expected_wait_s: number;
  readonly expired_share: number;
}

export interface TimeoutChoice {
  /** the timeout with the least expected wait, seconds */
  readonly timeout_s: number;
  readonly expected_wait_s: number;
  readonly expired_share: number;
  /** seconds of expected wait one second less and one second more of timeout cost */
  readonly one_less_costs_s: number | null;
  readonly one_more_costs_s: number | null;
}

export interface ExpectedWaitAdvice {
  /** the model fitted at the longest tested timeout */
  readonly model: {
    readonly from_timeout_s: number;
    readonly answered: number;
    readonly accept_median_s: number;
    readonly accept_sigma: number;
    readonly rejected_share: number;
    readonly no_answer_share: number;
    /** from the accepted share's Wilson 95% interval */
    readonly no_answer_interval: [number, number];
  };
  /** the timeout with the least expected time to an accepted offer */
  readonly best: TimeoutChoice;
  /** the best timeout at either end of the no-answer share's interval, seconds */
  readonly best_interval_s: [number, number];
  /** the best timeout whose expiry share stays within the target, or null when none does */
  readonly within_target: TimeoutChoice | null;
  /** the expected wait at 10 s and 30 s, for comparison */
  readonly at: Readonly<Record<string, number>>;
  readonly curve: readonly WaitPoint[];
}

export interface SkewSection {
  /** per skew (caller ahead of the target by, ms): offers, and how many the target refused as offered in its future */
  readonly arms: readonly { readonly skew_ms: number; readonly offers: number; readonly refused: number }[];
  /** the largest skew none of whose offers were refused for it; null when every arm saw refusals */
  readonly largest_tolerated_ms: number | null;
  /** the target's clock minus this machine's, ms, with the bounds its Date headers allow; null when unknown */
  readonly clock_offset: {
    readonly offset_ms: number;
    readonly low_ms: number;
    readonly high_ms: number;
    readonly samples: number;
  } | null;
}

/** How the run's iterations arrived: the process asked for, and what was measured of it. */
export interface ArrivalsSection {
  readonly mode: 'poisson' | 'even';
  /** the variance-to-mean ratio asked for per interval (poisson); null for even arrivals */
  readonly dispersion: number | null;
  readonly interval_s: number | null;
  readonly seed: number;
  /** arrivals that started after their arrival time (no VU was free), and how late at the 95th percentile */
  readonly late: number | null;
  readonly lateness_p95_ms: number | null;
  /** the index of dispersion (variance / mean) of the main operation's requests per bin, from InfluxDB; null without it */
  readonly measured: { readonly per_100ms: number | null; readonly per_1s: number | null } | null;
}

/** A forecast replayed as the load (--forecast): per interval, forecast against planned and offered. */
export interface ForecastSection {
  readonly file: string;
  readonly format: string;
  readonly queue: string | null;
  readonly window: string | null;
  readonly scale: number;
  readonly speedup: number;
  /** the forecast's interval, and its length in the run, seconds */
  readonly interval_s: number;
  readonly replay_s: number;
  readonly intervals: readonly {
    /** on the forecast's own clock */
    readonly start: string;
    /** contacts the forecast holds, scaled */
    readonly forecast: number;
    /** arrivals the run's plan drew for the interval */
    readonly planned: number;
    /** iterations sent in the interval (the main operation's requests); null without InfluxDB */
    readonly offered: number | null;
  }[];
}

/** Percentiles of a contact trend, ms. */
export interface ContactTrend {
  readonly p50: number;
  readonly p95: number;
  readonly count: number;
}

/**
 * A contact centre's run. `plan`: the model's own figures (waits, service level, occupancy in seconds of real
 * time); `measured`: what the contacts met on the target, from k6 (ms of run time: divide by nothing, multiply by
 * the speedup for real time).
 */
export interface ContactsSection {
  readonly agents: number;
  readonly concurrency: number;
  readonly speedup: number;
  readonly handle_times: string;
  readonly plan: {
    readonly contacts: number;
    readonly abandoned: number;
    readonly service_target_s: number;
    readonly service_level: number;
    /** Erlang C's service level for the same traffic and agents (weighted over the intervals) */
    readonly erlang_c_service_level: number;
    readonly asa_s: number;
    readonly wait_p95_s: number;
    readonly offers_per_contact: number;
    readonly reoffered_share: number;
    readonly occupancy: number;
    readonly peak_open_interactions: number;
    readonly peak_waiting: number;
  };
  readonly measured: {
    readonly contacts: Readonly<Record<string, number>>;
    readonly queue_wait_ms: ContactTrend | null;
    readonly offer_to_accept_ms: ContactTrend | null;
    readonly offers_per_contact: number | null;
  };
  /** requests the plan sends in all, by operation (what a run without failures sends exactly) */
  readonly requests_planned: Readonly<Record<string, number>>;
  /** requests the target got per contact, by operation (contacts that arrived) */
  readonly requests_per_contact: Readonly<Record<string, number>>;
}

export interface ContentionSection {
  readonly races_by_winners: Record<string, number>;
  readonly exactly_one_winner: boolean;
  readonly invariants: { readonly ok: boolean; readonly violations: string[] } | null;
}

export interface SessionsSection {
  readonly mode: SessionMode;
  /** responses that set a new JSESSIONID: sessions the target created for this run */
  readonly created: number;
  readonly created_per_s: number;
  /** what the simulator counted; null for another target */
  readonly created_on_target: number | null;
  readonly per_request: number;
  readonly planned_at_most: number;
  /** requests the target ignored with 202 (a session's max waiters) */
  readonly session_busy_202: number;
}

/** The rate-limit rule the target answered with before any load, against what the plan sends in its hour. */
export interface RateLimitPlan {
  readonly rule: string;
  readonly limit_per_hour: number;
  readonly planned_per_hour: number;
  readonly over_budget: boolean;
}

export interface RateLimitSection {
  readonly tightest_limit_per_hour: number;
  readonly requests_counted: number;
  readonly remaining_at_most: number;
  readonly used_per_hour_at_this_rate: number;
  readonly over_budget: boolean;
}

/** One window of one operation: the samples every verdict is made of. */
export interface Window {
  /** seconds since the run started (window start) */
  readonly t: number;
  readonly op: string;
  readonly requests: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly error_rate: number;
  readonly conflict_rate: number;
}

export interface RunWindows {
  readonly testid: string;
  readonly bucketSec: number;
  readonly windows: readonly Window[];
}
