import { describe, expect, it } from 'vitest';
import { parseRunArgs } from '../cli/run.js';
import { FORECAST_FLAGS } from '../forecast/flags.js';
import { CONTACT_CENTRE_FLAGS } from '../contact-centre/settings.js';
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
        'scale',
        'seed',
        'sessions',
        'skews',
        'slo-window',
        'speedup',
        'timeouts',
        'version-label',
        ...CONTACT_CENTRE_FLAGS.filter((f) => 'default' in f).map((f) => f.name),
      ].sort(),
    );
  });

  it.each(withDefault.map((f) => [f.name, (f as { default: string }).default]))(
    'plans the same run without --%s as with its stated default %s',
    (name, value) => {
      // the forecast's own flags apply with a forecast only, the contact centre's to contact-centre
      const run = FORECAST_FLAGS.some((f) => f.name === name)
        ? ['offer-burst', '--testid', 'defaults-2', '--no-influx', '--forecast', 'test/fixtures/forecast/plain.csv']
        : CONTACT_CENTRE_FLAGS.some((f) => f.name === name)
          ? ['contact-centre', '--testid', 'defaults-3', '--no-influx']
          : base;
      expect(parseRunArgs([...run, `--${name}`, value], {})).toEqual(parseRunArgs(run, {}));
    },
  );

  it('shows each default in the help exactly as the table holds it', () => {
    const flat = RUN_HELP.replace(/\s+/g, ' ');
    for (const f of withDefault) expect(flat).toContain(`(default: ${(f as { default: string }).default})`);
  });
});
