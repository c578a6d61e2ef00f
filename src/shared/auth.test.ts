import { describe, expect, it } from 'vitest';
import { Authentication, authScheme, credentialHint } from './auth.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('authScheme', () => {
  it.each([
    [
      {
        OFFERLOAD_OAUTH_CLIENT_ID: 'c',
        OFFERLOAD_OAUTH_CLIENT_SECRET: 's',
        OFFERLOAD_TOKEN: 't',
        OFFERLOAD_USERNAME: 'u',
      },
      'oauth',
    ],
    [{ OFFERLOAD_TOKEN: 't', OFFERLOAD_USERNAME: 'u' }, 'bearer'],
    [{ OFFERLOAD_USERNAME: 'u', OFFERLOAD_PASSWORD: 'p' }, 'basic'],
    [{ OFFERLOAD_USERNAME: '', OFFERLOAD_TOKEN: '' }, 'none'],
  ])('picks OAuth over a bearer token over basic: %j is %s', (creds, kind) => {
    expect(authScheme(creds, 'http://127.0.0.1:1').kind).toBe(kind);
  });

  it('takes the token endpoint from OFFERLOAD_OAUTH_TOKEN_URL, else <target>/oauth_token.do without doubled slashes', () => {
    expect(authScheme({ OFFERLOAD_OAUTH_CLIENT_ID: 'c' }, 'http://127.0.0.1:9/base//')).toMatchObject({
      tokenUrl: 'http://127.0.0.1:9/base/oauth_token.do',
    });
    expect(
      authScheme(
        { OFFERLOAD_OAUTH_CLIENT_ID: 'c', OFFERLOAD_OAUTH_TOKEN_URL: 'http://127.0.0.1:7/t' },
        'http://127.0.0.1:9',
      ),
    ).toMatchObject({ tokenUrl: 'http://127.0.0.1:7/t' });
  });

  it('names the variables to check for each scheme, never their values', () => {
    const hint = credentialHint(
      authScheme({ OFFERLOAD_OAUTH_CLIENT_ID: 'c', OFFERLOAD_OAUTH_CLIENT_SECRET: 'hidden' }, 'http://127.0.0.1:1'),
    );
    expect(hint).toMatch(/OFFERLOAD_OAUTH_CLIENT_ID\/OFFERLOAD_OAUTH_CLIENT_SECRET/);
    expect(hint).not.toContain('hidden');
    expect(credentialHint({ kind: 'basic', user: 'u', password: 'pw' })).toBe(
      'check OFFERLOAD_USERNAME/OFFERLOAD_PASSWORD',
    );
  });
});

describe('Authentication', () => {
  it('gives basic and bearer headers at once, and never asks for a token', () => {
    const basic = new Authentication(authScheme({ OFFERLOAD_USERNAME: 'u', OFFERLOAD_PASSWORD: 'p:w' }, 'x'), b64);
    expect(basic.header()).toBe(`Basic ${b64('u:p:w')}`);
    expect(basic.tokenDue(0)).toBe(false);
    expect(basic.tokenRequest(0)).toBeUndefined();
    expect(new Authentication(authScheme({ OFFERLOAD_TOKEN: 'tok' }, 'x'), b64).header()).toBe('Bearer tok');
    expect(new Authentication({ kind: 'none' }, b64).header()).toBeUndefined();
  });

  it('asks for a client-credentials token first, uses it, and renews it a quarter of its life (at most 60 s) before it expires', () => {
    const a = new Authentication(
      authScheme({ OFFERLOAD_OAUTH_CLIENT_ID: 'id&1', OFFERLOAD_OAUTH_CLIENT_SECRET: 's=2' }, 'http://127.0.0.1:5'),
      b64,
    );
    expect(a.header()).toBeUndefined();
    const req = a.tokenRequest(1000, { 'X-Offerload-Testid': 'r1' })!;
    expect(req.url).toBe('http://127.0.0.1:5/oauth_token.do');
    expect(new URLSearchParams(req.body).get('client_id')).toBe('id&1');
    expect(new URLSearchParams(req.body).get('client_secret')).toBe('s=2');
    expect(new URLSearchParams(req.body).get('grant_type')).toBe('client_credentials');
    expect(req.headers).toMatchObject({
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Offerload-Op': 'oauth_token',
      'X-Offerload-Testid': 'r1',
    });
    // 40 s life: renewed 10 s before it ends
    expect(a.acceptToken(200, { access_token: 'A', expires_in: 40 }, 1000)).toBe(true);
    expect(a.header()).toBe('Bearer A');
    expect(a.tokenDue(30_999)).toBe(false);
    expect(a.tokenDue(31_000)).toBe(true);
    // 1800 s life: renewed 60 s before it ends, not 450 s
    expect(a.acceptToken(200, { access_token: 'B', expires_in: 1800 }, 0)).toBe(true);
    expect(a.tokenDue(1_739_999)).toBe(false);
    expect(a.tokenDue(1_740_000)).toBe(true);
  });

  it('refuses answers that grant no usable token and keeps the one it had', () => {
    const a = new Authentication(authScheme({ OFFERLOAD_OAUTH_CLIENT_ID: 'c' }, 'x'), b64);
    expect(a.acceptToken(401, { error: 'access_denied' }, 0)).toBe(false);
    expect(a.acceptToken(200, { access_token: 'A' }, 0)).toBe(false);
    expect(a.acceptToken(200, { access_token: 7, expires_in: 60 }, 0)).toBe(false);
    expect(a.acceptToken(200, undefined, 0)).toBe(false);
    expect(a.header()).toBeUndefined();
    expect(a.tokenDue(0)).toBe(true);
  });
});
