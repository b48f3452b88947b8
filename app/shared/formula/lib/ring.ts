/**
 * A circular buffer of (time, value) pairs that can work as a FIFO window or a deque.
 * It grows by doubling up to a hard limit: time windows hold as many samples as fall
 * inside the duration, and the limit keeps a dense signal from eating all memory.
 *
 * Hot loops read and write `t`/`v` directly (`const at = ring.reserve(); ring.v[at] = v`,
 * `ring.v[ring.head]`): a call passing or returning a double that V8 does not inline boxes
 * it, one heap allocation per sample. Methods here take and return only small integers.
 * Re-read `t`/`v` after reserve(): growing replaces them.
 */
import { FormulaRuntimeError } from '../kernel';

export class Ring {
  v: Float64Array;
  t: Float64Array;
  /** Physical index of the oldest entry. */
  head = 0;
  size = 0;
  private cap: number;

  constructor(
    initial: number,
    private readonly limit: number,
    private readonly what: string,
  ) {
    this.cap = Math.max(1, Math.min(initial, limit));
    this.v = new Float64Array(this.cap);
    this.t = new Float64Array(this.cap);
  }

  /** Physical index of the entry k places after the oldest. */
  idx(k: number): number {
    const i = this.head + k;
    return i >= this.cap ? i - this.cap : i;
  }

  /** Appends an entry and returns its physical index; the caller writes `t[i]` and `v[i]`. */
  reserve(): number {
    if (this.size === this.cap) this.grow();
    return this.idx(this.size++);
  }

  /** Removes the oldest entry (read it first at `v[head]`). */
  drop(): void {
    this.head = this.head + 1 === this.cap ? 0 : this.head + 1;
    this.size--;
  }

  /** Removes the newest entry (deque use). */
  pop(): void {
    this.size--;
  }

  private grow(): void {
    if (this.cap >= this.limit) {
      throw new FormulaRuntimeError(`${this.what} holds more than ${this.limit} samples (the maxWindow limit); use a shorter window`);
    }
    const cap = Math.min(this.limit, this.cap * 2);
    const v = new Float64Array(cap);
    const t = new Float64Array(cap);
    for (let k = 0; k < this.size; k++) {
      const i = this.idx(k);
      v[k] = this.v[i]!;
      t[k] = this.t[i]!;
    }
    this.v = v;
    this.t = t;
    this.cap = cap;
    this.head = 0;
  }
}
