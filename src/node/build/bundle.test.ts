import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../shared/messages.js';
import { messageTable } from '../../shared/message-table.js';
import { bundlePath, bundleScenarios, scenarioNames } from './bundle.js';

describe('k6 bundles', () => {
  let names: string[];
  beforeAll(async () => {
    await bundleScenarios();
    names = await scenarioNames();
  });

  it('carry the message table as a literal equal to the one derived from the catalogue, and never the catalogue', () => {
    expect(names.length).toBeGreaterThanOrEqual(6);
    for (const name of names) {
      const text = readFileSync(bundlePath(name), 'utf8');
      const literal = /MESSAGE_TABLE = (\{[\s\S]*?\});\n/.exec(text)?.[1];
      expect(literal, name).toBeDefined();
      expect(new Function(`return ${literal}`)(), name).toEqual(messageTable());
      // the catalogue's meanings are in no bundle: the simulator and the reports read them, no VU does
      expect(text, name).not.toContain(CATALOGUE.success.meaning);
      expect(text, name).not.toContain('NEIGHBOUR_MESSAGES');
    }
  });

  it('build the options only in the __VU 0 init: the profile and threshold code sits behind a lazy init', () => {
    for (const name of names) {
      const text = readFileSync(bundlePath(name), 'utf8');
      expect(text, name).toMatch(/__VU === 0 \? \(init_options\(\), __toCommonJS\(options_exports\)\)\.optionsFor\(/);
    }
  });
});
