/**
 * What offerload puts on the wire beside the API's own fields: the headers that let the simulator count what
 * it received per run, operation and load generator (harmless to a real instance), and the testids of the
 * Node side's own requests, kept apart from the run's so its accounting never counts them.
 */

/** offerload's own request and response headers, as sent (Node reads incoming ones lower-cased: `incoming`). */
export const WIRE_HEADERS = {
  /** the run (testid) a request belongs to */
  testid: 'X-Offerload-Testid',
  /** the operation a request is counted under */
  op: 'X-Offerload-Op',
  /** which load generator sent it, when a run is split across several */
  generator: 'X-Offerload-Generator',
  /** response: the simulator's own time on the request, milliseconds with µs precision */
  simMs: 'X-Offerload-Sim-Ms',
  /** request: "1" asks for simMs on this answer alone */
  simTiming: 'X-Offerload-Sim-Timing',
} as const;

/** A header's name as Node's IncomingMessage keys it. */
export const incoming = (name: (typeof WIRE_HEADERS)[keyof typeof WIRE_HEADERS]): string => name.toLowerCase();

/** The Node side's own requests to the target, each under a testid of its own derived from the run's. */
export type OwnRequests = 'cleanup' | 'preflight' | 'clock';

/** The testid the Node side's `kind` requests for run `testid` carry. */
export const ownTestid = (testid: string, kind: OwnRequests): string => `${testid}-${kind}`;
