import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SampleBatch } from '../shared/samples';
import { batchTransferables } from '../shared/samples';
import { BatchPool } from './batch-pool';
import { decodeRecord, encodeRecord } from './record';

const batch = (values: number[]): SampleBatch => ({
  signal: Uint32Array.from(values, (_, i) => i % 7),
  ts: Float64Array.from(values, (_, i) => 1000 + i),
  value: Float64Array.from(values),
  quality: Uint8Array.from(values, (_, i) => i % 4),
});

describe('BatchPool', () => {
  it('hands out arrays of exactly n samples and reuses buffers given back, for any size in the same power of two', () => {
    const pool = new BatchPool();
    const a = pool.take(100_000);
    expect([a.ts.length, a.value.length, a.signal.length, a.quality.length]).toEqual([100_000, 100_000, 100_000, 100_000]);
    expect(a.ts.buffer.byteLength).toBe(131_072 * 8);
    const buffers = batchTransferables(a);
    pool.give(buffers);
    const b = pool.take(120_000);
    expect(batchTransferables(b).sort((x, y) => x.byteLength - y.byteLength)).toEqual(buffers.sort((x, y) => x.byteLength - y.byteLength));
    expect(new Set(batchTransferables(b)).size).toBe(4); // four distinct buffers: transferable together
    expect(pool.stats()).toMatchObject({ taken: 2, reusedBuffers: 4, spareBytes: 0 });
    // A batch four times larger: buffers go by bytes, so only its quality column (512 kB) fits a spare (the signal column's).
    pool.give(batchTransferables(b));
    const c = pool.take(300_000);
    expect(pool.stats().reusedBuffers).toBe(5);
    expect(c.quality.buffer.byteLength).toBe(524_288);
  });

  it('keeps no more than its bound, and ignores small, odd-sized and detached buffers', () => {
    const pool = new BatchPool(3 * 1024 * 1024);
    pool.give([new ArrayBuffer(1 << 20), new ArrayBuffer(1 << 20), new ArrayBuffer(1 << 20), new ArrayBuffer(1 << 20)]);
    expect(pool.stats().spareBytes).toBe(3 * 1024 * 1024);
    const small = new BatchPool();
    const detached = new ArrayBuffer(1 << 20);
    structuredClone(detached, { transfer: [detached] });
    small.give([new ArrayBuffer(1024), new ArrayBuffer(3 * 65_536), detached]);
    expect(small.stats().spareBytes).toBe(0);
  });

  it('property: batches decoded into reused buffers hold exactly what was encoded, whatever was in them before', () => {
    const pool = new BatchPool();
    fc.assert(
      fc.property(fc.array(fc.array(fc.double(), { minLength: 9_000, maxLength: 9_000 }).chain((v) => fc.constant(v)), { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: 1, max: 9_000 }), { minLength: 1, maxLength: 4 }), (series, sizes) => {
        for (const [k, n] of sizes.entries()) {
          const values = (series[k % series.length] as number[]).slice(0, n);
          const r = decodeRecord(encodeRecord(batch(values)), 0, (m) => pool.take(m));
          if (!r.ok) throw new Error(r.reason);
          expect(Array.from(r.batch.value)).toEqual(values);
          expect(Array.from(r.batch.quality)).toEqual(values.map((_, i) => i % 4));
          expect(Array.from(r.batch.signal)).toEqual(values.map((_, i) => i % 7));
          pool.give(batchTransferables(r.batch));
        }
      }),
      { numRuns: 30 },
    );
    expect(pool.stats().reusedBuffers).toBeGreaterThan(0);
  });
});
