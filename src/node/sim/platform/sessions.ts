/**
 * Sessions as the platform keeps them (neighbour-apis.md §6). An authenticated request without valid cookies
 * creates a session on the node the load balancer picked (new sessions are spread round-robin) and gets its
 * cookies back: JSESSIONID, glide_user_route, glide_session_store and the load balancer's BIGipServerpool_
 * cookie that keeps it on that node. A request that sends them back reuses the session on its node. A session
 * runs `concurrency` transactions at a time (1; 2 for REST from Yokohama); the rest wait their turn, and past
 * `maxWaiters` (com.glide.request.max_waiters, default 10) a request is ignored: HTTP 202, never run. Idle
 * sessions expire after `idleTimeoutSec` (glide.integration.session_timeout). Creating a session costs
 * service time and memory; the caller pays the time, /sim/stats shows the memory.
 */
import type { SimConfig } from '../config.js';

export interface Session {
  readonly id: string;
  readonly node: number;
  readonly user: string;
  running: number;
  readonly waiting: (() => void)[];
  lastUsed: number;
}

/** The load balancer's stickiness cookie; its value names the node. */
const LB_COOKIE = 'BIGipServerpool_offerload';
const NODE_PREFIX = 'node';

export type Acquired = 'now' | 'busy' | Promise<void>;

/** Two upper-case hex digits per byte value: a session id's random half is spelled from these. */
const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

/** A 48-bit whole number as 12 upper-case hex digits; what `toString(16).padStart(12, '0').toUpperCase()` gives, 6x cheaper. */
function hex48(x: number): string {
  const hi = Math.floor(x / 0x1000000);
  const lo = x - hi * 0x1000000;
  return (
    HEX_BYTE[hi >>> 16]! +
    HEX_BYTE[(hi >>> 8) & 255]! +
    HEX_BYTE[hi & 255]! +
    HEX_BYTE[lo >>> 16]! +
    HEX_BYTE[(lo >>> 8) & 255]! +
    HEX_BYTE[lo & 255]!
  );
}

/** Reads the few cookies the platform cares about from a Cookie header, without a parser per request. */
function cookie(header: string, name: string): string | undefined {
  let at = header.indexOf(`${name}=`);
  while (at > 0 && header[at - 1] !== ' ' && header[at - 1] !== ';') at = header.indexOf(`${name}=`, at + 1);
  if (at < 0) return undefined;
  const from = at + name.length + 1;
  const end = header.indexOf(';', from);
  return header.slice(from, end < 0 ? undefined : end).trim();
}

export class Sessions {
  /** by JSESSIONID, least recently used first (a use moves a session to the end), so expiry sweeps from the front */
  private readonly byId = new Map<string, Session>();
  private nextNode = 0;
  private serial = 0;
  private waitingNow = 0;
  /**
   * Where the last eviction stopped in `byId`'s order. A fresh scan from the front walks every hole the
   * evictions before it left (a Map keeps deleted slots until it rehashes): 20 µs an eviction at 200k
   * sessions. Resuming is the same scan as long as nothing live lies behind the cursor, which holds until
   * an eviction passes over a running session: then the next one starts from the front again.
   */
  private evictCursor: Iterator<Session> | undefined;
  private evictFromFront = true;
  readonly counts = { created: 0, reused: 0, expired: 0, evicted: 0, busy: 0 };

  constructor(
    private readonly config: SimConfig['sessions'],
    private readonly nodes: number,
    private readonly random: () => number,
  ) {}

  private newId(): string {
    // unguessable enough for a simulator, unique by the counter
    return (this.serial++).toString(16).padStart(8, '0') + hex48(Math.floor(this.random() * 2 ** 48));
  }

  /** The node the load balancer sends a request to: the one its stickiness cookie names, else the next in turn. */
  private nodeFor(header: string | undefined): number {
    const lb = header ? cookie(header, LB_COOKIE) : undefined;
    if (lb?.startsWith(NODE_PREFIX)) {
      const n = Number(lb.slice(NODE_PREFIX.length)) - 1;
      if (Number.isInteger(n) && n >= 0 && n < this.nodes) return n;
    }
    return this.nextNode++ % this.nodes;
  }

