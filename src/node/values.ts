/**
 * Readers for input values (flags, config keys): each returns the typed value or throws a UsageError naming
 * the input and what was expected, e.g. `invalid --rate: expected a positive number of offers per second, got "fast"`.
 * Plain functions of a name and a string: the CLI and the plan below it share them.
 */
import { UsageError } from './errors.js';
import { parseDuration } from '../shared/time.js';

const invalid = (flag: string, expected: string, got: string): UsageError =>
  new UsageError(`invalid ${flag}: expected ${expected}, got "${got}"`);

export function positiveNumber(flag: string, raw: string, unit: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0)
    throw invalid(flag, `a positive number of ${unit}`, raw);
  return value;
}

export function port(flag: string, raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 65535) throw invalid(flag, 'a TCP port from 0 to 65535', raw);
  return value;
}

export function integer(flag: string, raw: string): number {
  if (!/^-?\d+$/.test(raw)) throw invalid(flag, 'a whole number', raw);
  return Number(raw);
}

/** A duration in seconds from "90s", "2m", "1h30m". */
export function duration(flag: string, raw: string): number {
  const value = parseDuration(raw);
  if (value === undefined) throw invalid(flag, 'a duration such as 90s, 2m or 1h30m', raw);
  return value;
}

/** An http(s) URL with no credentials in it (they belong in the environment). */
export function httpUrl(flag: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(flag, 'an http:// or https:// URL', raw);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(flag, 'an http:// or https:// URL', raw);
  if (url.username || url.password) {
    throw new UsageError(
      `invalid ${flag}: credentials do not belong in URLs; set OFFERLOAD_USERNAME/OFFERLOAD_PASSWORD or OFFERLOAD_TOKEN`,
    );
  }
  return url;
}

/** A run id safe as a tag value and a folder name. */
export function testid(flag: string, raw: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/.test(raw))
    throw invalid(flag, 'letters, digits, ".", "_" or "-" (at most 80, starting with a letter or digit)', raw);
  return raw;
}

/** One value from a fixed set. */
export function oneOf<T extends string>(flag: string, raw: string, allowed: readonly T[]): T {
  if (!allowed.includes(raw as T)) throw invalid(flag, `one of ${allowed.join(', ')}`, raw);
  return raw as T;
}

/** A tag/label value: printable, no commas, spaces or equals signs (InfluxDB line protocol is picky). */
export function label(flag: string, raw: string): string {
  if (!/^[A-Za-z0-9._:/-]{1,80}$/.test(raw)) throw invalid(flag, 'a short label of letters, digits and . _ : / -', raw);
  return raw;
}

/** A share from 0 to 1. */
export function share(flag: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1)
    throw invalid(flag, 'a share from 0 to 1', raw);
  return value;
}

/** A comma-separated list of numbers, each at least `min`. */
export function numberList(flag: string, raw: string, unit: string, min: number): number[] {
  const parts = raw.split(',').map((p) => p.trim());
  const values = parts.map(Number);
  if (parts.length === 0 || parts.some((p) => p === '') || values.some((x) => !Number.isFinite(x) || x < min)) {
    throw invalid(flag, `a comma-separated list of ${unit}${min > -Infinity ? ` (each at least ${min})` : ''}`, raw);
  }
  return values;
}
