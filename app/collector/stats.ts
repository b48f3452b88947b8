/** A fixed window of recent measurements with percentiles; no allocation per sample. */
export class RollingStats {
  private readonly values: Float64Array;
  private count = 0;
  private next = 0;

  constructor(capacity = 1024) {
    this.values = new Float64Array(capacity);
  }

  add(v: number): void {
    this.values[this.next] = v;
    this.next = (this.next + 1) % this.values.length;
    if (this.count < this.values.length) this.count++;
  }

  get size(): number {
    return this.count;
  }

  percentile(p: number): number {
    if (this.count === 0) return 0;
    const sorted = this.values.slice(0, this.count).sort();
    const idx = Math.min(this.count - 1, Math.max(0, Math.ceil((p / 100) * this.count) - 1));
    return sorted[idx] as number;
  }

  clear(): void {
    this.count = 0;
    this.next = 0;
  }
}

/** Milliseconds since the epoch with sub-millisecond resolution (Date.now() is whole ms). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
