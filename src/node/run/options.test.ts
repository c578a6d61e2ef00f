import { describe, expect, it } from 'vitest';
import { parseRunArgs } from '../cli/run.js';
import { RUN_FLAGS, RUN_HELP } from './options.js';

describe("run's flag table", () => {
  const base = ['timeout-sweep', '--testid', 'defaults-1', '--no-influx'];
  const withDefault = RUN_FLAGS.filter((f) => 'default' in f);

  it('holds a fixed default for the flags whose default is a value', () => {
    expect(withDefault.map((f) => f.name).sort()).toEqual(
      [
        'arrivals',
        'delays',
        'dispersion',
        'influx-db',
        'out',
        'request-timeout',
        'seed',
        'sessions',
        'skews',
        'slo-window',
        'timeouts',
        'version-label',
      ].sort(),
    );
  });

  it.each(withDefault.map((f) => [f.name, (f as { default: string }).default]))(
    'plans the same run without --%s as with its stated default %s',
    (name, value) => {
      expect(parseRunArgs([...base, `--${name}`, value], {})).toEqual(parseRunArgs(base, {}));
    },
  );

  it('shows each default in the help exactly as the table holds it', () => {
    const flat = RUN_HELP.replace(/\s+/g, ' ');
    for (const f of withDefault) expect(flat).toContain(`(default: ${(f as { default: string }).default})`);
  });
});
