/** What the simulator received, counted by run (testid header), route and outcome. */
import { SimTimings } from './http/timing.js';

export const NO_TESTID = '-';

export class Stats {
  /** testid -> route -> outcome -> count */
  private readonly byRun = new Map<string, Map<string, Map<string, number>>>();
  inFlight = 0;
  /** the simulator's own time per request, by run, when timing is on (timing.ts) */
  readonly timings = new SimTimings();
  /** testid -> generator -> documents it offered (only for requests that name their generator) */
  private readonly documentsByGenerator = new Map<string, Map<string, Set<string>>>();

  /** Notes that a generator of a run sent an offer for a document. */
  noteDocument(testid: string | undefined, generator: string | undefined, documentKey: string): void {
    if (!generator) return;
    const run = testid || NO_TESTID;
    let byGen = this.documentsByGenerator.get(run);
    if (!byGen) this.documentsByGenerator.set(run, (byGen = new Map()));
    let docs = byGen.get(generator);
    if (!docs) byGen.set(generator, (docs = new Set()));
    docs.add(documentKey);
  }

  /** Per generator: documents offered, and how many documents more than one generator offered. */
  generators(testid: string): { documents: Record<string, number>; shared_documents: number } {
    const byGen = this.documentsByGenerator.get(testid) ?? new Map<string, Set<string>>();
    const seen = new Map<string, number>();
    for (const docs of byGen.values()) for (const d of docs) seen.set(d, (seen.get(d) ?? 0) + 1);
    return {
      documents: Object.fromEntries([...byGen].map(([g, docs]) => [g, docs.size])),
      shared_documents: [...seen.values()].filter((n) => n > 1).length,
    };
  }

  /** testid -> sessions its requests created */
  private readonly sessionsByRun = new Map<string, number>();

  /** Notes that a request of a run created a session. */
  noteSession(testid: string | undefined): void {
    const run = testid || NO_TESTID;
    this.sessionsByRun.set(run, (this.sessionsByRun.get(run) ?? 0) + 1);
  }

  /** Sessions created by a run's requests (or all runs). */
  sessionsCreated(testid?: string): number {
    if (testid !== undefined) return this.sessionsByRun.get(testid) ?? 0;
    let n = 0;
    for (const v of this.sessionsByRun.values()) n += v;
    return n;
  }

  /** testid -> operation (X-Offerload-Op) -> requests received */
  private readonly byOp = new Map<string, Map<string, number>>();

  count(testid: string | undefined, route: string, outcome: string, op?: string): void {
    const run = testid || NO_TESTID;
    if (op) {
      let ops = this.byOp.get(run);
      if (!ops) this.byOp.set(run, (ops = new Map()));
      ops.set(op, (ops.get(op) ?? 0) + 1);
    }
    let routes = this.byRun.get(run);
    if (!routes) this.byRun.set(run, (routes = new Map()));
    let outcomes = routes.get(route);
    if (!outcomes) routes.set(route, (outcomes = new Map()));
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }

  /** Counts of one run (or all runs), as plain objects with totals. */
  snapshot(testid?: string): {
    total: number;
    routes: Record<string, { total: number; outcomes: Record<string, number> }>;
  } {
    const routes: Record<string, { total: number; outcomes: Record<string, number> }> = {};
    let total = 0;
    for (const [run, byRoute] of this.byRun) {
      if (testid !== undefined && run !== testid) continue;
      for (const [route, outcomes] of byRoute) {
        const r = (routes[route] ??= { total: 0, outcomes: {} });
        for (const [outcome, n] of outcomes) {
          r.outcomes[outcome] = (r.outcomes[outcome] ?? 0) + n;
          r.total += n;
          total += n;
        }
      }
    }
    return { total, routes };
  }

  /** Requests of a run by the operation its client named. */
  operations(testid: string): Record<string, number> {
    return Object.fromEntries(this.byOp.get(testid) ?? []);
  }

  runs(): string[] {
    return [...this.byRun.keys()];
  }

  reset(): void {
    this.byRun.clear();
    this.byOp.clear();
    this.documentsByGenerator.clear();
    this.sessionsByRun.clear();
    this.timings.reset();
  }
}
