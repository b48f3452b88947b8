import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumber, formatTime, limitLevel } from './format';

const L = { loLo: 10, lo: 20, hi: 80, hiHi: 90 };

describe('limitLevel', () => {
  it('bands a value by its limits, outer limits first', () => {
    expect([5, 10, 15, 20, 50, 80, 85, 90, 95].map((v) => limitLevel(v, L))).toEqual(['lolo', 'lolo', 'lo', 'lo', 'normal', 'hi', 'hi', 'hihi', 'hihi']);
    expect(limitLevel(1e9, { loLo: null, lo: null, hi: null, hiHi: null })).toBe('normal');
  });
  it('property: the level never gets less severe as the value moves further past a limit', () => {
    const rank = { normal: 0, hi: 1, hihi: 2, lo: 1, lolo: 2 } as const;
    fc.assert(
      fc.property(fc.double({ min: 50, max: 200, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (v, d) => {
        expect(rank[limitLevel(v + d, L)]).toBeGreaterThanOrEqual(rank[limitLevel(v, L)]);
      }),
    );
  });
});

describe('formatNumber / formatTime', () => {
  it('follows the number format preference', () => {
    expect(formatNumber(1234.567, 1, 'plain')).toBe('1234.6');
    expect(formatNumber(1234.567, 1, 'grouped')).toBe('1,234.6');
    expect(formatNumber(1234.567, 2, 'comma')).toBe('1234,57');
    expect(formatNumber(NaN, 2, 'plain')).toBe('—');
  });
  it('shows times in the chosen zone', () => {
    expect(formatTime(Date.UTC(2026, 0, 2, 3, 4, 5), 'UTC')).toBe('2026-01-02 03:04:05');
    expect(formatTime(Date.UTC(2026, 0, 2, 3, 4, 5), 'Asia/Tokyo')).toBe('2026-01-02 12:04:05');
  });
});
