/**
 * The points the Node side writes (the official client turns them into line protocol: writer.ts), and InfluxQL
 * literal quoting, which no client does for us.
 */

export interface Point {
  readonly measurement: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, number | string | boolean>>;
  /** default: the server's clock */
  readonly timestamp?: Date;
}

/** An InfluxQL string literal: 'it''s' written as 'it\'s'. */
export function stringLit(s: string): string {
  return `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** An InfluxQL quoted identifier. */
export function ident(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
