/**
 * Credentials as a run hands them on: from the environment or a config target (never argv), or, for the
 * embedded simulator with none set, a one-run credential it makes up. And the Node side's authentication with
 * them (fixture discovery, the rate-limit preflight, doctor, cleanup): the shared rule of src/shared/auth.ts,
 * with token requests sent through fetch.
 */
import { randomBytes } from 'node:crypto';
import { Authentication, authScheme, credentialHint, type Credentials } from '../shared/auth.js';
import { CREDENTIAL_ENV, K6_ENV } from '../shared/k6-contract.js';
import { WIRE_HEADERS } from '../shared/wire.js';
import { EnvironmentError } from './errors.js';
import { jsonOf } from './io.js';

/** Credentials for k6 and the embedded simulator: the user's, or a one-run credential for the simulator. */
export function runCredentials(embedded: boolean, env: NodeJS.ProcessEnv): Record<string, string> {
  const given = Object.fromEntries(CREDENTIAL_ENV.filter((k) => env[k]).map((k) => [k, env[k]!]));
  if (Object.keys(given).length > 0 || !embedded) return given;
  return { [K6_ENV.username]: 'offerload.integration', [K6_ENV.password]: randomBytes(18).toString('base64url') };
}

/** The Authorization header for the Node side's requests to one target, with OAuth tokens fetched and renewed. */
export interface TargetAuth {
  /** `{ Authorization }` to send now (empty without credentials); fetches or renews an OAuth token when due */
  headers(): Promise<Record<string, string>>;
  /** what to check when the target refuses these credentials */
  readonly hint: string;
}

const encodeBasic = (userPass: string): string => Buffer.from(userPass).toString('base64');

/** Authentication with `creds` at `target`; token requests carry `testid` (when given) so a run's accounting can tell them apart. */
export function targetAuth(creds: Credentials, target: string, testid?: string): TargetAuth {
  const auth = new Authentication(authScheme(creds, target), encodeBasic);
  const hint = credentialHint(auth.scheme);
  let pending: Promise<void> | undefined;
  const renew = async (): Promise<void> => {
    const req = auth.tokenRequest(Date.now(), testid ? { [WIRE_HEADERS.testid]: testid } : {});
    if (!req) return;
    const res = await fetch(req.url, {
      method: 'POST',
      headers: req.headers,
      body: req.body,
      signal: AbortSignal.timeout(10_000),
    }).catch((e: Error) => {
      throw new EnvironmentError(`OAuth token endpoint ${req.url} is not reachable: ${e.message}`);
    });
    if (!auth.acceptToken(res.status, await jsonOf(res), Date.now()))
      throw new EnvironmentError(`OAuth token endpoint ${req.url} granted no token (${res.status}): ${hint}`);
  };
  return {
    hint,
    async headers(): Promise<Record<string, string>> {
      // one token request at a time, however many requests wait for it
      if (auth.tokenDue(Date.now())) await (pending ??= renew().finally(() => (pending = undefined)));
      const header = auth.header();
      return header ? { Authorization: header } : {};
    },
  };
}
