/** What a route sees of a request, and the shape of a route table row. */
import type { IncomingHttpHeaders } from 'node:http';
import type { SimUser } from '../config.js';
import type { Reply } from '../respond.js';

export interface SimRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** the route pattern's capture groups */
  readonly params: readonly string[];
  readonly headers: IncomingHttpHeaders;
  readonly user: SimUser | undefined;
  /** the parsed JSON or XML body; {} when empty */
  readonly body: Record<string, unknown>;
}

export interface Route {
  /** counted under this name in /sim/stats */
  readonly name: string;
  readonly pattern: RegExp;
  readonly method: string;
  readonly handle: (req: SimRequest) => Reply;
}

export const ok = (body: unknown, status = 200): Reply => ({
  status,
  body: body as Record<string, unknown>,
  outcome: 'success',
});
