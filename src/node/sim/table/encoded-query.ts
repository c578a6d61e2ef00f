/**
 * Encoded queries (`sysparm_query`) as the Table API reads them: conditions joined by `^` (AND), `^OR` (OR with
 * the previous term) and `^NQ` (a new query OR'd with everything before), plus `ORDERBY<f>`/`ORDERBYDESC<f>`.
 * Pure: the caller says which fields exist and supplies each row's field values.
 */

/** Builds a test from a clause's value; the test is run on the row's value of the clause's field. */
type Operator = (value: string) => (actual: string) => boolean;

const list = (value: string): Set<string> => new Set(value.split(',').map((v) => v.trim()));

/** Every operator the simulator understands, by its keyword (case-sensitive, as on the platform). */
export const OPERATORS: Readonly<Record<string, Operator>> = {
  '=': (v) => (a) => a === v,
  '!=': (v) => (a) => a !== v,
  LIKE: (v) => (a) => a.includes(v),
  STARTSWITH: (v) => (a) => a.startsWith(v),
  ENDSWITH: (v) => (a) => a.endsWith(v),
  IN: (v) => {
    const values = list(v);
    return (a) => values.has(a);
  },
  'NOT IN': (v) => {
    const values = list(v);
    return (a) => !values.has(a);
  },
  ISEMPTY: () => (a) => a === '',
};

// Longest keyword first, so that no keyword is taken for a shorter one it starts with.
const KEYWORDS = Object.keys(OPERATORS).sort((a, b) => b.length - a.length);
// Column names are lower case (dot-walks join them), so the operator starts at the first character that is not.
const FIELD = /^[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*/;

export interface Condition {
  readonly field: string;
  readonly operator: string;
  readonly value: string;
  readonly test: (actual: string) => boolean;
}

export interface OrderBy {
  readonly field: string;
  readonly descending: boolean;
}

export interface EncodedQuery {
  /** the `^NQ` queries, any of which may match; each is terms that must all hold; a term holds when one of its `^OR` conditions does */
  readonly where: readonly (readonly (readonly Condition[])[])[];
  readonly orderBy: readonly OrderBy[];
  /** clauses left out: an unknown field, or no operator the simulator knows */
  readonly invalid: readonly string[];
}

/** One condition (`fieldOPvalue`), or undefined when it names no known field or has no known operator. */
export function parseCondition(clause: string, isField: (field: string) => boolean): Condition | undefined {
  const field = FIELD.exec(clause)?.[0];
  if (!field || !isField(field)) return undefined;
  const rest = clause.slice(field.length);
  const operator = KEYWORDS.find((k) => rest.startsWith(k));
  if (operator === undefined) return undefined;
  const value = rest.slice(operator.length);
  return { field, operator, value, test: OPERATORS[operator]!(value) };
}

const ORDERINGS: readonly { prefix: string; descending: boolean }[] = [
  { prefix: 'ORDERBYDESC', descending: true },
  { prefix: 'ORDERBY', descending: false },
];

/** Parses a sysparm_query; `isField` says whether the table has a field (dot-walks included). */
export function parseEncodedQuery(query: string | null | undefined, isField: (field: string) => boolean): EncodedQuery {
  const where: Condition[][][] = [];
  const orderBy: OrderBy[] = [];
  const invalid: string[] = [];
  for (const part of (query ?? '').split('^NQ')) {
    const terms: Condition[][] = [];
    for (const clause of part.split('^')) {
      // `^EQ` ends a query copied from a list filter; it adds nothing.
      if (clause === '' || clause === 'EQ') continue;
      const ordering = ORDERINGS.find((o) => clause.startsWith(o.prefix));
      if (ordering) {
        const field = clause.slice(ordering.prefix.length);
        if (isField(field)) orderBy.push({ field, descending: ordering.descending });
        else invalid.push(clause);
        continue;
      }
      const isOr = clause.startsWith('OR');
      const condition = parseCondition(isOr ? clause.slice(2) : clause, isField);
      if (!condition) {
        invalid.push(clause);
        continue;
      }
      // An ^OR whose previous term was dropped (or that opens the query) has nothing to join: it stands alone.
      const last = terms.at(-1);
      if (isOr && last) last.push(condition);
      else terms.push([condition]);
    }
    // A query left empty by dropped clauses is dropped too, rather than matching every row.
    if (terms.length > 0) where.push(terms);
  }
  return { where, orderBy, invalid };
}

/** Whether a row matches; `read` gives the row's value of a field. No conditions match every row. */
export function matches(query: EncodedQuery, read: (field: string) => string): boolean {
  if (query.where.length === 0) return true;
  return query.where.some((terms) => terms.every((term) => term.some((c) => c.test(read(c.field)))));
}

// Numbers in string fields (offer_count) sort as numbers; dates as 'yyyy-MM-dd HH:mm:ss' sort as text anyway.
const collator = new Intl.Collator('en', { numeric: true });

/** Sorts rows by the query's ORDERBY terms, first term first; stable, so rows equal on every term keep their order. */
export function orderRows<R>(
  rows: readonly R[],
  orderBy: readonly OrderBy[],
  read: (row: R, field: string) => string,
): R[] {
  if (orderBy.length === 0) return [...rows];
  const keyed = rows.map((row) => ({ row, keys: orderBy.map((o) => read(row, o.field)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < orderBy.length; i++) {
      const c = collator.compare(a.keys[i]!, b.keys[i]!);
      if (c !== 0) return orderBy[i]!.descending ? -c : c;
    }
    return 0;
  });
  return keyed.map((k) => k.row);
}
