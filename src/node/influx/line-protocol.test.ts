import { describe, expect, it } from 'vitest';
import { ident, stringLit } from './line-protocol.js';
import { linePoint } from './writer.js';

/** The line the official client sends for one of our points, timestamps in ms as the writers ask for. */
const line = (p: Parameters<typeof linePoint>[0]): string | undefined =>
  linePoint(p)?.toLineProtocol({ convertTime: (t) => (t instanceof Date ? String(t.getTime()) : undefined) });

describe('points as the official client writes them', () => {
  it('escapes commas, spaces and equals signs in tags and quotes string fields', () => {
    expect(
      line({
        measurement: 'offerload runs',
        tags: { testid: 'a,b', text: 'x=y z' },
        fields: { title: 'say "hi" \\ bye', n: 3 },
        timestamp: new Date(1700000000123),
      }),
    ).toBe('offerload\\ runs,testid=a\\,b,text=x\\=y\\ z n=3,title="say \\"hi\\" \\\\ bye" 1700000000123');
  });

  it('sorts tags, leaves out empty tags and non-finite numbers, and sends no timestamp when none is given', () => {
    expect(
      line({
        measurement: 'm',
        tags: { z: '1', a: '2', empty: '' },
        fields: { ok: 1, bad: Number.NaN, inf: Infinity, flag: true },
      }),
    ).toBe('m,a=2,z=1 flag=T,ok=1');
  });

  it('writes numbers as floats, as k6 and the earlier points did, so a field keeps one type', () => {
    expect(line({ measurement: 'm', fields: { n: 2 }, timestamp: new Date(5) })).toBe('m n=2 5');
  });

  it('leaves out a point whose fields are all non-finite', () => {
    expect(linePoint({ measurement: 'offerload_generator', fields: { cpu_share: Number.NaN } })).toBeUndefined();
  });

  it('quotes InfluxQL string literals and identifiers', () => {
    expect(stringLit("it's a \\ test")).toBe("'it\\'s a \\\\ test'");
    expect(ident('say "x"')).toBe('"say \\"x\\""');
  });
});
