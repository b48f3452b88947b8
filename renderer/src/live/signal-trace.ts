/**
 * The recent history of one live signal, bounded both by sample count and by time, kept in
 * typed arrays. The trend reads it as one flat [t0, v0, t1, v1, …] array per redraw —
 * the layout echarts draws fastest — never as arrays of pairs.
 */
export class SignalTrace {
  private readonly ts: Float64Array;
  private readonly values: Float64Array;
  private readonly quality: Uint8Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity = 16_384) {
    this.ts = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.quality = new Uint8Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(ts: number, value: number, quality: number): void {
    const at = (this.start + this.count) % this.capacity;
    this.ts[at] = ts;
    this.values[at] = value;
    this.quality[at] = quality;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Drops samples older than `oldestTs`. */
  trimBefore(oldestTs: number): void {
    while (this.count > 0 && (this.ts[this.start] as number) < oldestTs) {
      this.start = (this.start + 1) % this.capacity;
      this.count--;
    }
  }

  latest(): { ts: number; value: number; quality: number } | undefined {
    if (this.count === 0) return undefined;
    const at = (this.start + this.count - 1) % this.capacity;
    return { ts: this.ts[at] as number, value: this.values[at] as number, quality: this.quality[at] as number };
  }

  /** Interleaved [t, v, …] from `fromTs` on; a bad sample is NaN so the line breaks there instead of bridging the gap. */
  toXY(fromTs = -Infinity, out?: Float64Array): Float64Array {
    let first = 0;
    while (first < this.count && (this.ts[(this.start + first) % this.capacity] as number) < fromTs) first++;
    const n = this.count - first;
    const xy = out && out.length === n * 2 ? out : new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const at = (this.start + first + i) % this.capacity;
      xy[2 * i] = this.ts[at] as number;
      xy[2 * i + 1] = (this.quality[at] as number) === 3 ? NaN : (this.values[at] as number);
    }
    return xy;
  }
}
