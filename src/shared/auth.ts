/**
 * How credentials become authentication, for every caller that talks to the target: k6's VUs, and the Node
 * side's fixture discovery, rate-limit preflight, doctor and cleanup. One precedence (OAuth client credentials,
 * then a bearer token, then basic), one token request (POST /oauth_token.do, client_credentials) and one
 * renewal rule. Each runtime sends the token request with its own HTTP client: k6's is synchronous, Node's is
 * not, so this module decides and the caller carries out.
 */
import { K6_ENV } from './k6-contract.js';

/** Credentials by their variable names (K6_ENV), as the process environment or a run hands them on. */
export type Credentials = Readonly<Record<string, string | undefined>>;

/** The token request of the OAuth 2.0 client credentials grant, ready to send. */
export interface TokenRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The operation name token requests are counted under (k6 tag, X-Offerload-Op). */
export const TOKEN_OP = 'oauth_token';

/** The scheme credentials select: OAuth client credentials, else a bearer token, else basic; none without any. */
export type AuthScheme =
  | { readonly kind: 'oauth'; readonly tokenUrl: string; readonly clientId: string; readonly clientSecret: string }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'basic'; readonly user: string; readonly password: string }
  | { readonly kind: 'none' };

/** The scheme `creds` select for a target at `target` (its token endpoint defaults to `<target>/oauth_token.do`). */
export function authScheme(creds: Credentials, target: string): AuthScheme {
  const clientId = creds[K6_ENV.oauthClientId];
  if (clientId) {
    let base = target;
    while (base.endsWith('/')) base = base.slice(0, -1);
    return {
      kind: 'oauth',
      tokenUrl: creds[K6_ENV.oauthTokenUrl] || `${base}/oauth_token.do`,
      clientId,
      clientSecret: creds[K6_ENV.oauthClientSecret] ?? '',
    };
  }
  const token = creds[K6_ENV.token];
  if (token) return { kind: 'bearer', token };
  const user = creds[K6_ENV.username];
  if (user) return { kind: 'basic', user, password: creds[K6_ENV.password] ?? '' };
  return { kind: 'none' };
}

/** What a refused credential's message tells the user to check, by scheme. */
export function credentialHint(scheme: AuthScheme): string {
  switch (scheme.kind) {
    case 'oauth':
      return `check ${K6_ENV.oauthClientId}/${K6_ENV.oauthClientSecret} (token endpoint ${scheme.tokenUrl})`;
    case 'bearer':
      return `check ${K6_ENV.token}`;
    case 'basic':
      return `check ${K6_ENV.username}/${K6_ENV.password}`;
    default:
      return `set ${K6_ENV.username}/${K6_ENV.password}, ${K6_ENV.token} or ${K6_ENV.oauthClientId}/${K6_ENV.oauthClientSecret}`;
  }
}

/**
 * A caller's authentication: the Authorization header to send now, and, for OAuth, when a token must be
 * fetched and what a token answer means. An access token is renewed a quarter of its life (at most a minute)
 * before it expires, so a soak of hours never sends an expired one.
 */
export class Authentication {
  private token: { readonly header: string; readonly renewAt: number } | undefined;
  private readonly fixed: string | undefined;

  /** `encodeBasic` turns "user:password" into base64 (k6/encoding in k6, Buffer in Node). */
  constructor(
    readonly scheme: AuthScheme,
    encodeBasic: (userPass: string) => string,
  ) {
    this.fixed =
      scheme.kind === 'bearer'
        ? `Bearer ${scheme.token}`
        : scheme.kind === 'basic'
          ? `Basic ${encodeBasic(`${scheme.user}:${scheme.password}`)}`
          : undefined;
  }

  /** Whether a token must be fetched before a request sent at `nowMs` (OAuth only: none yet, or renewal due). */
  tokenDue(nowMs: number): boolean {
    return this.scheme.kind === 'oauth' && (this.token === undefined || nowMs >= this.token.renewAt);
  }

  /** The token request to send before the next request at `nowMs`, or undefined when none is due. */
  tokenRequest(nowMs: number, extraHeaders: Readonly<Record<string, string>> = {}): TokenRequest | undefined {
    const s = this.scheme;
    if (s.kind !== 'oauth' || !this.tokenDue(nowMs)) return undefined;
    return {
      url: s.tokenUrl,
      body: `grant_type=client_credentials&client_id=${encodeURIComponent(s.clientId)}&client_secret=${encodeURIComponent(s.clientSecret)}`,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
        'X-Offerload-Op': TOKEN_OP,
        ...extraHeaders,
      },
    };
  }

  /** Takes the token endpoint's answer received at `nowMs`; false when it granted no usable token. */
  acceptToken(status: number, json: unknown, nowMs: number): boolean {
    const answer = json as { access_token?: unknown; expires_in?: unknown } | null | undefined;
    const ttl = Number(answer?.expires_in ?? 0);
    if (status !== 200 || typeof answer?.access_token !== 'string' || !(ttl > 0)) return false;
    this.token = { header: `Bearer ${answer.access_token}`, renewAt: nowMs + ttl * 1000 - Math.min(60_000, ttl * 250) };
    return true;
  }

  /** The Authorization header value to send now; undefined without credentials or before a token is granted. */
  header(): string | undefined {
    return this.fixed ?? this.token?.header;
  }
}
