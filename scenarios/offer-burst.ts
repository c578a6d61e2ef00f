/**
 * offer-burst: new assignments arriving in bursts, as when a queue floods at shift change.
 * An open model (arrival rate), so a slow target shows as latency and dropped iterations, not a lower rate.
 */
import encoding from 'k6/encoding';
import { readConfig } from '../src/k6/config.js';
import { loadPool, nextEntry } from '../src/k6/data.js';
import { summaryThresholds } from '../src/k6/metrics.js';
import { baseHeaders, sendOffer } from '../src/k6/offer.js';
import { summaryFiles } from '../src/k6/summary.js';
import { k6Scenario } from '../src/shared/profiles.js';

const cfg = readConfig((s) => encoding.b64encode(s));
const pool = loadPool(cfg.poolPath);
const headers = baseHeaders(cfg);

export const options = {
  scenarios: { 'offer-burst': k6Scenario(cfg.profile, cfg.params) },
  thresholds: summaryThresholds(['offer']),
  summaryTrendStats: ['min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max', 'count'],
};

export default function (): void {
  sendOffer(cfg, headers, nextEntry(pool));
}

export function handleSummary(data: unknown): Record<string, string> {
  return summaryFiles(data, cfg.summaryPath);
}
