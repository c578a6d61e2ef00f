/**
 * offerload's custom k6 metrics. All share the `offerload_` prefix; tags stay low-cardinality
 * (operation, outcome, outcome class, conflict reason: fixed sets, never ids or URLs).
 */
import { Counter, Gauge, Rate, Trend } from 'k6/metrics';
import { MEASUREMENTS } from '../shared/measurements.js';
import { outcomeClass, type Outcome } from '../shared/outcome.js';
import { GENERATOR_TAG } from './config.js';

/** Request latency per operation and outcome, milliseconds. */
export const latency = new Trend(MEASUREMENTS.latency, true);
/** One count per response, tagged with its outcome. */
export const outcomes = new Counter(MEASUREMENTS.outcomes);
/** 1 for a 409 conflict, 0 otherwise; tag `reason` names the conflict (`none` otherwise). */
export const conflicts = new Rate(MEASUREMENTS.conflicts);

/** Sessions the target created for this run: responses that set a new JSESSIONID. */
export const sessionsCreated = new Counter(MEASUREMENTS.sessionsCreated);
/** The X-RateLimit-Limit of the rule that answered (requests per hour); its min is the tightest rule seen. */
export const rateLimitLimit = new Gauge(MEASUREMENTS.rateLimitLimit);
/** Responses that carried rate-limit headers: what this run spent of the rules' budgets. */
export const rateLimitCounted = new Counter(MEASUREMENTS.rateLimitCounted);

interface Tagged {
  readonly outcomeTags: Record<string, string>;
  readonly conflictTags: Record<string, string>;
  readonly isConflict: boolean;
}

/** Tag sets per operation and outcome, made once per VU: a fixed, small set (ops x outcomes seen). */
const tagged = new Map<string, Tagged>();

function tagsFor(op: string, outcome: Outcome): Tagged {
  const key = `${op} ${outcome}`;
  let t = tagged.get(key);
  if (!t) {
    const cls = outcomeClass(outcome);
    const isConflict = cls === 'conflict';
    t = {
      outcomeTags: { op, outcome, outcome_class: cls, ...GENERATOR_TAG },
      conflictTags: { op, reason: isConflict ? outcome : 'none', ...GENERATOR_TAG },
      isConflict,
    };
    tagged.set(key, t);
  }
  return t;
}

/** Records one response of operation `op`. */
export function record(op: string, outcome: Outcome, durationMs: number): void {
  const t = tagsFor(op, outcome);
  latency.add(durationMs, t.outcomeTags);
  outcomes.add(1, t.outcomeTags);
  conflicts.add(t.isConflict, t.conflictTags);
}
