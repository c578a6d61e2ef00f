import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry, offerBody, poolFileEntries, poolFileText, readPoolFile } from '../../shared/pool.js';
import { formatOfferedOn } from '../../shared/time.js';
import { DEFAULT_SIM_CONFIG } from '../sim/config.js';
import { publicFixtures, seedWorld } from '../sim/platform/fixtures.js';
import { buildPool, DEFAULT_POOL_OPTIONS } from './pool.js';

const fixtures = publicFixtures(
  seedWorld({ ...DEFAULT_SIM_CONFIG, fixtures: { ...DEFAULT_SIM_CONFIG.fixtures, documents: 300 } }),
);
const pool = buildPool(fixtures, { ...DEFAULT_POOL_OPTIONS, size: 2000 });
const SEGMENT =
  /^([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|CA[0-9a-f]{32}|[1-9]\d{9,18}|segment_[0-9a-f]{32})$/;

describe('offer pool', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(buildPool(fixtures, { ...DEFAULT_POOL_OPTIONS, size: 2000 })).toEqual(pool);
    expect(buildPool(fixtures, { ...DEFAULT_POOL_OPTIONS, seed: 7, size: 2000 }).entries[0]).not.toEqual(
      pool.entries[0],
    );
  });

  it('uses CCaaS segment id formats', () => {
    for (const e of pool.entries) expect(e.segment).toMatch(SEGMENT);
    const kinds = new Set(
      pool.entries.map((e) =>
        e.segment.startsWith('CA')
          ? 'twilio'
          : e.segment.startsWith('segment_')
            ? 'ref'
            : e.segment.includes('-')
              ? 'uuid'
              : 'numeric',
      ),
    );
    expect(kinds.size).toBe(4);
  });

  it('mixes auto-assign and timeouts near the configured shares', () => {
    const auto = pool.entries.filter((e) => e.autoAssign).length / pool.entries.length;
    expect(auto).toBeGreaterThan(0.15);
    expect(auto).toBeLessThan(0.25);
    expect(pool.entries.filter((e) => e.autoAssign && e.timeout !== null)).toHaveLength(0);
    expect(new Set(pool.entries.map((e) => e.timeout))).toEqual(new Set([20, 30, 45, 60, null]));
  });

  it('walks every document before reusing one, apart from deliberate re-offers', () => {
    const first = new Set(pool.entries.slice(0, 300).map((e) => e.document));
    expect(first.size).toBeGreaterThan(270);
    const reoffers = pool.entries.length - new Set(pool.entries.slice(0, 300).map((e) => e.document)).size;
    expect(reoffers).toBeGreaterThan(0);
  });

  it('draws realistic routing delays: median near the configured one, capped at 5 s', () => {
    const delays = pool.entries.map((e) => e.routingDelayMs).sort((a, b) => a - b);
    const median = delays[Math.floor(delays.length / 2)]!;
    expect(median).toBeGreaterThan(280);
    expect(median).toBeLessThan(420);
    expect(delays.at(-1)!).toBeLessThanOrEqual(5000);
  });

  it('refuses fixtures without documents', () => {
    expect(() => buildPool({ ...fixtures, documents: [] }, { ...DEFAULT_POOL_OPTIONS, size: 10 })).toThrow(
      'at least one document',
    );
  });
});

describe('offerBody', () => {
  const base = pool.entries.find((e) => e.timeout !== null && !e.autoAssign)!;

  it('sets offered_on to the routing delay before the send time, only when a timeout is given', () => {
    const now = Date.UTC(2026, 10, 30, 12, 0, 0, 0);
    const body = offerBody(base, now);
    expect(body.assignment!.offered_on).toBe(formatOfferedOn(now - base.routingDelayMs));
    expect(body.assignment!.timeout).toBe(base.timeout);
    expect(offerBody({ ...base, timeout: null }, now).assignment!.offered_on).toBeUndefined();
  });

  it('writes booleans as strings or JSON booleans per entry', () => {
    expect(offerBody({ ...base, booleans: 'string', autoAssign: false }, 0).assignment!.enable_auto_assign).toBe(
      'false',
    );
    expect(offerBody({ ...base, booleans: 'json', autoAssign: true }, 0).assignment!.enable_auto_assign).toBe(true);
  });
});

describe('pool file', () => {
  it('reads back every entry exactly as built, nulls and booleans included', () => {
    const back = readPoolFile(poolFileText(pool), 'pool.json');
    expect(back.entries).toHaveLength(2000);
    expect(back).toEqual(pool);
    // the round trip covers each nullable field both ways
    expect(pool.entries.some((e) => e.timeout === null) && pool.entries.some((e) => e.timeout !== null)).toBe(true);
    expect(
      pool.entries.some((e) => e.displayOption === null) && pool.entries.some((e) => e.displayOption !== null),
    ).toBe(true);
    expect(pool.entries.some((e) => e.afterTimeoutPresence !== null)).toBe(true);
  });

  it('keeps each entry a single compact string', () => {
    const e = encodeEntry(pool.entries[0]!);
    expect(e.split('\t')).toHaveLength(19);
    expect(decodeEntry(e)).toEqual(pool.entries[0]);
  });

  it.each([
    [
      'a separator inside a value',
      { subject: 'a\tb' },
      /invalid pool entry field subject: expected a value without a tab/,
    ],
    ['an empty document', { document: '' }, /invalid pool entry field document/],
    ['an empty display option', { displayOption: '' }, /invalid pool entry field displayOption/],
  ])('refuses %s', (_, change, message) => {
    expect(() => encodeEntry({ ...pool.entries[0]!, ...change })).toThrow(message);
  });

  it('refuses a file of another format with one line naming it', () => {
    const old = JSON.stringify({ seed: 1, entries: pool.entries.slice(0, 2) });
    expect(() => poolFileEntries(old, 'old.json')).toThrow(
      /^invalid pool file old\.json: expected format offerload-pool\/2/,
    );
    expect(poolFileEntries(poolFileText({ seed: 1, entries: pool.entries.slice(0, 3) }), 'new.json')).toHaveLength(3);
  });
});
