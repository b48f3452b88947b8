import { describe, expect, it } from 'vitest';
import { rangeStats, valueAt } from './cursor-stats';
import { lengthFromLength, lengthFromSpeed } from './length';
import type { Trace } from './m4';

const t: Trace = {
  x: Float64Array.from([0, 10, 20, 30, 40, 50]),
  value: Float64Array.from([2, 4, 4, NaN, 5, 100]),
  quality: Uint8Array.from([0, 0, 0, 3, 0, 3]),
};

describe('cursor statistics', () => {
  it('match a hand computation over usable samples between the cursors', () => {
    // Between 0 and 45: 2, 4, 4, 5 (30 is a gap, 50 outside). mean 15/4 = 3.75;
    // deviations −1.75, .25, .25, 1.25 → squares 3.0625 + .0625 + .0625 + 1.5625 = 4.75; /4 = 1.1875.
    const s = rangeStats(t, 45, 0);
    expect(s.count).toBe(4);
    expect(s.min).toBe(2);
    expect(s.max).toBe(5);
    expect(s.mean).toBeCloseTo(3.75, 12);
    expect(s.std).toBeCloseTo(Math.sqrt(1.1875), 12);
  });

  it('read the last usable sample at or before a cursor', () => {
    expect(valueAt(t, 35)).toEqual({ x: 20, value: 4 });
    expect(valueAt(t, 40)).toEqual({ x: 40, value: 5 });
    expect(valueAt(t, 60)).toEqual({ x: 40, value: 5 }); // 50 is bad
    expect(valueAt(t, -1)).toBeNull();
  });

  it('are empty, not NaN, with no samples', () => {
    expect(rangeStats(t, 100, 200)).toEqual({ count: 0, min: null, max: null, mean: null, std: null });
  });
});

describe('length integration', () => {
  it('integrates held speed (m/min) from 0 at the first usable reading, skipping bad readings', () => {
    // 60 m/min from 0 to 60 s, a bad reading at 30 s (held across), 120 m/min from 60 s.
    const speed: Trace = { x: Float64Array.from([0, 30_000, 60_000]), value: Float64Array.from([60, 999, 120]), quality: Uint8Array.from([0, 3, 0]) };
    const l = lengthFromSpeed(speed, Float64Array.from([-1, 0, 30_000, 60_000, 90_000]));
    expect(Number.isNaN(l[0]!)).toBe(true);
    expect([...l.subarray(1)]).toEqual([0, 30, 60, 120]);
  });

  it('holds the latest usable length reading', () => {
    const len: Trace = { x: Float64Array.from([10, 20, 30]), value: Float64Array.from([1, NaN, 3]), quality: new Uint8Array(3) };
    const l = lengthFromLength(len, Float64Array.from([5, 10, 25, 30]));
    expect(Number.isNaN(l[0]!)).toBe(true);
    expect([...l.subarray(1)]).toEqual([1, 1, 3]);
  });
});
