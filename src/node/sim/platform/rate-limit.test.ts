/** RateLimiter on explicit clock values (no sleeping): rule precedence, per-user counts, the commit lag, hours, headers and rules. */
import { describe, expect, it } from 'vitest';
import type { SimConfig } from '../config.js';
import { loadSimConfig } from '../settings.js';
import { parseRateRules, RateLimiter, rulesOf, type RateCaller } from './rate-limit.js';

const HOUR = 3_600_000;
/** the top of a clock hour, epoch ms */
const T0 = Date.UTC(2026, 10, 30, 12, 0, 0, 0);
const RESET = String((T0 + HOUR) / 1000);

const alice: RateCaller = { user_name: 'alice', roles: ['awa_integration_user', 'rest_service'] };
const bob: RateCaller = { user_name: 'bob', roles: ['awa_integration_user'] };
const carol: RateCaller = { user_name: 'carol', roles: ['itil'] };

const id = (c: string): string => c.repeat(32);

function limiter(rules: unknown[], opts: Partial<SimConfig['rateLimit']> = {}, nodes = 1): RateLimiter {
  return new RateLimiter(
    { enabled: true, requestsPerHour: 100_000, commitIntervalMs: 0, rules: parseRateRules(rules), ...opts },
    nodes,
  );
}

/** Sends `n` requests and returns whether each was allowed. */
function burst(
  l: RateLimiter,
  n: number,
  at: (i: number) => number,
  caller: RateCaller = alice,
  node: (i: number) => number = () => 0,
  resource = 'offer',
): boolean[] {
  return Array.from({ length: n }, (_, i) => l.check(caller, resource, node(i), at(i))!.allowed);
}
const count = (results: boolean[], value: boolean): number => results.filter((r) => r === value).length;

describe("a '*' rule", () => {
  it('counts each REST resource on its own: a rule limits one resource, so calls to another do not use its budget', () => {
    const l = limiter([{ sys_id: id('f'), scope: 'all', resource: '*', requestsPerHour: 2 }]);
    expect(
      burst(
        l,
        2,
        () => T0,
        alice,
        () => 0,
        'agents',
      ),
    ).toEqual([true, true]);
    expect(
      burst(
        l,
        2,
        () => T0,
        alice,
        () => 0,
        'table',
      ),
    ).toEqual([true, true]);
    expect(l.check(alice, 'agents', 0, T0)!.allowed).toBe(false);
    expect(l.check(alice, 'offer', 0, T0)!.allowed).toBe(true);
  });
});

