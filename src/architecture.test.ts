/**
 * The shape of the code, checked: imports run one way (no cycles between files, no two folders importing each
 * other), only src/k6 imports k6, and scenarios and profiles differ by their registry entries, never by a
 * comparison with their names. Each rule came back once after a refactoring that removed it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROFILES } from './shared/profiles.js';
import { SCENARIOS } from './shared/scenarios.js';

const SRC = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(SRC);
const sources = (readdirSync(SRC, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => path.join(SRC, f))
  .sort();
const text = new Map(sources.map((f) => [f, readFileSync(f, 'utf8')]));

/** Every relative module a file imports, type-only imports and lazy requires included, as source paths. */
function importsOf(file: string): string[] {
  const specifiers = [...text.get(file)!.matchAll(/(?:\bfrom|\bimport|\brequire)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map(
    (m) => m[1]!,
  );
  return specifiers.map((s) => path.resolve(path.dirname(file), s).replace(/\.js$/, '.ts')).filter((f) => text.has(f));
}
const graph = new Map(sources.map((f) => [f, importsOf(f)]));
const rel = (f: string): string => path.relative(SRC, f);

describe('the import graph', () => {
  it('reads every source file and finds their imports', () => {
    expect(sources.length).toBeGreaterThan(150);
    expect(graph.get(path.join(SRC, 'node/run/capacity.ts'))!.map(rel)).toContain('node/run/slo.ts');
  });

  it('has no cycle between files', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 'open');
      stack.push(f);
      for (const d of graph.get(f)!) {
        if (state.get(d) === 'open') cycles.push(stack.slice(stack.indexOf(d)).concat(d).map(rel).join(' -> '));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of sources) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('has no two folders importing each other (a folder and its own subfolder aside)', () => {
    const folder = (f: string): string => path.dirname(rel(f));
    const pairs = new Set<string>();
    for (const [f, deps] of graph)
      for (const d of deps) if (folder(f) !== folder(d)) pairs.add(`${folder(f)} -> ${folder(d)}`);
    const nested = (a: string, b: string): boolean => a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
    const twoWay = [...pairs].filter((p) => {
      const [a, b] = p.split(' -> ') as [string, string];
      return !nested(a, b) && pairs.has(`${b} -> ${a}`);
    });
    expect(twoWay).toEqual([]);
  });

  it('keeps k6 modules inside src/k6 and the scenarios, and Node modules out of them and src/shared', () => {
    const k6Outside = sources.filter((f) => !rel(f).startsWith('k6/') && /from '(k6|k6\/[^']+)'/.test(text.get(f)!));
    expect(k6Outside.map(rel)).toEqual([]);
    const nodeInside = sources.filter((f) => /^(k6|shared)\//.test(rel(f)) && /from 'node:/.test(text.get(f)!));
    expect(nodeInside.map(rel)).toEqual([]);
  });
});

describe('scenarios and profiles by registry', () => {
  it('has one scenario file per registry entry, and no scenario file without one', () => {
    const files = readdirSync(path.join(ROOT, 'scenarios'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => f.replace(/\.ts$/, ''));
    expect(files.sort()).toEqual(Object.keys(SCENARIOS).sort());
  });

  it('never compares a scenario or profile with its name outside the registries', () => {
    const names = [...Object.keys(SCENARIOS), ...Object.keys(PROFILES)].map((n) => n.replace(/[-]/g, '\\-'));
    // a scenario or profile value (scenario, opts.profile, profileName...) set against a name, or a set of names
    const byName = new RegExp(
      `(scenario|profile)(Name)?\\s*(===|!==)\\s*'(${names.join('|')})'|new Set\\(\\[\\s*'(${names.join('|')})'`,
      'i',
    );
    const offenders = sources.filter(
      (f) => !/^shared\/(scenarios|profiles)\.ts$/.test(rel(f)) && byName.test(text.get(f)!),
    );
    expect(offenders.map(rel)).toEqual([]);
  });
});
