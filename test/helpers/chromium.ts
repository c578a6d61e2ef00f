/** Debian's Chromium, headless: a page's DOM after scripts, and a screenshot decoded to pixels. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
];

function chromium(args: string[]): string {
  const profile = mkdtempSync(path.join(tmpdir(), 'offerload-chromium-'));
  const r = spawnSync('chromium', [...FLAGS, `--user-data-dir=${profile}`, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.error) throw new Error(`chromium did not run (scripts/setup.sh installs it): ${r.error.message}`);
  return r.stdout;
}

export function dumpDom(file: string): string {
  return chromium(['--dump-dom', `file://${file}`]);
}

export function screenshot(file: string, width: number, height: number): PNG {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'offerload-shot-')), 'shot.png');
  chromium([`--window-size=${width},${height}`, `--screenshot=${out}`, `file://${file}`]);
  return PNG.sync.read(readFileSync(out));
}

/** Pixels in a rectangle that are neither white nor near-white nor grey: drawn data. */
export function colouredPixels(png: PNG, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < Math.min(y1, png.height); y++) {
    for (let x = x0; x < Math.min(x1, png.width); x++) {
      const i = (png.width * y + x) * 4;
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) n++;
    }
  }
  return n;
}
