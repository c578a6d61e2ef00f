/**
 * OAuth 2.0 client credentials as the platform offers them (POST /oauth_token.do): a client id and secret
 * get an access token that expires; bearer requests with an expired token are refused like wrong ones.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../platform/clock.js';
import type { SimUser } from '../config.js';
import type { Reply } from '../respond.js';

const same = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export class OAuth {
  private readonly tokens = new Map<string, { user: SimUser; expiresAt: number }>();
  readonly counts = { issued: 0, refused: 0, expiredUses: 0 };

  constructor(
    private readonly users: readonly SimUser[],
    private readonly ttlSec: number,
    private readonly clock: Clock,
  ) {}

  /** Answers a token request (application/x-www-form-urlencoded or JSON). */
  token(body: string, contentType: string | undefined): Reply {
    const fields: Record<string, string> = (contentType ?? '').includes('json')
      ? (JSON.parse(body || '{}') as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(body));
    const user = this.users.find(
      (u) =>
        u.client_id !== undefined &&
        same(u.client_id, fields.client_id ?? '') &&
        same(u.client_secret ?? '', fields.client_secret ?? ''),
    );
    if (fields.grant_type !== 'client_credentials' || !user) {
      this.counts.refused++;
      return {
        status: 401,
        body: { error: 'access_denied', error_description: 'access_denied' },
        outcome: 'unauthorized',
      };
    }
    // forget expired tokens now and then, so a long soak's token map stays small
    if (this.tokens.size > 1000)
      for (const [t, v] of this.tokens) if (v.expiresAt <= this.clock.now()) this.tokens.delete(t);
    const accessToken = randomBytes(24).toString('base64url');
    this.tokens.set(accessToken, { user, expiresAt: this.clock.now() + this.ttlSec * 1000 });
    this.counts.issued++;
    return {
      status: 200,
      body: { access_token: accessToken, token_type: 'Bearer', expires_in: this.ttlSec, scope: 'useraccount' },
      outcome: 'success',
    };
  }

  /** The user a bearer token names, while it is valid. */
  userFor(token: string): SimUser | undefined {
    const entry = this.tokens.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now()) {
      this.counts.expiredUses++;
      return undefined;
    }
    return entry.user;
  }
}
