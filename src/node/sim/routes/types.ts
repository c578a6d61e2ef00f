/** What a route sees of a request, and the shape of a route table row. */
import type { IncomingHttpHeaders } from 'node:http';
import type { SimUser } from '../config.js';
import type { Reply } from '../respond.js';
import type { Engine } from '../platform/engine.js';
import type { Footprints } from '../platform/footprint.js';
import type { Stats } from '../stats.js';

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

/** What a route's hooks see: the run the request belongs to, its pattern's captures, and the run's bookkeeping. */
export interface HookContext {
  readonly testid: string | undefined;
  /** the load generator that sent it, when a run is split across several */
  readonly generator: string | undefined;
  readonly params: readonly string[];
  /** the request's parsed body */
  readonly body: Record<string, unknown>;
  readonly engine: Engine;
  readonly stats: Stats;
  readonly footprints: Footprints;
}

/** What a route notes about a run around its decision, declared with the route. */
export interface RouteHooks {
  /** when the transaction reaches the route, before it waits for a worker slot */
  readonly arrived?: (h: HookContext) => void;
  /** in its slot, just before the handler decides */
  readonly deciding?: (h: HookContext) => void;
  /** with the handler's reply */
  readonly decided?: (h: HookContext, reply: Reply) => void;
}

export interface Route {
  /** counted under this name in /sim/stats */
  readonly name: string;
  readonly pattern: RegExp;
  readonly method: string;
  readonly handle: (req: SimRequest) => Reply;
  readonly hooks?: RouteHooks;
}

export const ok = (body: unknown, status = 200): Reply => ({
  status,
  body: body as Record<string, unknown>,
  outcome: 'success',
});
