/**
 * The CLI end of the drain channel (src/shared/control.ts): a loopback HTTP server k6 reads through its `url`
 * secret source, and the drain itself: ask k6 to start no more work, wait until the requests in flight have
 * answered (k6's own request count, from its REST API, stops growing), then stop k6.
 */
import { createServer, type Server } from 'node:http';
import { CONTROL_GO, CONTROL_STOP } from '../../shared/control.js';

export interface ControlChannel {
  /** base URL k6's secret source asks (its key is appended) */
  readonly url: string;
  /** from now on, answer "stop" */
  stop(): void;
  close(): Promise<void>;
}

/** Opens the channel on a free loopback port. */
export async function openControl(): Promise<ControlChannel> {
  let stopping = false;
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(stopping ? CONTROL_STOP : CONTROL_GO);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/control`,
    stop: () => void (stopping = true),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface K6Counts {
  readonly requests: number | undefined;
  readonly maxMs: number | undefined;
}

/** k6's request count and slowest request so far, from its REST API; undefined where it cannot tell. */
async function k6Counts(apiPort: number): Promise<K6Counts> {
  const read = async (metric: string): Promise<Record<string, number> | undefined> => {
    const res = await fetch(`http://127.0.0.1:${apiPort}/v1/metrics/${metric}`, {
      signal: AbortSignal.timeout(1000),
    }).catch(() => undefined);
    if (!res?.ok) return undefined;
    const body = (await res.json().catch(() => undefined)) as
      | { data?: { attributes?: { sample?: Record<string, number> } } }
      | undefined;
    return body?.data?.attributes?.sample;
  };
  return { requests: (await read('http_reqs'))?.count, maxMs: (await read('http_req_duration'))?.max };
}

export interface DrainTiming {
  /** a VU asks once a second: by then every VU has seen "stop", ms */
  readonly seenMs: number;
  /** the longest a drain may take (the request timeout and a margin), ms */
  readonly maxMs: number;
  readonly pollMs: number;
}

/**
 * Waits until k6 has stopped starting work and its requests in flight have answered: its request count has
 * not grown for a quiet period as long as one and a half times its slowest request so far (at least a
 * second), or `maxMs` has passed. Resolves with how long it waited, ms.
 */
export async function awaitDrained(apiPort: number, t: DrainTiming, exited: () => boolean): Promise<number> {
  const started = Date.now();
  let last = -1;
  let quietSince = started;
  while (!exited() && Date.now() - started < t.maxMs) {
    await new Promise((r) => setTimeout(r, t.pollMs));
    const now = Date.now();
    const { requests, maxMs } = await k6Counts(apiPort);
    if (requests === undefined) {
      // no count to watch (a run that keeps no metrics): wait out the slowest plausible request instead
      if (now - started >= Math.min(t.maxMs, 5000)) break;
      continue;
    }
    if (requests !== last) {
      last = requests;
      quietSince = now;
    }
    const quietNeeded = Math.min(t.maxMs, Math.max(1000, 1.5 * (maxMs ?? 0)));
    if (now - started >= t.seenMs && now - quietSince >= quietNeeded) break;
  }
  return Date.now() - started;
}
