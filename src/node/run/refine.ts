/**
 * The capacity run's refinement phase: after the coarse plateaus, probes between the last rate that met the
 * SLOs and the first that missed, halving the bracket until the knee is known within 5% of its rate (or the
 * run's time is spent). Each probe is one plateau run as its own small run (`<testid>-refine-N`: its own
 * points, fresh documents and accounting), after the coarse run has drained.
 */
import { freshDocumentsFor } from '../../shared/k6-contract.js';
import type { InfluxTarget } from '../influx/connection.js';
import { runSpan } from '../influx/windows.js';
import type { Io } from '../io.js';
import type { CapacitySection, Plateau, RunSummary } from '../results/model.js';
import type { Simulator } from '../sim/http/server.js';
import { isStorm, type Outcome } from '../../shared/outcome.js';
import { capacityFrom, kneeBracket, measurePlateau, type BaseMix } from './capacity.js';
import { collect } from './collect.js';
import { prepareInputs } from './inputs.js';
import { runScenario, type K6Outcome, type K6Step } from './k6-step.js';
import type { RunOptions } from './plan.js';
import { MAX_PROBES, nextProbe, PROBE_OVERHEAD_SEC, probeParams, refinementBudgetSec } from './refine-plan.js';
import { probeFolder, probeTestid } from '../results/layout.js';

export interface RefineStep extends Omit<K6Step, 'poolPath' | 'arrivalsPath' | 'contactsPath' | 'workDir'> {
  readonly influx: InfluxTarget;
  readonly sim: Simulator | undefined;
  readonly workDir: string;
}

const baseOf = (first: Plateau): BaseMix => ({
  mix: first.mix,
  n: Object.entries(first.outcomes)
    .filter(([o]) => !isStorm(o as Outcome))
    .reduce((a, [, n]) => a + n, 0),
});

/**
 * Runs the probes a coarse capacity section calls for and returns the section with them: knee, bracket and
 * fitted curve from every plateau. Stops early on a signal, on a probe the generator could not keep, or when
 * the time is spent.
 */
export async function refineCapacity(
  opts: RunOptions,
  coarse: RunSummary,
  s: RefineStep,
  io: Io,
): Promise<{ capacity: CapacitySection; interrupted: string | undefined }> {
  const c = coarse.capacity!;
  const plateaus = [...c.plateaus];
  const budgetSec = refinementBudgetSec(opts.params, c.coarse_ms / 1000);
  const probeSec = probeParams(opts.params, 1).durationSec + PROBE_OVERHEAD_SEC;
  const allRan = c.limited_by.startsWith('none');
  let firstDocument = freshDocumentsFor(coarse.load.expected_iterations);
  let spentSec = 0;
  let note = 'the coarse plateaus left no bracket to refine';
  let interrupted: string | undefined;
  if (c.limited_by !== 'target') note = `no refinement: the run was limited by ${c.limited_by.split(':')[0]}`;
  for (let i = 1; i <= MAX_PROBES && c.limited_by === 'target'; i++) {
    const bracket = kneeBracket(plateaus);
    if (!bracket) break;
    const rate = nextProbe(bracket);
    if (rate === undefined) {
      note = `the knee is known within ${Math.round(((bracket.missed - bracket.met) / bracket.met) * 1000) / 10}% (bracket ${bracket.met} to ${bracket.missed}/s)`;
      break;
    }
    if (spentSec + probeSec > budgetSec) {
      note = `the run's time was spent (${Math.round(budgetSec)} s for refinement) with the bracket at ${bracket.met} to ${bracket.missed}/s`;
      break;
    }
    const params = probeParams(opts.params, rate);
    const probe: RunOptions = {
      ...opts,
      testid: probeTestid(opts.testid, i),
      params,
      quiet: true,
      cleanup: undefined,
      probe: { firstDocument },
    };
    io.phase(
      `refining the knee: probe ${i} at ${rate}/s for ${params.durationSec} s (bracket ${bracket.met} to ${bracket.missed}/s)`,
    );
    const started = Date.now();
    const dir = probeFolder(s.workDir, probe.testid);
    let ran: K6Outcome;
    try {
      const inputs = await prepareInputs(probe, s.targetUrl, s.creds, dir, io);
      firstDocument += freshDocumentsFor(inputs.planned);
      ran = await runScenario(
        probe,
        { ...s, poolPath: inputs.poolPath, arrivalsPath: inputs.arrivalsPath, workDir: dir },
        io,
      );
      const summary = await collect(
        probe,
        { k6: ran, influx: s.influx, sim: s.sim, targetUrl: s.targetUrl, planned: inputs.planned },
        io,
      );
      const span = await runSpan(s.influx, probe.testid);
      if (span) {
        const at = {
          influx: s.influx,
          testid: probe.testid,
          scenario: opts.scenario,
          slo: c.slo,
          stoppedAtMs: ran.breach?.atMs,
        };
        const { plateau } = await measurePlateau(
          at,
          rate,
          span.startMs,
          span.endMs + 1,
          baseOf(plateaus[0]!),
          'refine',
        );
        plateaus.push({ ...plateau, accounting: summary.accounting });
      }
    } catch (e) {
      // a probe that fails (k6 without a summary, InfluxDB gone) ends the refinement, never the run: the coarse
      // plateaus and the probes before it are measured and kept
      note = `probe ${i} at ${rate}/s failed (${(e as Error).message}); the bracket stays at ${bracket.met} to ${bracket.missed}/s`;
      break;
    }
    spentSec += (Date.now() - started) / 1000;
    if (ran.interrupted) {
      interrupted = ran.interrupted;
      note = `interrupted (${ran.interrupted}) during probe ${i}`;
      break;
    }
    if (plateaus.at(-1)?.generator_limited) {
      note = `probe ${i} at ${rate}/s: the generator could not keep the rate, so the bracket cannot narrow further here`;
      break;
    }
  }
  const probes = plateaus.length - c.plateaus.length;
  const after = kneeBracket(plateaus);
  if (after && nextProbe(after) === undefined && probes > 0)
    note = `the knee is known within ${Math.round(((after.missed - after.met) / after.met) * 1000) / 10}% (bracket ${after.met} to ${after.missed}/s)`;
  return { capacity: capacityFrom(plateaus, allRan, c.slo, c.coarse_ms, { probes, note }), interrupted };
}
