import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../cli/main.js';
import { SETTINGS } from '../sim/settings.js';
import { REFERENCE_DIR, renderReferences } from './references.js';

describe('the generated reference pages', () => {
  const pages = renderReferences(COMMANDS);

  it.each(Object.keys(pages))(
    'docs/reference/%s is what the tables make now (run `offerload docs` after changing them)',
    (file) => {
      expect(readFileSync(path.join(REFERENCE_DIR, file), 'utf8')).toBe(pages[file]);
    },
  );

  it('has a row per simulator setting and a section per command', () => {
    expect(pages['simulator-settings.md']!.split('\n').filter((l) => l.startsWith('| `'))).toHaveLength(
      SETTINGS.length,
    );
    expect(pages['commands.md']!.split('\n').filter((l) => l.startsWith('## offerload '))).toHaveLength(
      Object.keys(COMMANDS).length,
    );
  });
});
