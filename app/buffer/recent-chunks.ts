/**
 * What the journal's last flushes wrote, kept in memory so a consumer that keeps up replays it
 * without reading the file back. The chunks live in one ring of `maxBytes`, allocated once:
 * a long recording does not allocate (and scatter) tens of megabytes a second — that churn
 * of variously sized blocks is what made the process's RSS creep up over a run.
 *
 * Reuse means a chunk's bytes can be overwritten while a reader is part-way through it: a
 * reader checks `live` before each record it decodes and goes to the file once it is false.
 */
export interface RecentChunk {
  readonly segment: number;
  /** Where in its segment the chunk starts. */
  readonly offset: number;
  /** Byte for byte what the segment holds from `offset` on; whole records only. */
  readonly buf: Buffer;
  /** False once evicted: `buf` may then hold another chunk's bytes. */
  live: boolean;
}

export class RecentChunks {
  /** Oldest first; each occupies [at, at + buf.length) of the ring. */
  private chunks: (RecentChunk & { readonly at: number })[] = [];
  private ring: Buffer | null = null;
  /** Where the next chunk goes (or 0, when it does not fit before the ring's end). */
  private head = 0;

  constructor(private readonly maxBytes: number) {}

  /** Keeps a copy of `data`, flushed to `segment` at `offset`, evicting the oldest chunks in its way. */
  remember(segment: number, offset: number, data: Buffer): void {
    if (data.length > this.maxBytes || data.length === 0) {
      while (this.chunks.length > 0) this.evictOldest();
      return;
    }
    this.ring ??= Buffer.allocUnsafe(this.maxBytes);
    const at = this.head + data.length <= this.ring.length ? this.head : 0;
    const end = at + data.length;
    // Chunks lie in the ring in the order they came, so the ones in the way are the oldest.
    while (this.chunks.some((c) => c.at < end && at < c.at + c.buf.length)) this.evictOldest();
    data.copy(this.ring, at);
    this.chunks.push({ segment, offset, buf: this.ring.subarray(at, end), live: true, at });
    this.head = end;
  }

  /**
   * The chunks that hold segment `seq` from `start` to `end`, contiguously, oldest first; null
   * when part of that range is no longer in memory.
   */
  range(seq: number, start: number, end: number): RecentChunk[] | null {
    const out: RecentChunk[] = [];
    let at = start;
    for (const c of this.chunks) {
      if (c.segment !== seq || c.offset + c.buf.length <= at) continue;
      if (c.offset > at) return null; // a gap: part of the range was evicted
      out.push(c);
      at = c.offset + c.buf.length;
    }
    return at === end ? out : null;
  }

  /** Forgets the chunks of a segment deleted from disk. */
  dropSegment(seq: number): void {
    for (const c of this.chunks) if (c.segment === seq) c.live = false;
    this.chunks = this.chunks.filter((c) => c.live);
  }

  private evictOldest(): void {
    const c = this.chunks.shift();
    if (c) c.live = false;
  }
}
