/**
 * One timeout-sweep iteration: offer with a grid point's timeout, routing delay and skew, then follow the
 * work item through the Table API (as on a real instance) until it is accepted, rejected or expired.
 */
import { sleep } from 'k6';
import { MEASUREMENTS } from '../shared/measurements.js';
import { Counter, Trend } from 'k6/metrics';
import type { PoolEntry } from '../shared/pool.js';
import {
  DEFAULT_SWEEP,
  FATES,
  fateSubmetric,
  skewFateSubmetric,
  sweepOfferOp,
  timeToAcceptSubmetric,
  type Fate,
  type Sweep,
  type SweepPoint,
} from '../shared/sweep.js';
import { K6_ENV } from '../shared/k6-contract.js';
import { formatOfferedOn } from '../shared/time.js';
import type { RunConfig } from './config.js';
import { sendOffer } from './offer.js';
import { send } from './request.js';

/** What became of each offer, by grid point. */
export const fates = new Counter(MEASUREMENTS.offerFates);
/** From the offer's answer to the first read that saw it accepted, ms (resolution: the poll interval). */
export const timeToAccept = new Trend(MEASUREMENTS.timeToAccept, true);

const POLL_SEC = 0.5;
/** How long after the deadline a work item is still read, seconds. */
const GRACE_SEC = 2;

type Row = Record<string, string> | undefined;

/** The fate a work item row shows, or undefined while it is still out. */
export function fateOf(row: Row): Fate | undefined {
  if (!row) return undefined;
  if (row.state === 'accepted') return 'accepted';
  if (row.timed_out === 'true') return 'expired';
  if (row.rejected === 'true') return 'rejected';
  if (row.state === 'pending_accept') return undefined;
  return 'unresolved';
}

export function sweepIteration(cfg: RunConfig, headers: Record<string, string>, e: PoolEntry, p: SweepPoint): Fate {
  const tags = { timeout: String(p.timeout), delay_ms: String(p.delayMs), skew_ms: String(p.skewMs) };
  const offeredOn = formatOfferedOn(Date.now() - p.delayMs + p.skewMs);
  const offered = sendOffer(cfg, headers, e, {
    op: sweepOfferOp(p),
    assignment: { timeout: p.timeout, offered_on: offeredOn, enable_auto_assign: false, allowed_to_decline: true },
  });
  const item = offered.workItem;
  let fate: Fate | undefined =
    offered.outcome === 'success' && item
      ? undefined
      : p.skewMs !== 0 && offered.outcome === 'offered_on_future'
        ? 'skew_refused'
        : 'refused';
  const started = Date.now();
  const deadline = started + (p.timeout + GRACE_SEC) * 1000;
  while (fate === undefined && Date.now() < deadline) {
    sleep(POLL_SEC);
    const read = send(cfg, headers, 'read_work_item', 'GET', `/api/now/table/awa_work_item/${item}`);
    fate = fateOf(read.json?.result as Row);
    if (fate === 'accepted') timeToAccept.add(Date.now() - started, tags);
  }
  const final = fate ?? 'unresolved';
  fates.add(1, { ...tags, fate: final });
  return final;
}

/** The run's sweep grid, as the CLI hands it on (K6_ENV.sweep); the default grid without one. */
export function readSweep(): Sweep {
  const raw = __ENV[K6_ENV.sweep];
  return raw ? (JSON.parse(raw) as Sweep) : DEFAULT_SWEEP;
}

/** Per-timeout fate and time-to-accept submetrics in the end-of-test data, for summary.json. */
export function sweepThresholds(sweep: Sweep): Record<string, string[]> {
  const thresholds: Record<string, string[]> = {};
  for (const t of sweep.timeouts) for (const fate of FATES) thresholds[fateSubmetric(t, fate)] = ['count>=0'];
  for (const t of sweep.timeouts) thresholds[timeToAcceptSubmetric(t)] = ['max>=0'];
  for (const skew of sweep.skewsMs) for (const fate of FATES) thresholds[skewFateSubmetric(skew, fate)] = ['count>=0'];
  return thresholds;
}
