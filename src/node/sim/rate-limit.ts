/**
 * Inbound REST rate limiting: one rule of N requests per user per hour, counted in fixed clock-hour
 * windows. Every answer carries X-RateLimit-Limit/-Reset/-Rule; a refused request gets 429 with Retry-After.
 */
import type { SimConfig } from './config.js';

const HOUR_MS = 3_600_000;

export interface RateDecision {
  readonly allowed: boolean;
  readonly headers: Record<string, string>;
}

export class RateLimiter {
  private window = -1;
  private readonly used = new Map<string, number>();

  constructor(private readonly config: SimConfig['rateLimit']) {}

  /** Counts one request of `user` at `now` (epoch ms) and says whether the rule allows it. */
  check(user: string, now: number): RateDecision | undefined {
    if (!this.config.enabled) return undefined;
    const window = Math.floor(now / HOUR_MS);
    if (window !== this.window) {
      this.window = window;
      this.used.clear();
    }
    const count = (this.used.get(user) ?? 0) + 1;
    this.used.set(user, count);
    const resetMs = (window + 1) * HOUR_MS;
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(this.config.requestsPerHour),
      'X-RateLimit-Reset': String(Math.floor(resetMs / 1000)),
      'X-RateLimit-Rule': this.config.rule,
    };
    if (count <= this.config.requestsPerHour) return { allowed: true, headers };
    return { allowed: false, headers: { ...headers, 'Retry-After': String(Math.max(1, Math.ceil((resetMs - now) / 1000))) } };
  }
}
