import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SampleBatch } from '../../shared/samples';
import { compact, DeadbandFilter, type Band } from './deadband';

const batchOf = (rows: { s: number; t: number; v: number; q?: number }[]): SampleBatch => ({
  signal: Uint32Array.from(rows, (r) => r.s),
  ts: Float64Array.from(rows, (r) => r.t),
  value: Float64Array.from(rows, (r) => r.v),
  quality: Uint8Array.from(rows, (r) => r.q ?? 0),
});

/** Signal 0 and 1 banded, signal 2 not; time ascending per signal. */
const streams = fc.array(fc.record({ s: fc.integer({ min: 0, max: 2 }), dt: fc.integer({ min: 0, max: 400 }), v: fc.double({ min: -1000, max: 1000, noNaN: true }) }), { maxLength: 300 }).map((rows) => {
  let t = 1_000;
  return rows.map((r) => ({ s: r.s, t: (t += r.dt), v: r.v }));
});
const bandsArb = fc.tuple(fc.double({ min: 0, max: 200, noNaN: true }), fc.boolean(), fc.integer({ min: 1, max: 2000 })).map(([deadband, percent, maxIntervalMs]): Band[] => [
  { signal: 0, deadband, percent, maxIntervalMs },
  { signal: 1, deadband, percent: !percent, maxIntervalMs },
]);

describe('on-change filter (deadband + heartbeat)', () => {
  it('keeps the first sample, changes beyond the band, quality changes, and the heartbeat', () => {
    const f = new DeadbandFilter([{ signal: 1, deadband: 0.5, percent: false, maxIntervalMs: 1000 }]);
    const m = f.mask(
      batchOf([
        { s: 1, t: 0, v: 10 },
        { s: 1, t: 100, v: 10.4 }, // within the band
        { s: 1, t: 200, v: 10.6 }, // 0.6 from the last kept (10): kept
        { s: 1, t: 300, v: 10.6, q: 1 }, // quality changed: kept
        { s: 1, t: 1300, v: 10.6, q: 1 }, // heartbeat: 1000 ms since the last kept
        { s: 2, t: 1300, v: 1 }, // no band: always
        { s: 1, t: 1400, v: NaN, q: 1 }, // a gap is a change
      ]),
    );
    expect([...m]).toEqual([1, 0, 1, 1, 1, 1, 1]);
  });

  it('percent band is relative to the last kept value', () => {
    const f = new DeadbandFilter([{ signal: 0, deadband: 10, percent: true, maxIntervalMs: 60_000 }]);
    expect([...f.mask(batchOf([{ s: 0, t: 0, v: 200 }, { s: 0, t: 1, v: 219 }, { s: 0, t: 2, v: 221 }, { s: 0, t: 3, v: 240 }]))]).toEqual([1, 0, 1, 0]);
  });

  it('property: a dropped sample is within the band of the last kept one and within the heartbeat; unbanded signals are never dropped', () => {
    fc.assert(
      fc.property(streams, bandsArb, (rows, bands) => {
        const keep = new DeadbandFilter(bands).mask(batchOf(rows));
        const last = new Map<number, { v: number; t: number }>();
        rows.forEach((r, i) => {
          const band = bands.find((b) => b.signal === r.s);
          if (!band) return expect(keep[i]).toBe(1);
          const l = last.get(r.s);
          if (!keep[i]) {
            expect(l).toBeDefined();
            const limit = band.percent ? (Math.abs(l!.v) * band.deadband) / 100 : band.deadband;
            expect(Math.abs(r.v - l!.v)).toBeLessThanOrEqual(limit); // never drops a change larger than the band
            expect(r.t - l!.t).toBeLessThan(band.maxIntervalMs); // heartbeat bound
          } else last.set(r.s, { v: r.v, t: r.t });
        });
      }),
    );
  });

  it('property: the verdict does not depend on how the stream is cut into batches', () => {
    fc.assert(
      fc.property(streams, bandsArb, fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 6 }), (rows, bands, cuts) => {
        const whole = [...new DeadbandFilter(bands).mask(batchOf(rows))];
        const f = new DeadbandFilter(bands);
        const points = [...new Set([0, ...cuts.map((c) => Math.min(c, rows.length)), rows.length])].sort((a, b) => a - b);
        const pieces: number[] = [];
        for (let k = 1; k < points.length; k++) pieces.push(...f.mask(batchOf(rows.slice(points[k - 1], points[k]))));
        expect(pieces).toEqual(whole);
      }),
    );
  });

  it('compact keeps exactly the marked samples, in order', () => {
    const b = batchOf([{ s: 1, t: 1, v: 1 }, { s: 2, t: 2, v: 2 }, { s: 3, t: 3, v: 3 }]);
    const c = compact(b, Uint8Array.from([1, 0, 1]));
    expect([...c.signal]).toEqual([1, 3]);
    expect([...c.ts]).toEqual([1, 3]);
    expect(compact(b, Uint8Array.from([1, 1, 1]))).toBe(b);
  });
});
