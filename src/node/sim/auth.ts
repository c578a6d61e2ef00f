/** Authentication as the platform does it: basic credentials or a bearer token for a known user. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { SimUser } from './config.js';

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

/**
 * The roles each route family needs (neighbour-apis.md §8): Offer Work awa_manager or awa_integration_user;
 * the Agent, Inbox Actions and Consult APIs awa_integration_user. The Table API is governed by ACLs and the
 * Interaction API's role is unconfirmed: no role check there.
 */
export const ROUTE_ROLES: Readonly<Record<string, readonly string[]>> = {
  offer: ['awa_manager', 'awa_integration_user'],
  agents: ['awa_integration_user'],
  inbox: ['awa_integration_user'],
  consult: ['awa_integration_user'],
};

/** Whether the caller holds a role the route needs (routes without a rule need none). */
export function mayCall(user: SimUser, route: string): boolean {
  const roles = ROUTE_ROLES[route];
  return roles === undefined || user.roles.some((r) => roles.includes(r));
}

/** The caller's sys_user sys_id: the configured one, or a stable one made from the user name. */
export function callerSysId(user: SimUser): string {
  return user.sys_id ?? createHash('sha256').update(`sys_user:${user.user_name}`).digest('hex').slice(0, 32);
}
