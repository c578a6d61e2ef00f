import { describe, expect, it } from 'vitest';
import { before18 } from './detect.js';
import { FLAVOURS, flavourOfVersion } from './flavour.js';

describe('server flavour from /ping', () => {
  it.each([
    ['1.6.7~rc0', '1'],
    ['1.8.10', '1'],
    ['v2.7.11', '2'],
    ['2.0.0-beta.1', '2'],
    ['3.1.0', '3'],
    ['v3.0.3', '3'],
  ])('reads X-Influxdb-Version %s as %s.x', (version, name) => {
    expect(flavourOfVersion(version)?.name).toBe(name);
  });

  it.each([[undefined], [null], [''], ['OSS'], ['4.0.0'], ['unknown']])('knows no flavour for %s', (version) => {
    expect(flavourOfVersion(version)).toBeUndefined();
  });

  it('takes DDL, deletes and SHOW DATABASES on 1.x only, and lets only 3.x create a database on write', () => {
    expect(
      Object.values(FLAVOURS).map((f) => [f.name, f.ddl, f.deletes, f.showDatabases, f.createsOnWrite, f.longPolicy]),
    ).toEqual([
      ['1', true, true, true, false, 'long'],
      ['2', false, false, true, false, undefined],
      ['3', false, false, false, true, undefined],
    ]);
  });

  it('tells a 2.x user to create a DBRP mapping for a missing database', () => {
    expect(FLAVOURS['2'].missingDatabase('offerload')).toContain(
      'influx v1 dbrp create --db offerload --rp autogen --bucket-id ID --default',
    );
  });
});

describe('which 1.x servers take the v2 write', () => {
  it.each([
    ['1.6.7~rc0', true],
    ['1.7.10', true],
    ['1.8.10', false],
    ['v1.8.0', false],
    ['v2.7.11', false],
    ['3.1.0', false],
    [undefined, false],
  ])('%s is before 1.8: %s', (version, before) => {
    expect(before18(version)).toBe(before);
  });
});
