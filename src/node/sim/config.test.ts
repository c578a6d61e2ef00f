import { InputError } from '../errors.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIM_CONFIG } from './config.js';
import { loadSimConfig, SETTINGS, settingsHelp } from './settings.js';

const dir = mkdtempSync(path.join(tmpdir(), 'offerload-simcfg-'));
const file = (name: string, text: string): string => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('simulator configuration', () => {
  it('takes flags over the config file over the defaults', () => {
    const f = file('a.json', JSON.stringify({ capacity: { nodes: 3, slotsPerNode: 8 }, agents: { rejectShare: 0.2 } }));
    const c = loadSimConfig({ file: f, flags: { 'capacity.nodes': '5' } });
    expect(c.capacity).toMatchObject({
      nodes: 5,
      slotsPerNode: 8,
      queuePerNode: DEFAULT_SIM_CONFIG.capacity.queuePerNode,
    });
    expect(c.agents.rejectShare).toBe(0.2);
    expect(c.agents.acceptDelayMs).toEqual(DEFAULT_SIM_CONFIG.agents.acceptDelayMs);
  });

  it('adds the integration user from the environment', () => {
    const c = loadSimConfig({ env: { OFFERLOAD_USERNAME: 'ccaas', OFFERLOAD_PASSWORD: 'pw' } });
    expect(c.users.at(-1)).toEqual({
      user_name: 'ccaas',
      password: 'pw',
      roles: ['awa_integration_user', 'rest_service'],
    });
  });

  it.each([
    [{ flags: { 'capacity.nodes': 'two' } }, 'invalid --capacity.nodes: expected a whole number >= 0, got "two"'],
    [
      { flags: { 'agents.rejectShare': '1.5' } },
      'invalid --agents.rejectShare: expected a share from 0 to 1, got "1.5"',
    ],
    [{ flags: { envelope: 'soap' } }, 'invalid --envelope: expected one of error, result, got "soap"'],
    [{ flags: { 'capacity.fast': 'yes' } }, 'invalid --capacity.fast: expected true or false, got "yes"'],
    [{ flags: { port: '70000' } }, 'invalid --port: expected a TCP port from 0 to 65535, got "70000"'],
    [{ flags: { 'capacity.noodles': '1' } }, "unknown setting --capacity.noodles: see 'offerload sim --help'"],
  ])('refuses %j with one line naming the setting', (opts, message) => {
    expect(() => loadSimConfig(opts)).toThrow(message);
  });

  it('refuses unknown keys and bad values in a config file, naming the file', () => {
    const f = file('b.json', JSON.stringify({ capacity: { nodez: 2 } }));
    expect(() => loadSimConfig({ file: f })).toThrow(`invalid config key "capacity.nodez" in ${f}`);
    const g = file('c.json', JSON.stringify({ capacity: { nodes: -1 } }));
    expect(() => loadSimConfig({ file: g })).toThrow(
      `invalid capacity.nodes in ${g}: expected a whole number >= 0, got -1`,
    );
    const h = file('d.json', '{ not json');
    // below the CLI the error names the file; the command that took it from a flag adds the flag
    const unreadable = (() => {
      try {
        loadSimConfig({ file: h });
      } catch (e) {
        return e;
      }
    })();
    expect(unreadable).toBeInstanceOf(InputError);
    expect((unreadable as InputError).message).toMatch(new RegExp(`^invalid ${h}: is not a readable JSON file`));
    expect((unreadable as InputError).viaFlag('--sim-config').message).toMatch(
      new RegExp(`^invalid --sim-config: ${h} is not a readable JSON file`),
    );
    expect((unreadable as InputError).exitCode).toBe(2);
  });

  it('states in --help, for every setting, a default that reads back as the default the simulator runs with', () => {
    const help = settingsHelp().split('\n');
    expect(help).toHaveLength(SETTINGS.length);
    const valueAt = (config: unknown, key: string): unknown =>
      key.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown>)[part], config);
    for (const [i, s] of SETTINGS.entries()) {
      const line = help[i]!;
      expect(line.startsWith(`  --${s.key} `), line).toBe(true);
      const stated = /; default (.*)\)$/.exec(line)?.[1];
      expect(stated, line).toBeDefined();
      // the help's default, given back as a flag (JSON text as a config file holds it), is the default
      const given = JSON.parse(stated!) as unknown;
      const raw = typeof given === 'string' ? given : JSON.stringify(given);
      const read = loadSimConfig({ flags: { [s.key]: raw } });
      expect(valueAt(read, s.key), s.key).toEqual(valueAt(DEFAULT_SIM_CONFIG, s.key));
    }
  });
});
