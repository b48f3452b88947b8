/**
 * What a batch's close needs to know about its samples — row count, first and last time, and
 * per signal the count and min/max/mean of the usable ones — gathered while they are appended,
 * so the close does not scan every staged part twice more to find it out. Same rules as the
 * SQL in batch-file.ts (`signalStats`), which recovery still uses.
 */
import type { SampleBatch } from '../shared/samples';
import type { SignalStats } from './batch-file';
import type { BatchDescriptor } from './format';

/** Ids at or above this are not tracked here (the close falls back to SQL); batch keys allow ids below 2^20 anyway. */
const MAX_ID = 1 << 20;
const BAD = 3;

export interface KnownStats {
  readonly rows: number;
  /** ms; Infinity / -Infinity when there are no rows. */
  readonly minTs: number;
  readonly maxTs: number;
  readonly signals: readonly SignalStats[];
}

export class SampleStats {
  private rows = 0;
  private minTs = Infinity;
  private maxTs = -Infinity;
  private count = new Float64Array(0);
  private usable = new Float64Array(0);
  private min = new Float64Array(0);
  private max = new Float64Array(0);
  private sum = new Float64Array(0);
  /** Set when an id is out of range: the close then asks SQL. */
  private unknown = false;

  add(b: SampleBatch, from: number, to: number): void {
    if (this.unknown) return;
    const { ts, signal, value, quality } = b;
    let lo = this.minTs;
    let hi = this.maxTs;
    for (let i = from; i < to; i++) {
      const id = signal[i] as number;
      if (id >= this.count.length && !this.grow(id)) return;
      const t = ts[i] as number;
      if (t < lo) lo = t;
      if (t > hi) hi = t;
      this.count[id] = (this.count[id] as number) + 1;
      const v = value[i] as number;
      if (quality[i] === BAD || !Number.isFinite(v)) continue;
      if (this.usable[id] === 0 || v < (this.min[id] as number)) this.min[id] = v;
      if (this.usable[id] === 0 || v > (this.max[id] as number)) this.max[id] = v;
      this.usable[id] = (this.usable[id] as number) + 1;
      this.sum[id] = (this.sum[id] as number) + v;
    }
    this.minTs = lo;
    this.maxTs = hi;
    this.rows += to - from;
  }

  private grow(id: number): boolean {
    if (id >= MAX_ID) {
      this.unknown = true;
      return false;
    }
    const size = Math.min(MAX_ID, Math.max(1024, 2 ** Math.ceil(Math.log2(id + 1))));
    const bigger = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.count = bigger(this.count);
    this.usable = bigger(this.usable);
    this.min = bigger(this.min);
    this.max = bigger(this.max);
    this.sum = bigger(this.sum);
    return true;
  }

  /** The figures for the close, or null when they are not known here (an id out of range). */
  result(d: BatchDescriptor): KnownStats | null {
    if (this.unknown) return null;
    const names = new Map(d.signals.map((s) => [s.id, s.name]));
    const signals: SignalStats[] = [];
    for (let id = 0; id < this.count.length; id++) {
      const n = this.count[id] as number;
      if (n === 0) continue;
      const u = this.usable[id] as number;
      const mean = u > 0 ? (this.sum[id] as number) / u : null;
      signals.push({
        signal: names.get(id) ?? `#${id}`,
        count: n,
        min: u > 0 ? (this.min[id] as number) : null,
        max: u > 0 ? (this.max[id] as number) : null,
        mean: mean !== null && Number.isFinite(mean) ? mean : null,
      });
    }
    return { rows: this.rows, minTs: this.minTs, maxTs: this.maxTs, signals };
  }
}
