import { describe, expect, it } from 'vitest';
import type { Fixtures } from '../../shared/api.js';
import { fixtureNeeds, shortfall } from './fixture-needs.js';
import { planRun } from './plan.js';

const fixtures = (agents: number, queues: number, documents: number): Fixtures => ({
  agents: Array.from({ length: agents }, (_, i) => ({ sys_id: `a${i}`, name: `a${i}`, presence: 'Available' })),
  queues: Array.from({ length: queues }, (_, i) => ({ sys_id: `q${i}`, name: `q${i}`, external_id: null })),
  documents: Array.from({ length: documents }, (_, i) => ({
    sys_id: `d${i}`,
    table: 'interaction',
    number: `IMS${i}`,
  })),
  presence_states: [
    { sys_id: 'p1', name: 'Available', available: true },
    { sys_id: 'p2', name: 'Away', available: false },
  ],
});

describe('fixture needs', () => {
  it('asks two agents of a contention plan and two queues of a transfer-mix plan', () => {
    const contention = planRun({ profile: 'smoke', 'no-influx': true }, ['contention'], {});
    expect(fixtureNeeds(contention, fixtures(1, 1, 30), 21).map((n) => [n.kind, n.needed, n.found])).toEqual([
      ['agents', 2, 1],
      ['queues', 1, 1],
      ['documents', 21, 30],
      ['presence states', 2, 2],
    ]);
    const transfers = planRun({ profile: 'smoke', 'no-influx': true }, ['transfer-mix'], {});
    expect(fixtureNeeds(transfers, fixtures(2, 1, 0), 0).find((n) => n.kind === 'queues')).toMatchObject({
      needed: 2,
      found: 1,
    });
  });

  it('names each shortfall with both numbers and what to do, and nothing when the plan fits', () => {
    const plan = planRun({ profile: 'smoke', 'no-influx': true }, ['offer-burst'], {});
    expect(shortfall(plan, fixtures(3, 2, 5), 21)).toBe(
      'the plan (offer-burst, smoke, 2/s for 10 s) needs 21 documents and the fixtures hold 5: create more active interactions (the Interaction API), shorten the run or lower the rate',
    );
    expect(shortfall(plan, fixtures(3, 2, 21), 21)).toBeUndefined();
  });
});
