/**
 * Table API reads (`GET /api/now/table/{table}[/{sys_id}]`) of the records a harness needs: work items, users
 * with their roles, queues, presence states, interactions. The tables are described in ../table/schema.ts;
 * queries, paging and the shape of each row follow the platform (see ../table/).
 */
import type { Engine } from '../platform/engine.js';
import { platformReply, type Reply } from '../respond.js';
import { matches, orderRows, parseEncodedQuery } from '../table/encoded-query.js';
import { pageHeaders, pageOf } from '../table/paging.js';
import { fieldReader, TABLES, type FieldReader } from '../table/schema.js';
import { shapeRow, shapingOf } from '../table/shape.js';
import { ok, type Route, type SimRequest } from './types.js';

/** Links name the host the client called, as the platform's name its instance. */
const baseOf = (req: SimRequest, engine: Engine): string => `http://${req.headers.host ?? engine.config.host}`;

/** A table's list: the records matching sysparm_query, ordered, one page of them, with the paging headers. */
function list(engine: Engine, table: string, req: SimRequest): Reply {
  const spec = TABLES[table];
  if (!spec) return platformReply(engine.config, 'not_found');
  // one reader per field named in the query, made once for every record it reads
  const readers = new Map<string, FieldReader | undefined>();
  const reader = (field: string): FieldReader | undefined => {
    if (!readers.has(field)) readers.set(field, fieldReader(table, field));
    return readers.get(field);
  };
  const read = (record: unknown, field: string): string => reader(field)!.read(record, engine);
  const query = parseEncodedQuery(req.query.get('sysparm_query'), (field) => reader(field) !== undefined);
  // glide.invalid_query.returns_no_rows: a clause the instance cannot read empties the answer instead of widening it
  const noRows = query.invalid.length > 0 && engine.config.table.invalidQueryReturnsNoRows;
  const matched = noRows
    ? []
    : [...spec.records(engine)].filter((record) => matches(query, (field) => read(record, field)));
  const page = pageOf(req.query);
  const base = baseOf(req, engine);
  const shaping = shapingOf(table, req.query, base);
  const rows = orderRows(matched, query.orderBy, read)
    .slice(page.offset, page.offset + page.limit)
    .map((record) => shapeRow(record, shaping, engine));
  return { ...ok({ result: rows }), headers: pageHeaders(base + req.path, req.query, page, matched.length) };
}

/** One record by sys_id, shaped like a list row; found through the table's own index, not a scan of its rows. */
function one(engine: Engine, table: string, sysId: string, req: SimRequest): Reply {
  const spec = TABLES[table];
  const record = spec?.find(engine, sysId);
  if (record === undefined) return platformReply(engine.config, 'not_found');
  return ok({ result: shapeRow(record, shapingOf(table, req.query, baseOf(req, engine)), engine) });
}

/** The Table API routes: a list with a query, and one record by sys_id. */
export function tableRoutes(engine: Engine): Route[] {
  return [
    {
      name: 'table',
      pattern: /^\/api\/now\/table\/([a-z_]+)\/?$/,
      method: 'GET',
      handle: (req) => list(engine, req.params[0]!, req),
    },
    {
      name: 'table',
      pattern: /^\/api\/now\/table\/([a-z_]+)\/([0-9a-f]{32})\/?$/,
      method: 'GET',
      handle: (req) => one(engine, req.params[0]!, req.params[1]!, req),
    },
  ];
}
