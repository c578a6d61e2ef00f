/**
 * Credentials as a run hands them on: from the environment or a config target (never argv), or, for the
 * embedded simulator with none set, a one-run credential it makes up. And the Authorization header they
 * give, for the Node side's own requests (fixture discovery, doctor).
 */
import { randomBytes } from 'node:crypto';
import { CREDENTIAL_ENV, K6_ENV } from '../shared/k6-contract.js';

/** Credentials for k6 and the embedded simulator: the user's, or a one-run credential for the simulator. */
export function runCredentials(embedded: boolean, env: NodeJS.ProcessEnv): Record<string, string> {
  const given = Object.fromEntries(CREDENTIAL_ENV.filter((k) => env[k]).map((k) => [k, env[k]!]));
  if (Object.keys(given).length > 0 || !embedded) return given;
  return { [K6_ENV.username]: 'offerload.integration', [K6_ENV.password]: randomBytes(18).toString('base64url') };
}

/** The Authorization header credentials give: a bearer token, else basic; none without either. */
export function authorization(creds: Readonly<Record<string, string | undefined>>): Record<string, string> {
  if (creds[K6_ENV.token]) return { Authorization: `Bearer ${creds[K6_ENV.token]}` };
  if (creds[K6_ENV.username]) return { Authorization: `Basic ${Buffer.from(`${creds[K6_ENV.username]}:${creds[K6_ENV.password] ?? ''}`).toString('base64')}` };
  return {};
}
