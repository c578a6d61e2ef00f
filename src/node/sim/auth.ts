/** Authentication as the platform does it: basic credentials or a bearer token for a known user. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { SimUser } from './config.js';

const INTEGRATION_ROLES = ['awa_manager', 'awa_integration_user'];

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The user an Authorization header names, or undefined when it is missing or wrong. */
export function authenticate(users: readonly SimUser[], header: string | undefined): SimUser | undefined {
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') return users.find((u) => u.token !== undefined && same(u.token, value));
  if (scheme?.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const name = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return users.find((u) => u.password !== undefined && u.user_name === name && same(u.password, password));
}

/** Whether the caller may use the Offer Work API. */
export function isIntegrationCaller(user: SimUser): boolean {
  return user.roles.some((r) => INTEGRATION_ROLES.includes(r));
}

/** The caller's sys_user sys_id: the configured one, or a stable one made from the user name. */
export function callerSysId(user: SimUser): string {
  return user.sys_id ?? createHash('sha256').update(`sys_user:${user.user_name}`).digest('hex').slice(0, 32);
}
