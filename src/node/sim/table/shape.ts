/**
 * How a row is sent: which fields (`sysparm_fields`), and each value as plain text, a reference object or a
 * display value (`sysparm_display_value`, `sysparm_exclude_reference_link`).
 */
import type { Engine } from '../platform/engine.js';
import { fieldReader, TABLES, type FieldReader } from './schema.js';

export type DisplayMode = 'false' | 'true' | 'all';

interface Reference {
  readonly value: string;
  readonly display: () => string;
  /** undefined with sysparm_exclude_reference_link=true */
  readonly link: string | undefined;
}

/** Each display mode's shape for a plain value and for a non-empty reference. */
const SHAPES: Readonly<
  Record<DisplayMode, { plain: (value: string) => unknown; reference: (r: Reference) => unknown }>
> = {
  false: { plain: (v) => v, reference: (r) => (r.link ? { link: r.link, value: r.value } : r.value) },
  // Display values of plain fields are their values: the simulator's strings and booleans read the same either way.
  true: { plain: (v) => v, reference: (r) => (r.link ? { display_value: r.display(), link: r.link } : r.display()) },
  // The reference leaves this shape unconfirmed for a real instance; this is what clients reading `.value` expect.
  all: {
    plain: (v) => ({ display_value: v, value: v }),
    reference: (r) => ({ display_value: r.display(), ...(r.link ? { link: r.link } : {}), value: r.value }),
  },
};

export interface Shaping {
  readonly fields: readonly { readonly name: string; readonly reader: FieldReader }[];
  readonly mode: DisplayMode;
  readonly excludeLinks: boolean;
  /** `http://<host>`, the start of every link */
  readonly base: string;
}

/** The shaping a request asks for; fields the table does not have are left out, as the platform does. */
export function shapingOf(table: string, query: URLSearchParams, base: string): Shaping {
  const asked =
    query
      .get('sysparm_fields')
      ?.split(',')
      .map((f) => f.trim())
      .filter(Boolean) ?? Object.keys(TABLES[table]!.columns);
  const fields = asked.flatMap((name) => {
    const reader = fieldReader(table, name);
    return reader ? [{ name, reader }] : [];
  });
  const display = query.get('sysparm_display_value');
  const mode: DisplayMode = display === 'true' || display === 'all' ? display : 'false';
  return { fields, mode, excludeLinks: query.get('sysparm_exclude_reference_link') === 'true', base };
}

/** The display value of a referenced record: its table's display column, '' when the record is gone. */
function displayOf(table: string, id: string, engine: Engine): string {
  const spec = TABLES[table]!;
  const record = spec.find(engine, id);
  return record === undefined ? '' : spec.columns[spec.display]!.get(record, engine);
}

/** One record as the Table API sends it. */
export function shapeRow(record: unknown, s: Shaping, engine: Engine): Record<string, unknown> {
  const shape = SHAPES[s.mode];
  const row: Record<string, unknown> = {};
  for (const { name, reader } of s.fields) {
    const value = reader.read(record, engine);
    const target = reader.references;
    // An empty reference has nothing to link to or display: it is sent as a plain empty value.
    row[name] =
      target === undefined || value === ''
        ? shape.plain(value)
        : shape.reference({
            value,
            display: () => displayOf(target, value, engine),
            link: s.excludeLinks ? undefined : `${s.base}/api/now/table/${target}/${value}`,
          });
  }
  return row;
}
