/**
 * A bounded columnar buffer of samples waiting for one subscriber. When full it drops the
 * oldest sample: a slow viewer sees the newest data and a count of what it missed, and the
 * collector never waits for it.
 */
import type { SampleBatch } from '../shared/samples';

export class SampleRing {
  private readonly signal: Uint32Array;
  private readonly ts: Float64Array;
  private readonly value: Float64Array;
  private readonly quality: Uint8Array;
  private head = 0; // index of the oldest sample
  private count = 0;
  dropped = 0;

  constructor(readonly capacity: number) {
    this.signal = new Uint32Array(capacity);
    this.ts = new Float64Array(capacity);
    this.value = new Float64Array(capacity);
    this.quality = new Uint8Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(signal: number, ts: number, value: number, quality: number): void {
    let at: number;
    if (this.count === this.capacity) {
      at = this.head;
      this.head = (this.head + 1) % this.capacity;
      this.dropped++;
    } else {
      at = (this.head + this.count) % this.capacity;
      this.count++;
    }
    this.signal[at] = signal;
    this.ts[at] = ts;
    this.value[at] = value;
    this.quality[at] = quality;
  }

  /** Everything buffered, oldest first, as fresh arrays (safe to transfer); empties the ring. */
  drain(): SampleBatch {
    const n = this.count;
    const out: SampleBatch = { signal: new Uint32Array(n), ts: new Float64Array(n), value: new Float64Array(n), quality: new Uint8Array(n) };
    const first = Math.min(n, this.capacity - this.head);
    const copy = <T extends Uint32Array | Float64Array | Uint8Array>(dst: T, src: T): void => {
      dst.set(src.subarray(this.head, this.head + first));
      if (first < n) dst.set(src.subarray(0, n - first), first);
    };
    copy(out.signal, this.signal);
    copy(out.ts, this.ts);
    copy(out.value, this.value);
    copy(out.quality, this.quality);
    this.head = 0;
    this.count = 0;
    return out;
  }
}
