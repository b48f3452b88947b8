/**
 * The pyramid built in slices of signals (yielding between them) is exactly the pyramid built
 * in one piece: same levels, same buckets, same offsets and spans, same unsorted signals —
 * whatever the slice size, with signals that have no rows and signals out of time order.
 * And the sidecar written in chunks is byte for byte the sidecar written whole.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ABS_COLUMNS, buildPyramid, type AbsBuckets } from './pyramid';
import { buildInSlices } from './pyramid-build';
import { decodeHead, encodePyramid, encodePyramidChunks } from './pyramid-file';

const maybeNaN = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(NaN));

/** Level-0 buckets as the build query returns them: by signal (1-based) then group; a signal may have none. */
const buckets = fc
  .array(fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: -50, max: 400 }), maybeNaN, maybeNaN, fc.integer({ min: 0, max: 3 })), { maxLength: 120 }), { minLength: 1, maxLength: 7 })
  .map((signals) => {
    const rows: number[][] = [];
    signals.forEach((list, k) => {
      let g = 0;
      let t = 1000;
      for (const [step, dt, v, w, q] of list) {
        g += step;
        t += dt; // mostly forward; backwards now and then: an unsorted signal
        rows.push([k + 1, g, t, t + 9, t + 1, v, t + 8, w, t + 2, Math.min(v, w), t + 3, Math.max(v, w), Number.isNaN(v) ? t + 1 : NaN, 32, q]);
      }
    });
    const b = Object.fromEntries(ABS_COLUMNS.map((c, i) => [c, Float64Array.from(rows, (r) => r[i]!)])) as unknown as AbsBuckets;
    return { names: signals.map((_, k) => `S${k}`), b };
  });

describe('pyramid built in slices', () => {
  it('equals the one-piece build for any slice size', async () => {
    await fc.assert(
      fc.asyncProperty(buckets, fc.integer({ min: 1, max: 50 }), async ({ names, b }, slice) => {
        const whole = buildPyramid(names, b);
        const sliced = await buildInSlices(names, b, slice);
        expect(sliced).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('writes the sidecar in chunks: the same bytes, the head first', () => {
    fc.assert(
      fc.property(buckets, fc.integer({ min: 8, max: 4096 }), ({ names, b }, chunkBytes) => {
        const p = buildPyramid(names, b);
        const whole = encodePyramid(p, '/rec/x.parquet');
        const chunks = [...encodePyramidChunks(p, '/rec/x.parquet', chunkBytes)];
        expect(Buffer.concat(chunks).equals(Buffer.from(whole))).toBe(true);
        const head = decodeHead(chunks[0]!, whole.length);
        expect(typeof head === 'number' ? head : head.source).toBe('/rec/x.parquet');
      }),
      { numRuns: 200 },
    );
  });
});
