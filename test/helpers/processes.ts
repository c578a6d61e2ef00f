/** This machine's processes, read from /proc, for tests that kill or look for what a run started. */
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of processes whose command line holds `needle`, and passes `keep` (default: all). */
export function processesWith(needle: string, keep: (cmdline: string) => boolean = () => true): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (cmd.includes(needle) && keep(cmd)) pids.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** The k6 process of a run, by the testid tag on its command line (not the setpriv that started it). */
export const k6Of = (testid: string): number | undefined =>
  processesWith(`testid=${testid}`, (cmd) => !cmd.includes('setpriv') && cmd.includes('k6'))[0];

/** Polls `check` until it holds or `ms` pass; returns whether it held. */
export async function waitFor(check: () => boolean, ms: number, everyMs = 100): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, everyMs)))
    if (check()) return true;
  return check();
}
