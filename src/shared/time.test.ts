import { describe, expect, it } from 'vitest';
import { formatOfferedOn, parseDuration, parseOfferedOn } from './time.js';

describe('offered_on', () => {
  it('formats epoch milliseconds as UTC yyyy-MM-ddTHH:mm:ss.SSS', () => {
    expect(formatOfferedOn(Date.UTC(2024, 3, 3, 23, 9, 31, 7))).toBe('2024-04-03T23:09:31.007');
  });

  it('parses what it formats', () => {
    const t = Date.UTC(2026, 10, 30, 1, 2, 3, 456);
    expect(parseOfferedOn(formatOfferedOn(t))).toBe(t);
  });

  it.each([
    '2024-04-03T23:09:31',
    '2024-04-03 23:09:31.000',
    '2024-04-03T23:09:31.000Z',
    '2024-02-30T10:00:00.000',
    '2024-04-03T24:00:00.000',
    '',
  ])('rejects %j', (text) => {
    expect(parseOfferedOn(text)).toBeUndefined();
  });
});

describe('parseDuration', () => {
  it.each([
    ['90s', 90],
    ['2m', 120],
    ['1h30m', 5400],
    ['1m30s', 90],
    ['0.5s', 0.5],
  ])('reads %s as %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '0s', 'fast', '10', '-5s', '5ms', '1d'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
