/**
 * A circular buffer of (time, value) pairs that can work as a FIFO window or a deque.
 * It grows by doubling up to a hard limit: time windows hold as many samples as fall
 * inside the duration, and the limit keeps a dense signal from eating all memory.
 */
import { FormulaRuntimeError } from '../kernel';

export class Ring {
  v: Float64Array;
  t: Float64Array;
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

  private slot(k: number): number {
    const i = this.head + k;
    return i >= this.cap ? i - this.cap : i;
  }

  push(t: number, v: number): void {
    if (this.size === this.cap) this.grow();
    const i = this.slot(this.size);
    this.t[i] = t;
    this.v[i] = v;
    this.size++;
  }

  /** Removes the oldest entry and returns its value. */
  shift(): number {
    const v = this.v[this.head]!;
    this.head = this.head + 1 === this.cap ? 0 : this.head + 1;
    this.size--;
    return v;
  }

  /** Removes the newest entry (deque use). */
  pop(): void {
    this.size--;
  }

  frontT(): number {
    return this.t[this.head]!;
  }
  frontV(): number {
    return this.v[this.head]!;
  }
  backT(): number {
    return this.t[this.slot(this.size - 1)]!;
  }
  backV(): number {
    return this.v[this.slot(this.size - 1)]!;
  }
  /** Value k places after the oldest. */
  at(k: number): number {
    return this.v[this.slot(k)]!;
  }

  private grow(): void {
    if (this.cap >= this.limit) {
      throw new FormulaRuntimeError(`${this.what} holds more than ${this.limit} samples (the maxWindow limit); use a shorter window`);
    }
    const cap = Math.min(this.limit, this.cap * 2);
    const v = new Float64Array(cap);
    const t = new Float64Array(cap);
    for (let k = 0; k < this.size; k++) {
      const i = this.slot(k);
      v[k] = this.v[i]!;
      t[k] = this.t[i]!;
    }
    this.v = v;
    this.t = t;
    this.cap = cap;
    this.head = 0;
  }
}
