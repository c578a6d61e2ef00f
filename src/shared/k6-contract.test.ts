import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SEED,
  freshDocumentsFor,
  K6_ENV,
  k6Env,
  MAX_POOL_ENTRIES,
  poolSizeFor,
  runTags,
} from './k6-contract.js';

const run = {
  target: 'http://127.0.0.1:9',
  testid: 't1',
  profile: 'smoke',
  params: { rate: 5, durationSec: 30 },
  poolPath: '/tmp/pool.json',
  summaryPath: '',
  scenario: 'offer-burst',
  sweep: { timeouts: [10], delaysMs: [0], skewsMs: [0] },
  requestTimeoutSec: 60,
  sessions: 'reuse' as const,
  insecureSkipTlsVerify: false,
};

describe('the k6 contract', () => {
  it('gives a bundle the documented default seed (42) when the plan names none, as the k6 side falls back to', () => {
    expect(DEFAULT_SEED).toBe(42);
    expect(k6Env(run)[K6_ENV.seed]).toBe('42');
    expect(k6Env({ ...run, params: { ...run.params, seed: 7 } })[K6_ENV.seed]).toBe('7');
  });

  it('sizes the pool to the plan, 5% and 100 over, at most MAX_POOL_ENTRIES, for the run and the operator alike', () => {
    expect(poolSizeFor(1000)).toBe(1150);
    expect(poolSizeFor(10_000_000)).toBe(MAX_POOL_ENTRIES);
    expect(freshDocumentsFor(1000)).toBe(1050);
  });

  it('writes only what applies: no sweep outside timeout-sweep, no summary path when none, TLS skipping only when asked', () => {
    const env = k6Env(run);
    expect(Object.keys(env).sort()).toEqual(
      [
        K6_ENV.target,
        K6_ENV.testid,
        K6_ENV.profile,
        K6_ENV.rate,
        K6_ENV.duration,
        K6_ENV.seed,
        K6_ENV.requestTimeout,
        K6_ENV.sessions,
        K6_ENV.pool,
      ].sort(),
    );
    const sweep = k6Env({ ...run, scenario: 'timeout-sweep', summaryPath: '/tmp/s.json', insecureSkipTlsVerify: true });
    expect(JSON.parse(sweep[K6_ENV.sweep]!)).toEqual(run.sweep);
    expect(sweep[K6_ENV.summary]).toBe('/tmp/s.json');
    expect(sweep.K6_INSECURE_SKIP_TLS_VERIFY).toBe('true');
    expect(Object.values(env).join(' ')).not.toMatch(/PASSWORD|TOKEN/);
  });

  it("puts the run's identity after the user's tags, so a --tag can never replace it", () => {
    expect(
      runTags({
        testid: 't',
        profile: 'p',
        targetLabel: 'sim',
        versionLabel: 'v',
        extraTags: { team: 'ops', testid: 'spoof' },
      }),
    ).toEqual({ team: 'ops', testid: 't', profile: 'p', target: 'sim', version: 'v' });
  });
});
