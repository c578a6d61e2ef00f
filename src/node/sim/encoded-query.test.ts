/** Encoded queries: every operator, the three joins, ordering, and what happens to clauses the table cannot read. */
import { describe, expect, it } from 'vitest';
import { matches, OPERATORS, orderRows, parseEncodedQuery } from './table/encoded-query.js';

type Row = Record<string, string>;
const ROWS: Row[] = [
  {
    sys_id: 'a1',
    name: 'Billing - Voice',
    state: 'queued',
    assigned_to: '',
    offer_count: '2',
    'role.name': 'awa_agent',
  },
  {
    sys_id: 'b2',
    name: 'Sales - Chat',
    state: 'pending_accept',
    assigned_to: 'u1',
    offer_count: '10',
    'role.name': 'awa_external_user',
  },
  {
    sys_id: 'c3',
    name: 'Billing - Chat',
    state: 'accepted',
    assigned_to: 'u2',
    offer_count: '1',
    'role.name': 'awa_agent',
  },
  { sys_id: 'd4', name: 'Returns - Email', state: 'canceled', assigned_to: '', offer_count: '3', 'role.name': 'itil' },
];
const isField = (f: string): boolean => f in ROWS[0]!;
/** The sys_ids of the rows a query selects, in the order it puts them. */
const select = (q: string): string[] => {
  const query = parseEncodedQuery(q, isField);
  const matched = ROWS.filter((r) => matches(query, (f) => r[f]!));
  return orderRows(matched, query.orderBy, (r, f) => r[f]!).map((r) => r.sys_id!);
};

describe('encoded query operators', () => {
  it.each([
    ['=', 'state=queued', ['a1']],
    ['!=', 'state!=queued', ['b2', 'c3', 'd4']],
    ['LIKE', 'nameLIKEChat', ['b2', 'c3']],
    ['STARTSWITH', 'nameSTARTSWITHBilling', ['a1', 'c3']],
    ['ENDSWITH', 'nameENDSWITH- Email', ['d4']],
    ['IN', 'stateINqueued,accepted', ['a1', 'c3']],
    ['NOT IN', 'stateNOT INqueued,accepted', ['b2', 'd4']],
    ['ISEMPTY', 'assigned_toISEMPTY', ['a1', 'd4']],
  ])('%s selects the rows it should (%s)', (operator, q, expected) => {
    expect(parseEncodedQuery(q, isField).where[0]![0]![0]!.operator).toBe(operator);
    expect(select(q)).toEqual(expected);
  });

  it('has a test row for every operator it knows', () => {
    expect(Object.keys(OPERATORS).sort()).toEqual([
      '!=',
      '=',
      'ENDSWITH',
      'IN',
      'ISEMPTY',
      'LIKE',
      'NOT IN',
      'STARTSWITH',
    ]);
  });

  it('filters on a dot-walked field name such as role.name', () => {
    expect(select('role.name=awa_agent')).toEqual(['a1', 'c3']);
  });

  it('compares case-sensitively, as the platform parses keywords', () => {
    expect(select('nameLIKEchat')).toEqual([]);
    expect(parseEncodedQuery('statein queued', isField).invalid).toEqual(['statein queued']);
  });
});

describe('encoded query joins', () => {
  it.each([
    ['^ is AND', 'nameSTARTSWITHBilling^state=accepted', ['c3']],
    ['^OR is OR with the previous term', 'state=queued^ORstate=canceled', ['a1', 'd4']],
    ['^OR binds tighter than ^', 'nameLIKEChat^state=queued^ORstate=accepted', ['c3']],
    ['^NQ ORs a new query with the whole previous one', 'nameLIKEChat^state=accepted^NQstate=canceled', ['c3', 'd4']],
    ['a trailing ^EQ adds nothing', 'state=queued^EQ', ['a1']],
    ['no query selects every row', '', ['a1', 'b2', 'c3', 'd4']],
  ])('%s', (_, q, expected) => {
    expect(select(q)).toEqual(expected);
  });
});

describe('encoded query ordering', () => {
  it.each([
    ['ORDERBY sorts ascending', 'ORDERBYname', ['c3', 'a1', 'd4', 'b2']],
    ['ORDERBYDESC sorts descending', 'ORDERBYDESCname', ['b2', 'd4', 'a1', 'c3']],
    ['numbers in text sort as numbers', 'ORDERBYoffer_count', ['c3', 'a1', 'd4', 'b2']],
    ['a second ORDERBY breaks ties of the first', 'ORDERBYrole.name^ORDERBYname', ['c3', 'a1', 'b2', 'd4']],
    ['ordering combines with conditions', 'state!=canceled^ORDERBYDESCoffer_count', ['b2', 'a1', 'c3']],
  ])('%s', (_, q, expected) => {
    expect(select(q)).toEqual(expected);
  });
});

describe('invalid clauses', () => {
  it.each([
    ['an unknown field', 'nosuchfield=1^state=queued', 'nosuchfield=1', ['a1']],
    ['no recognisable operator', 'state~queued^nameLIKEChat', 'state~queued', ['b2', 'c3']],
    ['an ^OR of an unknown field', 'state=queued^ORnosuch=x', 'ORnosuch=x', ['a1']],
    ['an ORDERBY of an unknown field', 'state!=queued^ORDERBYnosuch', 'ORDERBYnosuch', ['b2', 'c3', 'd4']],
  ])('drops a clause with %s and keeps the rest', (_, q, dropped, expected) => {
    expect(parseEncodedQuery(q, isField).invalid).toEqual([dropped]);
    expect(select(q)).toEqual(expected);
  });

  it('drops a ^NQ query left empty by dropped clauses rather than let it match every row', () => {
    expect(select('state=queued^NQnosuch=1')).toEqual(['a1']);
  });

  it('selects every row when the only clause is dropped (the platform default)', () => {
    expect(select('nosuchfield=1')).toEqual(['a1', 'b2', 'c3', 'd4']);
  });
});
