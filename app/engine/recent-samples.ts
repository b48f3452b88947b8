/**
 * The last few minutes of every signal, in memory, per signal: what the formula editor's
 * live preview evaluates over while the user types. Bounded in total (not per signal), so a
 * workspace with thousands of signals keeps fewer samples of each rather than more memory.
 */
import type { SampleBatch } from '../shared/samples';

/** Total samples kept across all signals (16 bytes each: 64 MB). */
export const RECENT_BUDGET = 4_000_000;
const MAX_PER_SIGNAL = 65_536;
const MIN_PER_SIGNAL = 1_024;

class SignalHistory {
  t: Float64Array;
  v: Float64Array;
  head = 0; // index of the oldest sample
  count = 0;

  constructor(
    initial: number,
    private readonly cap: number,
  ) {
    this.t = new Float64Array(Math.min(initial, cap));
    this.v = new Float64Array(Math.min(initial, cap));
  }

  push(t: number, v: number): void {
    if (this.count > 0 && t < this.newest()) return; // a reconnect can repeat a time: keep the series ascending
    if (this.count === this.t.length && this.t.length < this.cap) this.grow();
    const len = this.t.length;
    if (this.count === len) {
      this.t[this.head] = t;
      this.v[this.head] = v;
      this.head = (this.head + 1) % len;
    } else {
      const at = (this.head + this.count) % len;
      this.t[at] = t;
      this.v[at] = v;
      this.count++;
    }
  }

  newest(): number {
    return this.t[(this.head + this.count - 1) % this.t.length]!;
  }

  private grow(): void {
    const { t, v } = this.copy(-Infinity, Infinity);
    const size = Math.min(this.cap, this.t.length * 2);
    this.t = new Float64Array(size);
    this.v = new Float64Array(size);
    this.t.set(t);
    this.v.set(v);
    this.head = 0;
  }

  /** Samples with from ≤ t ≤ to, oldest first, as fresh arrays. */
  copy(from: number, to: number): { t: Float64Array; v: Float64Array } {
    const len = this.t.length;
    const idx = (k: number): number => (this.head + k) % len;
    // Binary search over the logical order (it is ascending).
    const lower = (x: number, strict: boolean): number => {
      let lo = 0;
      let hi = this.count;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const tm = this.t[idx(mid)]!;
        if (strict ? tm <= x : tm < x) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const a = lower(from, false);
    const b = lower(to, true);
    const n = Math.max(0, b - a);
    const t = new Float64Array(n);
    const v = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = idx(a + k);
      t[k] = this.t[i]!;
      v[k] = this.v[i]!;
    }
    return { t, v };
  }
}

export class RecentSamples {
  private readonly bySignal = new Map<number, SignalHistory>();
  private perSignal = MAX_PER_SIGNAL;

  /** Sizes the per-signal bound for this many signals and forgets signals no longer listed. */
  keep(ids: readonly number[]): void {
    this.perSignal = Math.max(MIN_PER_SIGNAL, Math.min(MAX_PER_SIGNAL, Math.floor(RECENT_BUDGET / Math.max(1, ids.length))));
    const wanted = new Set(ids);
    for (const id of [...this.bySignal.keys()]) if (!wanted.has(id)) this.bySignal.delete(id);
  }

  add(batch: SampleBatch): void {
    const { signal, ts, value } = batch;
    for (let i = 0; i < signal.length; i++) {
      const id = signal[i]!;
      let h = this.bySignal.get(id);
      if (!h) this.bySignal.set(id, (h = new SignalHistory(MIN_PER_SIGNAL, this.perSignal)));
      h.push(ts[i]!, value[i]!);
    }
  }

  /** One signal's samples in [from, to], oldest first; empty when nothing is known. */
  window(id: number, from = -Infinity, to = Infinity): { t: Float64Array; v: Float64Array } {
    return this.bySignal.get(id)?.copy(from, to) ?? { t: new Float64Array(0), v: new Float64Array(0) };
  }
}
