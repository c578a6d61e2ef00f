/**
 * Watches a run while it goes, from InfluxDB windows: stops it when the target is drowning (a storm of
 * 5xx, 429 and timeouts) or, for capacity runs, once the SLOs have stayed broken for a sustained window.
 * A stop is graceful (k6 gets SIGINT and still writes its summary) and its reason is reported.
 */
import { isStorm, type Outcome } from '../../shared/outcome.js';
import { getProfile } from '../../shared/profiles.js';
import type { Slo } from '../../shared/scenarios.js';
import { latencyOf, outcomesOf } from '../influx/windows.js';
import type { InfluxTarget } from '../influx/store.js';
import type { LatencyMs } from '../results/model.js';
import { checkSlo, describeBreach, mainOperation, runSlo, sloFigures, type SloSources } from './slo.js';

export interface WatchdogRules {
  /** the operation whose latency is judged */
  readonly op: string;
  /** stop when 5xx + 429 + timeouts exceed this share of answers (protects the target) */
  readonly stormShare: number;
  /** also stop on these SLOs (capacity runs); undefined = storm only */
  readonly slo?: Slo;
  /** how long a breach must last before the run stops, seconds */
  readonly sustainSec: number;
  /** the window each check looks at, seconds */
  readonly windowSec: number;
  /** answers a window needs before it is judged */
  readonly minAnswers: number;
}

export const DEFAULT_RULES: Omit<WatchdogRules, 'op'> = {
  stormShare: 0.5,
  sustainSec: 15,
  windowSec: 10,
  minAnswers: 20,
};

/** The rules for a run: the storm rule always, and in a capacity run the run's own SLOs (runSlo) for its main operation. */
export function rulesFor(run: SloSources & { readonly profile: string }): WatchdogRules {
  const op = mainOperation(run.scenario);
  return { ...DEFAULT_RULES, op, slo: getProfile(run.profile).sloWatchdog ? runSlo(run, op) : undefined };
}

export interface Breach {
  readonly reason: string;
  readonly atMs: number;
}

/** Judges one window's figures (every objective of the SLO, by checkSlo); returns the breach, if any. */
export function judgeWindow(
  rules: WatchdogRules,
  outcomes: Record<string, number>,
  latency: LatencyMs | null | undefined,
): string | undefined {
  const answers = Object.values(outcomes).reduce((a, b) => a + b, 0);
  if (answers < rules.minAnswers) return undefined;
  const share = (counts: (o: Outcome) => boolean): number =>
    Object.entries(outcomes)
      .filter(([o]) => counts(o as Outcome))
      .reduce((a, [, c]) => a + c, 0) / answers;
  const storm = share(isStorm);
  if (storm > rules.stormShare)
    return `5xx, 429 and timeouts were ${(storm * 100).toFixed(0)}% of answers (limit ${(rules.stormShare * 100).toFixed(0)}%)`;
  if (!rules.slo) return undefined;
  const breach = checkSlo(rules.slo, sloFigures(outcomes, latency)).find((c) => !c.pass);
  return breach && describeBreach(breach);
}

/** Starts watching; `stop` is called once, with the breach, when one lasts. Returns a function that ends the watch. */
export function watch(
  influx: InfluxTarget,
  testid: string,
  rules: WatchdogRules,
  stop: (b: Breach) => void,
  everyMs = 5000,
): () => void {
  let breachedSince: number | undefined;
  let stopped = false;
  const check = async (): Promise<void> => {
    // k6 pushes every second: leave the last two seconds out so windows are complete
    const to = Date.now() - 2000;
    const from = to - rules.windowSec * 1000;
    const outcomes = await outcomesOf(influx, testid, rules.op, from, to);
    const reason = judgeWindow(rules, outcomes, await latencyOf(influx, testid, rules.op, from, to));
    if (!reason) {
      breachedSince = undefined;
      return;
    }
    breachedSince ??= from;
    if (!stopped && to - breachedSince >= rules.sustainSec * 1000) {
      stopped = true;
      stop({ reason: `${reason}, for ${Math.round((to - breachedSince) / 1000)} s`, atMs: to });
    }
  };
  const timer = setInterval(() => void check().catch(() => undefined), everyMs);
  return () => clearInterval(timer);
}
