/** InfluxDB line protocol for the points the Node side writes, and InfluxQL literal quoting. */

export interface Point {
  readonly measurement: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, number | string | boolean>>;
  /** default: the server's clock */
  readonly timestamp?: Date;
}

const escapeKey = (s: string): string => s.replace(/[,= ]/g, (c) => `\\${c}`);
const escapeMeasurement = (s: string): string => s.replace(/[, ]/g, (c) => `\\${c}`);
const fieldValue = (v: number | string | boolean): string =>
  typeof v === 'string' ? `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"` : typeof v === 'boolean' ? String(v) : String(v);

/** One point as a line, timestamp in milliseconds (write with precision=ms); non-finite numbers are left out. */
export function toLine(p: Point): string {
  const tags = Object.entries(p.tags ?? {})
    .filter(([, v]) => v !== '')
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `,${escapeKey(k)}=${escapeKey(v)}`)
    .join('');
  const fields = Object.entries(p.fields)
    .filter(([, v]) => typeof v !== 'number' || Number.isFinite(v))
    .map(([k, v]) => `${escapeKey(k)}=${fieldValue(v)}`)
    .join(',');
  if (fields === '') throw new Error(`point for ${p.measurement} has no finite field`);
  return `${escapeMeasurement(p.measurement)}${tags} ${fields}${p.timestamp ? ` ${p.timestamp.getTime()}` : ''}`;
}

/** An InfluxQL string literal: 'it''s' written as 'it\'s'. */
export function stringLit(s: string): string {
  return `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** An InfluxQL quoted identifier. */
export function ident(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
