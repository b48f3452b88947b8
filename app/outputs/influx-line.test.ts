import { describe, expect, it } from 'vitest';
import { appendLines, escapeMeasurement, escapeTag, seriesKey } from './influx-line';

const batch = (rows: [number, number, number, number][]) => ({
  signal: Uint32Array.from(rows.map((r) => r[0])),
  ts: Float64Array.from(rows.map((r) => r[1])),
  value: Float64Array.from(rows.map((r) => r[2])),
  quality: Uint8Array.from(rows.map((r) => r[3])),
});

describe('InfluxDB line protocol', () => {
  it('escapes what the line protocol reference says, where it says', () => {
    expect(escapeMeasurement('hot mill,2')).toBe('hot\\ mill\\,2');
    expect(escapeMeasurement('a=b')).toBe('a=b'); // equals signs are plain in a measurement
    expect(escapeTag('Exit Tension, kN=x')).toBe('Exit\\ Tension\\,\\ kN\\=x');
    expect(escapeTag('two\nlines')).toBe('two\\ lines');
    expect(seriesKey('parx', { unit: '°C', signal: 'Zone 1', line: 'Line 1' })).toBe('parx,line=Line\\ 1,signal=Zone\\ 1,unit=°C');
    expect(seriesKey('parx', { signal: 'Coil ID', unit: '' })).toBe('parx,signal=Coil\\ ID');
  });

  it('writes one point per published sample: value and quality, microseconds; NaN and infinities as quality only', () => {
    const keys = new Map([
      [1, 'parx,signal=a'],
      [2, 'parx,signal=b'],
    ]);
    const lines: string[] = [];
    const next = appendLines(batch([[1, 1795153438561.25, 31.5, 0], [3, 1795153438562, 1, 0], [2, 1795153438563, NaN, 3], [1, 1795153438564, -Infinity, 1], [2, 1795153438565, 1e21, 2]]), keys, lines, 100);
    expect(next).toBe(5);
    expect(lines).toEqual([
      'parx,signal=a value=31.5,q=0i 1795153438561250',
      'parx,signal=b q=3i 1795153438563000',
      'parx,signal=a q=1i 1795153438564000',
      'parx,signal=b value=1e+21,q=2i 1795153438565000',
    ]);
  });

  it('stops at the limit and resumes from the index it returned', () => {
    const keys = new Map([[0, 'm,signal=x']]);
    const b = batch(Array.from({ length: 7 }, (_, i) => [0, 1000 + i, i, 0] as [number, number, number, number]));
    const lines: string[] = [];
    let at = appendLines(b, keys, lines, 3);
    expect([at, lines.length]).toEqual([3, 3]);
    lines.length = 0;
    at = appendLines(b, keys, lines, 3, at);
    expect([at, lines[0]]).toEqual([6, 'm,signal=x value=3,q=0i 1003000']);
  });
});