describe('which rule governs a caller', () => {
  const rules = [
    { sys_id: id('a'), scope: 'all', resource: 'offer', requestsPerHour: 100 },
    { sys_id: id('b'), scope: 'role', role: 'awa_integration_user', resource: 'offer', requestsPerHour: 50 },
    { sys_id: id('c'), scope: 'user', user: 'alice', resource: 'offer', requestsPerHour: 200 },
  ];

  it('lets a single-user rule beat a role rule even when its limit is higher', () => {
    expect(limiter(rules).ruleFor(alice, 'offer')?.sys_id).toBe(id('c'));
  });

  it('lets a role rule beat an all-users rule', () => {
    expect(limiter(rules).ruleFor(bob, 'offer')?.sys_id).toBe(id('b'));
  });

  it('falls back to the all-users rule for a caller no other rule names', () => {
    expect(limiter(rules).ruleFor(carol, 'offer')?.sys_id).toBe(id('a'));
  });

  it('applies the same precedence whatever order the rules are listed in', () => {
    const reversed = limiter([...rules].reverse());
    expect([alice, bob, carol].map((c) => reversed.ruleFor(c, 'offer')?.sys_id)).toEqual([id('c'), id('b'), id('a')]);
  });

  it.each([
    ['listed first', [40, 30]],
    ['listed second', [30, 40]],
  ])('takes the lower limit of two matching role rules when the lower one is %s', (_, [first, second]) => {
    const l = limiter([
      { scope: 'role', role: 'rest_service', resource: 'offer', requestsPerHour: first },
      { scope: 'role', role: 'awa_integration_user', resource: 'offer', requestsPerHour: second },
    ]);
    expect(l.ruleFor(alice, 'offer')?.requestsPerHour).toBe(30);
    expect(l.check(alice, 'offer', 0, T0)?.headers['X-RateLimit-Limit']).toBe('30');
    // bob holds only awa_integration_user, so only that rule matches him
    expect(l.ruleFor(bob, 'offer')?.requestsPerHour).toBe(second);
  });

  it('does not apply a rule for another resource', () => {
    const l = limiter([{ scope: 'user', user: 'alice', resource: 'table', requestsPerHour: 1 }]);
    expect(l.ruleFor(alice, 'offer')).toBeUndefined();
    expect(l.check(alice, 'offer', 0, T0)).toBeUndefined();
    expect(l.check(alice, 'table', 0, T0)?.allowed).toBe(true);
    expect(l.check(alice, 'table', 0, T0)?.allowed).toBe(false);
    expect(l.counts).toEqual({ allowed: 1, denied: 1 });
  });

  it("applies a '*' rule to every resource, and one with no resource given is '*'", () => {
    const l = limiter([{ sys_id: id('d'), scope: 'all', requestsPerHour: 9 }]);
    const resources = ['offer', 'interaction', 'agents', 'inbox', 'consult', 'table'];
    expect(resources.map((r) => l.ruleFor(carol, r)?.sys_id)).toEqual(resources.map(() => id('d')));
  });

  it("prefers a resource's own user rule over a '*' all-users rule, and the '*' rule elsewhere", () => {
    const l = limiter([
      { sys_id: id('e'), scope: 'all', resource: '*', requestsPerHour: 9 },
      { sys_id: id('f'), scope: 'user', user: 'alice', resource: 'table', requestsPerHour: 5 },
    ]);
    expect(l.ruleFor(alice, 'table')?.sys_id).toBe(id('f'));
    expect(l.ruleFor(alice, 'offer')?.sys_id).toBe(id('e'));
  });

  it('uses one all-users rule over every resource when no rules are given', () => {
    const [rule, ...rest] = rulesOf({ enabled: true, requestsPerHour: 7200, commitIntervalMs: 0, rules: [] });
    expect(rest).toEqual([]);
    expect(rule).toMatchObject({ scope: 'all', resource: '*', requestsPerHour: 7200 });
    expect(rule!.sys_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('limits nothing when rate limiting is off', () => {
    const l = limiter([{ scope: 'all', requestsPerHour: 0 }], { enabled: false });
    expect(l.check(alice, 'offer', 0, T0)).toBeUndefined();
    expect(l.counts).toEqual({ allowed: 0, denied: 0 });
  });
});

describe('counting', () => {
  it('gives each user under an all-users rule a budget of their own', () => {
    const l = limiter([{ scope: 'all', resource: 'offer', requestsPerHour: 3 }]);
    expect(burst(l, 4, () => T0, alice)).toEqual([true, true, true, false]);
    expect(burst(l, 4, () => T0 + 1000, bob)).toEqual([true, true, true, false]);
    expect(l.counts).toEqual({ allowed: 6, denied: 2 });
  });

  it('with commitIntervalMs 0 allows exactly the limit, even all at the same instant', () => {
    const l = limiter([{ scope: 'all', resource: 'offer', requestsPerHour: 10 }]);
    const results = burst(l, 25, () => T0 + 5000);
    expect(results.slice(0, 10)).toEqual(Array(10).fill(true));
    expect(count(results, false)).toBe(15);
  });

  it('refuses the first request under a limit of 0', () => {
    expect(limiter([{ scope: 'all', requestsPerHour: 0 }]).check(alice, 'offer', 0, T0)?.allowed).toBe(false);
  });

  it('lets a burst inside one commit interval overshoot the limit, and refuses from the next commit on with Retry-After to the hour', () => {
    const l = limiter([{ scope: 'all', resource: 'offer', requestsPerHour: 10 }], { commitIntervalMs: 30_000 });
    // 25 requests from 1 s to 25 s into the hour: one commit interval, nothing committed yet
    expect(
      count(
        burst(l, 25, (i) => T0 + 1000 + i * 1000),
        true,
      ),
    ).toBe(25);
    const next = l.check(alice, 'offer', 0, T0 + 30_000)!;
    expect(next.allowed).toBe(false);
    expect(next.headers['Retry-After']).toBe(String(3600 - 30));
    expect(next.detail).toBe('Rate limit of 10 requests per hour for AWA Offer Work API exceeded');
    expect(l.counts).toEqual({ allowed: 25, denied: 1 });
  });

  it('still allows the last millisecond of the interval, before the commit', () => {
    const l = limiter([{ scope: 'all', resource: 'offer', requestsPerHour: 10 }], { commitIntervalMs: 30_000 });
    expect(
      count(
        burst(l, 12, () => T0),
        true,
      ),
    ).toBe(12);
    expect(l.check(alice, 'offer', 0, T0 + 29_999)!.allowed).toBe(true);
    expect(l.check(alice, 'offer', 0, T0 + 30_000)!.allowed).toBe(false);
  });

  it('adds the counts of every node at commit: 6 on each of two nodes exceed a limit of 10 that neither reached alone', () => {
    const l = limiter([{ scope: 'all', resource: 'offer', requestsPerHour: 10 }], { commitIntervalMs: 30_000 }, 2);
    expect(
      count(
        burst(
          l,
          12,
          (i) => T0 + i * 100,
          alice,
          (i) => i % 2,
        ),
        true,
      ),
    ).toBe(12);
    expect(l.check(alice, 'offer', 1, T0 + 30_000)!.allowed).toBe(false);
    expect(l.check(alice, 'offer', 0, T0 + 30_001)!.allowed).toBe(false);
  });

  it('keeps allowing when the nodes together stay under the limit: 4 and 5 of 10', () => {
    const l = limiter([{ scope: 'all', resource: 'offer', requestsPerHour: 10 }], { commitIntervalMs: 30_000 }, 2);
    burst(
      l,
      4,
      () => T0,
      alice,
      () => 0,
    );
    burst(
      l,
      5,
      () => T0,
      alice,
      () => 1,
    );
    expect(l.check(alice, 'offer', 1, T0 + 30_000)!.allowed).toBe(true);
    // that one made 10, committed at the next interval
    expect(l.check(alice, 'offer', 0, T0 + 60_000)!.allowed).toBe(false);
  });

  it('adds the nodes at once with commitIntervalMs 0: the 11th request is refused on either node', () => {
    const l = limiter([{ scope: 'all', resource: 'offer', requestsPerHour: 10 }], {}, 2);
    expect(
      count(
        burst(
          l,
          10,
          () => T0,
          alice,
          (i) => i % 2,
        ),
        true,
      ),
    ).toBe(10);
    expect(l.check(alice, 'offer', 0, T0)!.allowed).toBe(false);
    expect(l.check(alice, 'offer', 1, T0)!.allowed).toBe(false);
  });

  it('zeroes the counts when a new clock hour begins, and moves X-RateLimit-Reset on by an hour', () => {
    const l = limiter([{ scope: 'all', resource: 'offer', requestsPerHour: 3 }]);
    expect(burst(l, 3, () => T0 + HOUR - 2000)).toEqual([true, true, true]);
    const denied = l.check(alice, 'offer', 0, T0 + HOUR - 1000)!;
    expect(denied.allowed).toBe(false);
    expect(denied.headers['Retry-After']).toBe('1');
    expect(denied.headers['X-RateLimit-Reset']).toBe(RESET);
    const fresh = l.check(alice, 'offer', 0, T0 + HOUR)!;
    expect(fresh.allowed).toBe(true);
    expect(fresh.headers['X-RateLimit-Reset']).toBe(String((T0 + 2 * HOUR) / 1000));
    expect(burst(l, 3, () => T0 + HOUR + 1000)).toEqual([true, true, false]);
  });

  it('zeroes the overshoot of a burst at the hour too, with a commit interval', () => {
    const l = limiter([{ scope: 'all', resource: 'offer', requestsPerHour: 10 }], { commitIntervalMs: 30_000 });
    expect(
      count(
        burst(l, 20, () => T0 + HOUR - 20_000),
        true,
      ),
    ).toBe(20);
    expect(l.check(alice, 'offer', 0, T0 + HOUR)!.allowed).toBe(true);
  });
});

describe('what an answer carries', () => {
  it('sends the limit, the next reset in UNIX seconds and the given sys_id of the rule', () => {
    const l = limiter([{ sys_id: id('9'), scope: 'all', resource: 'offer', requestsPerHour: 42 }]);
    expect(l.check(alice, 'offer', 0, T0 + 90_000)).toEqual({
      allowed: true,
      headers: { 'X-RateLimit-Limit': '42', 'X-RateLimit-Reset': RESET, 'X-RateLimit-Rule': id('9') },
    });
  });

  it('makes a stable 32-hex sys_id from the content of a rule that names none', () => {
    const rule = { scope: 'role', role: 'rest_service', resource: 'offer', requestsPerHour: 5 };
    const [one] = parseRateRules([rule]);
    const [again] = parseRateRules([{ requestsPerHour: 5, resource: 'offer', role: 'rest_service', scope: 'role' }]);
    const [other] = parseRateRules([{ ...rule, requestsPerHour: 6 }]);
    expect(one!.sys_id).toMatch(/^[0-9a-f]{32}$/);
    expect(again!.sys_id).toBe(one!.sys_id);
    expect(other!.sys_id).not.toBe(one!.sys_id);
    expect(limiter([rule]).check(alice, 'offer', 0, T0)?.headers['X-RateLimit-Rule']).toBe(one!.sys_id);
  });

  it.each([
    ['offer', 'AWA Offer Work API'],
    ['interaction', 'Interaction Management API'],
    ['agents', 'AWA Agent API'],
    ['inbox', 'AWA Inbox Actions API'],
    ['consult', 'AWA Agent Consult API'],
    ['table', 'Table API'],
  ])('names the API of resource %s in the denial: %s', (resource, api) => {
    const l = limiter([{ scope: 'all', resource, requestsPerHour: 1 }]);
    expect(l.check(alice, resource, 0, T0)?.allowed).toBe(true);
    const denied = l.check(alice, resource, 0, T0 + 600_000)!;
    expect(denied.allowed).toBe(false);
    expect(denied.detail).toBe(`Rate limit of 1 requests per hour for ${api} exceeded`);
    expect(denied.headers['Retry-After']).toBe('3000');
  });
});

describe('reading rules', () => {
  it('reads a rule list with its defaults', () => {
    expect(
      parseRateRules([
        { sys_id: id('1'), scope: 'user', user: 'alice', resource: 'table', requestsPerHour: 100 },
        { scope: 'all', requestsPerHour: 5 },
      ]),
    ).toEqual([
      { sys_id: id('1'), scope: 'user', user: 'alice', resource: 'table', requestsPerHour: 100 },
      { sys_id: expect.stringMatching(/^[0-9a-f]{32}$/), scope: 'all', resource: '*', requestsPerHour: 5 },
    ]);
  });

  it.each([
    ['a value that is not a list', { scope: 'all' }, 'expected a JSON list of rules, got {"scope":"all"}'],
    [
      'an unknown scope',
      [{ scope: 'group', requestsPerHour: 1 }],
      'rule 1: scope must be one of user, role, all, got "group"',
    ],
    ['a missing scope', [{ requestsPerHour: 1 }], 'rule 1: scope must be one of user, role, all, got undefined'],
    [
      'a user rule without user',
      [{ scope: 'user', requestsPerHour: 1 }],
      'rule 1: a user rule needs "user" (a user_name)',
    ],
    [
      'a role rule without role',
      [{ scope: 'role', user: 'alice', requestsPerHour: 1 }],
      'rule 1: a role rule needs "role" (a role name)',
    ],
    [
      'a negative limit',
      [{ scope: 'all', requestsPerHour: -1 }],
      'rule 1: requestsPerHour must be a whole number >= 0, got -1',
    ],
    [
      'a fractional limit',
      [{ scope: 'all', requestsPerHour: 1.5 }],
      'rule 1: requestsPerHour must be a whole number >= 0, got 1.5',
    ],
    [
      'a limit given as text',
      [{ scope: 'all', requestsPerHour: '10' }],
      'rule 1: requestsPerHour must be a whole number >= 0, got "10"',
    ],
    [
      'an empty resource',
      [{ scope: 'all', resource: '', requestsPerHour: 1 }],
      'rule 1: resource must be a route name or "*", got ""',
    ],
    [
      'a short sys_id',
      [{ scope: 'all', requestsPerHour: 1, sys_id: 'abc123' }],
      'rule 1: sys_id must be 32 lowercase hex characters',
    ],
    [
      'an upper-case sys_id',
      [{ scope: 'all', requestsPerHour: 1, sys_id: 'A'.repeat(32) }],
      'rule 1: sys_id must be 32 lowercase hex characters',
    ],
    [
      'a bad second rule',
      [
        { scope: 'all', requestsPerHour: 1 },
        { scope: 'role', requestsPerHour: 1 },
      ],
      'rule 2: a role rule needs "role" (a role name)',
    ],
    ['a rule that is not an object', ['all'], 'rule 1: scope must be one of user, role, all, got undefined'],
  ])('refuses %s', (_, value, message) => {
    expect(() => parseRateRules(value)).toThrow(new Error(message));
  });
});

describe('the rateLimit.rules setting', () => {
  it('reads a JSON list of rules from --rateLimit.rules', () => {
    const config = loadSimConfig({
      flags: {
        'rateLimit.enabled': 'true',
        'rateLimit.rules': JSON.stringify([
          { sys_id: id('7'), scope: 'role', role: 'rest_service', resource: 'offer', requestsPerHour: 12 },
          { scope: 'all', requestsPerHour: 3 },
        ]),
      },
    });
    expect(config.rateLimit.rules).toEqual([
      { sys_id: id('7'), scope: 'role', role: 'rest_service', resource: 'offer', requestsPerHour: 12 },
      { sys_id: expect.stringMatching(/^[0-9a-f]{32}$/), scope: 'all', resource: '*', requestsPerHour: 3 },
    ]);
    expect(new RateLimiter(config.rateLimit, 1).check(alice, 'offer', 0, T0)?.headers['X-RateLimit-Rule']).toBe(
      id('7'),
    );
  });

  it('refuses a bad rule naming --rateLimit.rules and the rule', () => {
    expect(() => loadSimConfig({ flags: { 'rateLimit.rules': '[{"scope":"all","requestsPerHour":-5}]' } })).toThrow(
      'invalid --rateLimit.rules: rule 1: requestsPerHour must be a whole number >= 0, got -5',
    );
  });

  it('refuses text that is not JSON naming --rateLimit.rules and the expected shape', () => {
    expect(() => loadSimConfig({ flags: { 'rateLimit.rules': 'all:100' } })).toThrow(
      /^invalid --rateLimit\.rules: expected a JSON list of \{scope: user\|role\|all, .*got "all:100"$/,
    );
  });
});
