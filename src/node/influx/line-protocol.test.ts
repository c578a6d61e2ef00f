import { describe, expect, it } from 'vitest';
import { ident, stringLit, toLine } from './line-protocol.js';

describe('line protocol', () => {
  it('escapes commas, spaces and equals signs in tags and quotes string fields', () => {
    const line = toLine({
      measurement: 'offerload runs',
      tags: { testid: 'a,b', text: 'x=y z' },
      fields: { title: 'say "hi" \\ bye', n: 3 },
      timestamp: new Date(1700000000123),
    });
    expect(line).toBe('offerload\\ runs,testid=a\\,b,text=x\\=y\\ z title="say \\"hi\\" \\\\ bye",n=3 1700000000123');
  });

  it('sorts tags, leaves out empty tags and non-finite numbers, and omits the timestamp when none is given', () => {
    expect(
      toLine({
        measurement: 'm',
        tags: { z: '1', a: '2', empty: '' },
        fields: { ok: 1, bad: Number.NaN, inf: Infinity, flag: true },
      }),
    ).toBe('m,a=2,z=1 ok=1,flag=true');
  });

  it('refuses a point whose fields are all non-finite, naming its measurement', () => {
    expect(() => toLine({ measurement: 'offerload_generator', fields: { cpu_share: Number.NaN } })).toThrow(
      'point for offerload_generator has no finite field',
    );
  });

  it('quotes InfluxQL string literals and identifiers', () => {
    expect(stringLit("it's a \\ test")).toBe("'it\\'s a \\\\ test'");
    expect(ident('say "x"')).toBe('"say \\"x\\""');
  });
});
