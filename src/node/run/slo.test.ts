import { describe, expect, it } from 'vitest';
import type { OperationSummary } from '../results/model.js';
import { checkSlo, judge, runSlo, sloFigures } from './slo.js';
import { judgeWindow, rulesFor } from './watchdog.js';

const op = (p95: number, errorRate: number): OperationSummary => ({
  requests: 100,
  throughput_rps: 10,
  latency_ms: { p50: p95 / 2, p90: p95, p95, p99: p95, max: p95 },
  outcomes: { success: 100 },
  conflict_rate: 0,
  conflict_rate_by_reason: {},
  error_rate: errorRate,
});

describe("a run's SLOs, decided in one place", () => {
  const sources = { scenario: 'capacity', sloOverrides: {}, configSlos: { '*': { p95_ms: 200 } } };

  it('takes the scenario defaults, then the config file per operation or *, then --slo', () => {
    expect(runSlo({ scenario: 'capacity', sloOverrides: {}, configSlos: {} }, 'offer')).toEqual({
      p95_ms: 500,
      error_rate: 0.05,
    });
    expect(runSlo(sources, 'offer')).toEqual({ p95_ms: 200, error_rate: 0.05 });
    expect(runSlo({ ...sources, configSlos: { '*': { p95_ms: 200 }, offer: { p95_ms: 300 } } }, 'offer').p95_ms).toBe(
      300,
    );
    expect(runSlo({ ...sources, sloOverrides: { p95_ms: 100 } }, 'offer').p95_ms).toBe(100);
  });

  it("gives the capacity watchdog the config file's SLOs, as the end-of-run verdict uses them", () => {
    const rules = rulesFor({ ...sources, profile: 'capacity' });
    expect(rules.slo).toEqual(runSlo(sources, 'offer'));
    expect(rules.slo?.p95_ms).toBe(200);
    const verdict = judge(sources, { offer: op(250, 0) }).find((v) => v.objective === 'p95_ms');
    expect(verdict).toMatchObject({ threshold: 200, actual: 250, pass: false });
  });

  it('gives the watchdog no SLOs outside a capacity run: there it only guards against a storm', () => {
    expect(rulesFor({ ...sources, scenario: 'offer-burst', profile: 'burst' }).slo).toBeUndefined();
    expect(rulesFor({ ...sources, scenario: 'transfer-mix', profile: 'average' }).op).toBe('offer');
  });

  it("counts dropped iterations as failures in the main operation's error rate: load never sent is load the target did not get", () => {
    const burst = { scenario: 'offer-burst', sloOverrides: {}, configSlos: {} };
    const v = judge(burst, { offer: op(100, 0) }, 5).find((x) => x.objective === 'error_rate')!;
    expect(v).toMatchObject({ threshold: 0.01, actual: 0.047619, pass: false, dropped_iterations: 5 });
    expect(judge(burst, { offer: op(100, 0) }, 0).find((x) => x.objective === 'error_rate')).toMatchObject({
      actual: 0,
      pass: true,
    });
  });

  it('reports the worst window beside the whole run, and judges the whole run', () => {
    const v = judge(sources, { offer: op(150, 0) }, 0, { windowSec: 60, byOp: { offer: { p95_ms: 900 } } }).find(
      (x) => x.objective === 'p95_ms',
    )!;
    expect(v).toMatchObject({ actual: 150, worst_window: 900, window_s: 60, pass: true });
  });
});

describe('one comparison of figures with objectives, for the verdict, the watchdog and the knee', () => {
  it('checks every objective that has a figure, and skips those without', () => {
    const checks = checkSlo(
      { p95_ms: 500, p99_ms: 900, error_rate: 0.01, conflict_rate: 0.3 },
      { p95_ms: 400, p99_ms: 950, error_rate: 0.01 },
    );
    expect(checks).toEqual([
      { objective: 'p95_ms', threshold: 500, actual: 400, pass: true },
      { objective: 'p99_ms', threshold: 900, actual: 950, pass: false },
      { objective: 'error_rate', threshold: 0.01, actual: 0.01, pass: true },
    ]);
  });

  it('takes error and conflict rates from outcome counts with the classifier’s rule', () => {
    expect(
      sloFigures({ success: 70, already_assigned: 20, server_error: 6, timeout: 4 }, { p95: 10, p99: 20 }),
    ).toEqual({ error_rate: 0.1, conflict_rate: 0.2, p95_ms: 10, p99_ms: 20 });
    expect(sloFigures({}, null)).toEqual({});
  });

  it('stops a capacity run on a p99 or conflict-rate breach, as the verdict would judge it', () => {
    const base = { scenario: 'capacity', configSlos: {} };
    const window = { success: 60, already_assigned: 40 };
    const latency = { p50: 50, p90: 100, p95: 120, p99: 900, max: 1000 };
    expect(judgeWindow(rulesFor({ ...base, sloOverrides: {}, profile: 'capacity' }), window, latency)).toBeUndefined();
    expect(
      judgeWindow(rulesFor({ ...base, sloOverrides: { p99_ms: 500 }, profile: 'capacity' }), window, latency),
    ).toBe('p99 900 ms over the SLO 500 ms');
    expect(
      judgeWindow(rulesFor({ ...base, sloOverrides: { conflict_rate: 0.3 }, profile: 'capacity' }), window, latency),
    ).toBe('conflict rate 40.0% over the SLO 30.0%');
    expect(
      judge({ ...base, sloOverrides: { p99_ms: 500 } }, { offer: { ...op(120, 0), latency_ms: latency } }).find(
        (v) => v.objective === 'p99_ms',
      ),
    ).toMatchObject({ pass: false, actual: 900 });
  });
});
