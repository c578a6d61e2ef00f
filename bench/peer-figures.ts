/**
 * The peers' figures from the harness rounds: requests per second and the generator's CPU per request of
 * offerload (offer-burst), the hand-written k6 script and Artillery, as ratios per round (rounds alternate,
 * so a ratio compares runs moments apart), with their spread.
 */

/** One generator's run: requests/s at saturation, its process CPU per request (µs), the simulator's answers. */
export interface Measured {
  readonly rps: number;
  readonly cpuUs: number;
  readonly outcomes: Record<string, number>;
}

export interface Round {
  readonly ours: Measured;
  readonly bare: Measured;
  readonly handwritten: Measured;
  /** Artillery with the per-reason hook, and with its own reporting only; absent when not installed */
  readonly artillery?: Measured;
  readonly artilleryCodes?: Measured;
  readonly wrk: number;
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const r3 = (x: number): number => Number(x.toFixed(3));

/** What each tool tells its user about a 409, beyond its status code. */
const CLASSIFIES: Record<string, string> = {
  'offerload offer-burst': 'yes: every documented message, from the shared catalogue',
  'hand-written k6': 'yes: the six conflict messages its author matched',
  'artillery (per-reason hook)': 'only with a custom JS afterResponse hook (bench/artillery/processor.cjs)',
  'artillery (own reporting)': 'no: status codes only (http.codes.409)',
};

/** Ratios of offerload over each peer (throughput per CPU second, and plain throughput), CPU per request, and the table. */
export function peerFigures(
  rounds: readonly Round[],
  artilleryVersion: string | undefined,
  opts: { seconds: number; artilleryIdleCpuMs: number },
): Record<string, unknown> {
  // throughput per CPU second is 1 / CPU per request, so offerload over a peer is the peer's CPU per request over offerload's
  const perCpu = (peer: (x: Round) => Measured | undefined) => rounds.map((x) => r3(peer(x)!.cpuUs / x.ours.cpuUs));
  const rps = (peer: (x: Round) => Measured | undefined) => rounds.map((x) => r3(x.ours.rps / peer(x)!.rps));
  const cpu = (m: (x: Round) => Measured | undefined) => Math.round(median(rounds.map((x) => m(x)!.cpuUs)));
  const rows: [string, (x: Round) => Measured | undefined][] = [
    ['offerload offer-burst', (x) => x.ours],
    ['hand-written k6', (x) => x.handwritten],
    ...(artilleryVersion
      ? ([
          ['artillery (per-reason hook)', (x) => x.artillery],
          ['artillery (own reporting)', (x) => x.artilleryCodes],
        ] as [string, (x: Round) => Measured | undefined][])
      : []),
  ];
  const table = rows.map(([tool, m]) => ({
    tool,
    rps: Math.round(median(rounds.map((x) => m(x)!.rps))),
    cpu_s_per_1000_requests: r3(median(rounds.map((x) => m(x)!.cpuUs)) / 1000),
    per_reason_conflicts: CLASSIFIES[tool],
    sim_outcomes_last_round: m(rounds.at(-1)!)!.outcomes,
  }));
  // CPU per request without Artillery's start-up: its CPU over a run less that of a run with no requests
  const steady = (m: Measured) =>
    (m.cpuUs * m.rps * opts.seconds - opts.artilleryIdleCpuMs * 1000) / (m.rps * opts.seconds);
  const handwritten = (x: Round) => x.handwritten;
  const artillery = (x: Round) => x.artillery;
  return {
    offerload_over_handwritten_k6: median(perCpu(handwritten)),
    offerload_over_handwritten_k6_spread: perCpu(handwritten),
    offerload_over_handwritten_k6_rps: median(rps(handwritten)),
    offerload_over_handwritten_k6_rps_spread: rps(handwritten),
    handwritten_k6_rps: Math.round(median(rounds.map((x) => x.handwritten.rps))),
    handwritten_k6_cpu_us_per_request: cpu(handwritten),
    ...(artilleryVersion
      ? {
          offerload_over_artillery: median(perCpu(artillery)),
          offerload_over_artillery_spread: perCpu(artillery),
          offerload_over_artillery_rps: median(rps(artillery)),
          offerload_over_artillery_rps_spread: rps(artillery),
          offerload_over_artillery_codes_only: median(perCpu((x) => x.artilleryCodes)),
          offerload_over_artillery_codes_only_spread: perCpu((x) => x.artilleryCodes),
          artillery_rps: Math.round(median(rounds.map((x) => x.artillery!.rps))),
          artillery_cpu_us_per_request: cpu(artillery),
          artillery_startup_cpu_ms: opts.artilleryIdleCpuMs,
          artillery_cpu_us_per_request_without_startup: Math.round(median(rounds.map((x) => steady(x.artillery!)))),
          offerload_over_artillery_without_its_startup: median(
            rounds.map((x) => r3(steady(x.artillery!) / x.ours.cpuUs)),
          ),
          artillery_codes_only_rps: Math.round(median(rounds.map((x) => x.artilleryCodes!.rps))),
          artillery_codes_only_cpu_us_per_request: cpu((x) => x.artilleryCodes),
          artillery_version: artilleryVersion,
        }
      : { artillery_version: null }),
    peers: table,
  };
}
