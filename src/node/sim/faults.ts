/**
 * Fault injection: each fault mode is one row, drawn per API request from the current settings, which the
 * admin route can change during a run. At most one fault hits a request; the rest go through untouched.
 */
import type { FaultSettings } from './config.js';

export type FaultMode = 'drop' | 'stall' | 'error' | 'spike';

/** The modes in the order their shares are stacked on one draw. */
export const FAULT_MODES: readonly { readonly mode: FaultMode; readonly share: (f: FaultSettings) => number }[] = [
  { mode: 'drop', share: (f) => f.dropShare },
  { mode: 'stall', share: (f) => f.stallShare },
  { mode: 'error', share: (f) => f.errorShare },
  { mode: 'spike', share: (f) => f.spikeShare },
];

/** Whether any fault can happen at all (skips a random draw per request when none can). */
export function faultsOn(settings: FaultSettings): boolean {
  return FAULT_MODES.some((m) => m.share(settings) > 0);
}

/** The fault for one request, or undefined. */
export function drawFault(settings: FaultSettings, random: () => number): FaultMode | undefined {
  let draw = random();
  for (const { mode, share } of FAULT_MODES) {
    if ((draw -= share(settings)) < 0) return mode;
  }
  return undefined;
}

/** Checks a faults update from the admin route; throws naming the bad key. */
export function validateFaults(update: Record<string, unknown>, current: FaultSettings): FaultSettings {
  const next: Record<string, number> = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (!(key in current))
      throw new Error(`unknown fault setting "${key}": expected one of ${Object.keys(current).join(', ')}`);
    const isShare = key.endsWith('Share');
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (isShare && value > 1)) {
      throw new Error(
        `invalid fault setting ${key}: expected ${isShare ? 'a share from 0 to 1' : 'a number of ms >= 0'}, got ${JSON.stringify(value)}`,
      );
    }
    next[key] = value;
  }
  const total = FAULT_MODES.reduce((a, m) => a + m.share(next as unknown as FaultSettings), 0);
  if (total > 1) throw new Error(`invalid faults: the shares add up to ${total}, more than 1`);
  return next as unknown as FaultSettings;
}
