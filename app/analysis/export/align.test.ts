import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { alignRaw, holdOnto, makeGrid } from './align';

const series = (ts: number[], value: number[]) => ({ ts: Float64Array.from(ts), value: Float64Array.from(value), quality: new Uint8Array(ts.length) });

describe('align', () => {
  it('raw: union of times, empty where a signal has no sample', () => {
    const t = alignRaw([series([0, 20, 40], [1, 2, 3]), series([0, 30], [10, 11])]);
    expect([...t.time]).toEqual([0, 20, 30, 40]);
    expect([...(t.columns[0] as Float64Array)]).toEqual([1, 2, NaN, 3]);
    expect([...(t.columns[1] as Float64Array)]).toEqual([10, NaN, 11, NaN]);
  });

  it('zero-order hold: the latest sample at or before each grid time, empty before the first', () => {
    const h = holdOnto(series([10, 25], [1, 2]), makeGrid(0, 40, 10));
    expect([...h.value]).toEqual([NaN, 1, 1, 2, 2]);
    expect([...h.quality]).toEqual([3, 0, 0, 0, 0]);
  });

  it('hold agrees with a brute-force search (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 50 }), fc.integer({ min: 1, max: 97 }), (times, step) => {
        const ts = [...times].sort((a, b) => a - b);
        const s = series(ts, ts.map((t) => t * 2));
        const grid = makeGrid(0, 1000, step);
        const h = holdOnto(s, grid);
        grid.forEach((g, i) => {
          const before = ts.filter((t) => t <= g);
          expect(h.value[i]).toBe(before.length ? (before.at(-1) as number) * 2 : NaN);
        });
      }),
    );
  });

  it('refuses an absurd grid', () => {
    expect(() => makeGrid(0, 1e12, 1)).toThrow(/choose a larger step/);
  });
});
