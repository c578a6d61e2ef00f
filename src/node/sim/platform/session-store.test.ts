/** Sessions as a store, without HTTP: the ids they are given, and which one goes past maxSessions (against a plain list model). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIM_CONFIG } from '../config.js';
import { seededRandom } from './random.js';
import { Sessions, type Session } from './sessions.js';

const NODE_COOKIE = 'BIGipServerpool_offerload';
const cookieOf = (s: Session): string => `JSESSIONID=${s.id}; ${NODE_COOKIE}=node${s.node + 1}`;

describe('session ids', () => {
  it('spells an id as the serial in 8 hex digits, then 48 random bits in 12 upper-case hex digits drawn from the seed', () => {
    const sessions = new Sessions(DEFAULT_SIM_CONFIG.sessions, 1, seededRandom(3));
    const dice = seededRandom(3);
    for (let serial = 0; serial < 2000; serial++) {
      const expected =
        serial.toString(16).padStart(8, '0') +
        Math.floor(dice() * 2 ** 48)
          .toString(16)
          .padStart(12, '0')
          .toUpperCase();
      expect(sessions.resolve(undefined, 'u', 0).session.id).toBe(expected);
    }
  });
});

describe('session eviction', () => {
  it('evicts the least recently used idle session, passes over running ones and evicts them first once idle', () => {
    const config = { ...DEFAULT_SIM_CONFIG.sessions, maxSessions: 5, idleTimeoutSec: 1_000_000 };
    const sessions = new Sessions(config, 2, seededRandom(7));
    const dice = seededRandom(11);
    // the model: live sessions, least recently used first
    let model: Session[] = [];
    const running: Session[] = [];
    for (let step = 0; step < 5000; step++) {
      const roll = dice();
      if (roll < 0.4 && model.length > 0) {
        // a request that sends a live session's cookies back reuses it and makes it the most recent
        const s = model[Math.floor(dice() * model.length)]!;
        const { session, setCookies } = sessions.resolve(cookieOf(s), 'u', step);
        expect(setCookies).toBeUndefined();
        expect(session).toBe(s);
        model = [...model.filter((m) => m !== s), s];
      } else if (roll < 0.55 && model.length > 0) {
        const s = model[Math.floor(dice() * model.length)]!;
        if (sessions.acquire(s) === 'now') running.push(s);
      } else if (roll < 0.7 && running.length > 0) {
        sessions.release(running.splice(Math.floor(dice() * running.length), 1)[0]!, step);
      } else {
        const { session, setCookies } = sessions.resolve(undefined, 'u', step);
        expect(setCookies).toHaveLength(4);
        model.push(session);
        if (model.length > config.maxSessions) {
          const victim = model.find((m) => m.running === 0);
          if (victim) model = model.filter((m) => m !== victim);
        }
      }
      expect(sessions.gauges().active).toBe(model.length);
    }
    // every session the model keeps is still known: its cookies reuse it
    for (const s of [...model]) expect(sessions.resolve(cookieOf(s), 'u', 5000).setCookies).toBeUndefined();
    expect(sessions.counts.evicted).toBeGreaterThan(1000);
  });
});
