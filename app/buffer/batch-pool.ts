/**
 * Spare column buffers for sample batches read back from the journal, so a recording that
 * decodes a batch per record, hands it to the recorder worker and gets it back does not ask
 * the allocator for megabytes every few milliseconds. That churn of large, variously sized
 * blocks (freed on another thread) is what made the process's RSS creep up over a long run
 * while every JS heap and DuckDB stayed level: the allocator kept the freed blocks, scattered.
 *
 * A batch taken from the pool has arrays of exactly n elements, viewing buffers whose capacity
 * is n rounded up to a power of two (so batches of slightly different sizes share buffers).
 * Whoever is last to hold a batch may give its buffers back (e.g. the worker returns them with
 * its reply); a batch never given back is simply garbage, as before.
 */
import type { SampleBatch } from '../shared/samples';

/** Buffers smaller than this are not worth pooling: V8 and the allocator handle them well. */
const MIN_POOLED_BYTES = 64 * 1024;

export class BatchPool {
  /** Spare buffers by byte length. */
  private readonly spare = new Map<number, ArrayBuffer[]>();
  private spareBytes = 0;
  private taken = 0;
  private reused = 0;

  /** `maxSpareBytes` bounds what the pool keeps: a burst of big batches is not held for good. */
  constructor(private readonly maxSpareBytes = 64 * 1024 * 1024) {}

  /** A batch of n samples whose contents are unspecified (the caller fills every element). */
  take(n: number): SampleBatch {
    const cap = n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n));
    this.taken++;
    return {
      ts: new Float64Array(this.buffer(cap * 8), 0, n),
      value: new Float64Array(this.buffer(cap * 8), 0, n),
      signal: new Uint32Array(this.buffer(cap * 4), 0, n),
      quality: new Uint8Array(this.buffer(cap), 0, n),
    };
  }

  /** Takes back buffers nobody else holds any more (detached ones are skipped). */
  give(buffers: readonly ArrayBuffer[]): void {
    for (const b of buffers) {
      const bytes = b.byteLength;
      // A power-of-two size the pool hands out; 0 is a buffer transferred away meanwhile.
      if (bytes < MIN_POOLED_BYTES || (bytes & (bytes - 1)) !== 0) continue;
      if (this.spareBytes + bytes > this.maxSpareBytes) continue;
      const list = this.spare.get(bytes);
      if (list) list.push(b);
      else this.spare.set(bytes, [b]);
      this.spareBytes += bytes;
    }
  }

  /** How well the pool serves: batches taken, buffers reused, bytes kept spare. */
  stats(): { taken: number; reusedBuffers: number; spareBytes: number } {
    return { taken: this.taken, reusedBuffers: this.reused, spareBytes: this.spareBytes };
  }

  private buffer(bytes: number): ArrayBuffer {
    const b = this.spare.get(bytes)?.pop();
    if (!b) return new ArrayBuffer(bytes);
    this.spareBytes -= bytes;
    this.reused++;
    return b;
  }
}
