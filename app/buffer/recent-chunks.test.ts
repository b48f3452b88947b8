import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RecentChunks, type RecentChunk } from './recent-chunks';

describe('RecentChunks (one ring for the flushed chunks)', () => {
  it('property: a live chunk always holds exactly its bytes, the newest fitting chunk is kept, memory never exceeds the bound', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 40 }), (maxBytes, sizes) => {
        const ring = new RecentChunks(maxBytes);
        const kept: { chunk: RecentChunk; data: Buffer }[] = [];
        let offset = 0;
        for (const [k, size] of sizes.entries()) {
          const data = Buffer.from(Array.from({ length: size }, (_, i) => (k * 31 + i) & 255)); // differs from chunk to chunk
          ring.remember(1, offset, data);
          const got = ring.range(1, offset, offset + size);
          if (size <= maxBytes) {
            expect(got).toHaveLength(1);
            kept.push({ chunk: (got as RecentChunk[])[0] as RecentChunk, data });
          } else expect(got).toBeNull();
          offset += size;
          const live = kept.filter((x) => x.chunk.live);
          for (const x of live) expect(x.chunk.buf.equals(x.data)).toBe(true);
          expect(live.reduce((n, x) => n + x.data.length, 0)).toBeLessThanOrEqual(maxBytes);
        }
        // What is still live is a contiguous tail of the segment, and range() serves it whole.
        const live = kept.filter((x) => x.chunk.live);
        if (live.length > 0) {
          const from = (live[0] as (typeof live)[number]).chunk.offset;
          const served = ring.range(1, from, offset);
          expect(served && Buffer.concat(served.map((c) => c.buf)).equals(Buffer.concat(live.map((x) => x.data)))).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a range with an evicted part, or of a dropped segment, is not served from memory', () => {
    const ring = new RecentChunks(100);
    ring.remember(1, 0, Buffer.alloc(60, 1));
    ring.remember(1, 60, Buffer.alloc(60, 2)); // evicts the first
    expect(ring.range(1, 0, 120)).toBeNull();
    expect(ring.range(1, 60, 120)?.map((c) => c.buf[0])).toEqual([2]);
    ring.remember(2, 0, Buffer.alloc(30, 3));
    ring.dropSegment(1);
    expect(ring.range(1, 60, 120)).toBeNull();
    expect(ring.range(2, 0, 30)?.map((c) => c.buf[0])).toEqual([3]);
  });
});
