import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { m4, type Trace } from './m4';

function trace(values: number[], step = 1): Trace {
  return {
    x: Float64Array.from(values, (_, i) => i * step),
    value: Float64Array.from(values),
    quality: new Uint8Array(values.length),
  };
}

describe('M4 decimation', () => {
  it('keeps each pixel column’s raw min and max, and at most 4 points per pixel', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 3000 }),
        fc.integer({ min: 1, max: 200 }),
        (values, pixels) => {
          const t = trace(values);
          const from = 0;
          const to = values.length - 1;
          const d = m4(t, from, to, pixels);
          const inRange = [...d.x].filter((x) => x >= from && x <= to).length;
          expect(inRange).toBeLessThanOrEqual(4 * pixels);
          if (d.raw) {
            expect(d.x.length).toBe(values.length);
            return;
          }
          const width = (to - from) / pixels || 1;
          const col = (x: number): number => Math.min(pixels - 1, Math.floor((x - from) / width));
          const rawMin = new Map<number, number>();
          const rawMax = new Map<number, number>();
          values.forEach((v, i) => {
            const b = col(i);
            rawMin.set(b, Math.min(rawMin.get(b) ?? Infinity, v));
            rawMax.set(b, Math.max(rawMax.get(b) ?? -Infinity, v));
          });
          const gotMin = new Map<number, number>();
          const gotMax = new Map<number, number>();
          d.x.forEach((x, k) => {
            const b = col(x);
            gotMin.set(b, Math.min(gotMin.get(b) ?? Infinity, d.value[k]!));
            gotMax.set(b, Math.max(gotMax.get(b) ?? -Infinity, d.value[k]!));
          });
          expect(gotMin).toEqual(rawMin);
          expect(gotMax).toEqual(rawMax);
          // Points come out in time order.
          for (let k = 1; k < d.x.length; k++) expect(d.x[k]!).toBeGreaterThanOrEqual(d.x[k - 1]!);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('returns raw samples, plus one either side, when the range holds fewer samples than pixels', () => {
    const t = trace([5, 6, 7, 8, 9, 10, 11]);
    const d = m4(t, 2, 4, 100);
    expect(d.raw).toBe(true);
    expect(d.samples).toBe(3);
    expect([...d.x]).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps a gap marker so the line breaks, and the worst quality of the column', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i === 500 ? NaN : Math.sin(i / 10)));
    const t = trace(values);
    t.quality[700] = 3;
    const d = m4(t, 0, 999, 10);
    expect([...d.value].some((v) => Number.isNaN(v))).toBe(true);
    const width = 999 / 10;
    const col7 = [...d.x].map((x, k) => ({ x, q: d.quality[k] })).filter((p) => Math.floor(p.x / width) === 7);
    expect(col7.length).toBeGreaterThan(0);
    for (const p of col7) expect(p.q).toBe(3);
    expect(d.quality[0]).toBe(0);
  });

  it('decimates an unsorted x (a length that stands still) without binary search', () => {
    const t: Trace = { x: Float64Array.from([0, 1, 1, 1, 2, 3, 2.5, 4]), value: Float64Array.from([1, 2, 9, -9, 3, 4, 5, 6]), quality: new Uint8Array(8) };
    const d = m4(t, 0, 4, 2, false);
    expect(Math.max(...d.value)).toBe(9);
    expect(Math.min(...d.value)).toBe(-9);
  });

  it('gives each kept point the worst quality of its own column when the range starts at the first sample (found by the pyramid property test)', () => {
    // 12 samples 0..11; the range [0, 10] in 2 columns leaves sample 11 as the point after it.
    const x = Float64Array.from({ length: 12 }, (_, i) => i);
    const t: Trace = { x, value: Float64Array.from(x, (i) => i % 3), quality: Uint8Array.from(x, (i) => (i === 7 ? 2 : i === 1 ? 1 : 0)) };
    const d = m4(t, 0, 10, 2);
    const width = 5;
    for (let k = 0; k < d.x.length; k++) {
      if (d.x[k]! > 10) expect(d.quality[k]).toBe(t.quality[d.x[k]!]); // the edge point keeps its own
      else expect(d.quality[k]).toBe(Math.floor(d.x[k]! / width) === 0 ? 1 : 2);
    }
  });
});
