/** Sends one Offer Work request and records what came back. */
import http from 'k6/http';
import { offerPath } from '../shared/api.js';
import { classify, type Outcome } from '../shared/outcome.js';
import { offerBody, type PoolEntry } from '../shared/pool.js';
import type { RunConfig } from './config.js';
import { record } from './metrics.js';

/** Request headers shared by every request of a run. */
export function baseHeaders(cfg: RunConfig): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
    // Lets the simulator count what it received per run; harmless to a real instance.
    'X-Offerload-Testid': cfg.testid,
  };
  if (cfg.auth.header) headers.Authorization = cfg.auth.header;
  return headers;
}

/** Offers the entry's document to its agent; returns the outcome. */
export function sendOffer(cfg: RunConfig, headers: Record<string, string>, entry: PoolEntry): Outcome {
  const url = cfg.target + offerPath(entry.table, entry.document, cfg.apiVersion);
  const res = http.post(url, JSON.stringify(offerBody(entry, Date.now())), {
    headers,
    timeout: cfg.requestTimeout,
    // name every request: the URL holds a sys_id and must never become a tag value
    tags: { name: 'offer', op: 'offer' },
    responseCallback: http.expectedStatuses(200, 409),
  });
  const outcome = classify({
    status: res.status,
    body: typeof res.body === 'string' ? res.body : null,
    contentType: res.headers['Content-Type'] ?? null,
    errorCode: res.error_code,
  });
  record('offer', outcome, res.timings.duration);
  return outcome;
}