  /**
   * The session of a request from `user` with this Cookie header: the one it names, if it lives on the node
   * the request lands on and belongs to the user, else a new one (with the Set-Cookie values to send).
   */
  resolve(header: string | undefined, user: string, now: number): { session: Session; setCookies?: string[] } {
    const node = this.nodeFor(header);
    const id = header ? cookie(header, 'JSESSIONID') : undefined;
    const found = id === undefined ? undefined : this.byId.get(id);
    if (
      found &&
      found.node === node &&
      found.user === user &&
      now - found.lastUsed <= this.config.idleTimeoutSec * 1000
    ) {
      this.touch(found, now);
      this.counts.reused++;
      return { session: found };
    }
    if (found && found.running === 0 && now - found.lastUsed > this.config.idleTimeoutSec * 1000)
      this.drop(found, 'expired');
    const session: Session = { id: this.newId(), node, user, running: 0, waiting: [], lastUsed: now };
    this.byId.set(session.id, session);
    this.counts.created++;
    if (this.byId.size > this.config.maxSessions) this.evictOldest();
    const route = `glide.${session.id.toLowerCase().padEnd(32, '0').slice(0, 32)}`;
    return {
      session,
      setCookies: [
        `JSESSIONID=${session.id}; Path=/; HttpOnly`,
        `glide_user_route=${route}; Max-Age=2147483647; Path=/; HttpOnly`,
        `glide_session_store=${session.id}; Max-Age=1800; Path=/; HttpOnly`,
        `${LB_COOKIE}=${NODE_PREFIX}${node + 1}; Path=/`,
      ],
    };
  }

  private touch(session: Session, now: number): void {
    session.lastUsed = now;
    this.byId.delete(session.id);
    this.byId.set(session.id, session);
  }

  private drop(session: Session, why: 'expired' | 'evicted'): void {
    this.byId.delete(session.id);
    this.counts[why]++;
  }

  /** A bound of the simulator, not the platform's: past maxSessions the least recently used idle one goes. */
  private evictOldest(): void {
    if (this.evictFromFront || this.evictCursor === undefined) {
      this.evictCursor = this.byId.values();
      this.evictFromFront = false;
    }
    for (let next = this.evictCursor.next(); !next.done; next = this.evictCursor.next()) {
      const s = next.value;
      if (s.running > 0) {
        this.evictFromFront = true;
        continue;
      }
      this.drop(s, 'evicted');
      return;
    }
    this.evictCursor = undefined;
  }

  /** Takes one of the session's transaction slots: at once, after the running ones (a promise), or 'busy' (202). */
  acquire(session: Session): Acquired {
    if (session.running < this.config.concurrency) {
      session.running++;
      return 'now';
    }
    if (session.waiting.length >= this.config.maxWaiters) {
      this.counts.busy++;
      return 'busy';
    }
    this.waitingNow++;
    return new Promise((resolve) =>
      session.waiting.push(() => {
        this.waitingNow--;
        session.running++;
        resolve();
      }),
    );
  }

  /** Gives the slot back when the transaction's answer is ready; the next waiter runs. */
  release(session: Session, now: number): void {
    session.running--;
    session.lastUsed = now;
    session.waiting.shift()?.();
  }

  /** Expires sessions idle past the timeout (least recently used first, so it stops at the first live one). */
  sweep(now: number): void {
    const limit = this.config.idleTimeoutSec * 1000;
    for (const s of this.byId.values()) {
      if (now - s.lastUsed <= limit) break;
      if (s.running === 0 && s.waiting.length === 0) this.drop(s, 'expired');
    }
  }

  /** Gauges for /sim/stats and offerload_sim. */
  gauges(): { active: number; waiters: number; memory_mb: number } {
    return {
      active: this.byId.size,
      waiters: this.waitingNow,
      memory_mb: Math.round((this.byId.size * this.config.memoryKb) / 102.4) / 10,
    };
  }
}
