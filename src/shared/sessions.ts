/**
 * How a run treats the platform's sessions (neighbour-apis.md §6), and what each way costs the instance.
 * reuse: each VU keeps its cookies across iterations, as a connector's HTTP client does: at most one session
 * per VU (again after an idle timeout). per-request: no cookies kept, so every request creates a session that
 * holds memory until it times out: what a cookie-less integration does to an instance.
 */

export const SESSION_MODES = ['reuse', 'per-request'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

export const DEFAULT_SESSION_MODE: SessionMode = 'reuse';

/** The sessions a run will create on the instance, at most: one per VU, or one per request. */
export function plannedSessions(
  mode: SessionMode,
  plan: { readonly maxVUs: number; readonly requests: number },
): number {
  return mode === 'reuse' ? Math.min(plan.maxVUs, Math.max(1, Math.round(plan.requests))) : Math.round(plan.requests);
}

/** One line for a plan or doctor: the mode and its cost. */
export function describeSessions(
  mode: SessionMode,
  plan: { readonly maxVUs: number; readonly requests: number },
): string {
  const n = plannedSessions(mode, plan);
  return mode === 'reuse'
    ? `reuse: each VU keeps its cookies; at most ${n} sessions (one per VU, again after an idle timeout)`
    : `per-request: no cookies kept; about ${n} sessions, one per request, each held until it times out`;
}
