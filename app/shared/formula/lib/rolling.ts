/**
 * Rolling extremes (monotonic deque, O(1) amortised), rolling standard deviation
 * (windowed Welford, O(1)) and moving median (sorted window with binary insertion:
 * O(log N) search plus one memmove per sample). Same window rules as window.ts.
 */
import type { Kernel } from '../kernel';
import { FormulaRuntimeError, newBuffer } from '../kernel';
import type { FunctionDef, WindowSpec } from './define';
import { SAME, sameUnit, series, windowArg } from './define';
import { Ring } from './ring';

export function rollingExtreme(x: Kernel, w: WindowSpec, maxWindow: number, isMin: boolean): Kernel {
  const timed = w.kind === 'time';
  const span = w.kind === 'time' ? w.ms : w.n;
  // The deque's time slot holds the sample's time (time windows) or its running index (sample windows).
  const dq = new Ring(64, timed ? maxWindow : w.n, `the rolling_${isMin ? 'min' : 'max'} window`);
  const out = newBuffer();
  let idx = 0;
  return {
    run(b) {
      const a = x.run(b);
      const T = b.t;
      for (let i = 0; i < b.n; i++) {
        const key = timed ? T[i]! : idx++;
        const lim = key - span;
        while (dq.size > 0 && dq.frontT() <= lim) dq.shift();
        const v = a[i]!;
        if (v === v) {
          if (isMin) while (dq.size > 0 && dq.backV() >= v) dq.pop();
          else while (dq.size > 0 && dq.backV() <= v) dq.pop();
          dq.push(key, v);
        }
        out[i] = dq.size > 0 ? dq.frontV() : NaN;
      }
      return out;
    },
  };
}

/** Sample standard deviation (divides by n - 1) over the window; NaN with fewer than 2 values. */
export function rollingStd(x: Kernel, w: WindowSpec, maxWindow: number): Kernel {
  const timed = w.kind === 'time';
  const N = w.kind === 'samples' ? w.n : 0;
  const W = w.kind === 'time' ? w.ms : 0;
  const ring = new Ring(timed ? 64 : N, timed ? maxWindow : N, 'the std window');
  const out = newBuffer();
  let n = 0;
  let mean = 0;
  let m2 = 0;
  let removed = 0;
  let dirty = false;
  const drop = (v: number): void => {
    if (v !== v) return;
    if (v - v !== 0) dirty = true;
    removed++;
    if (--n === 0) {
      mean = 0;
      m2 = 0;
      return;
    }
    const d = v - mean;
    mean -= d / n;
    m2 -= d * (v - mean);
  };
  // Two-pass recompute: exact, and clears any drift or infinities that have left the window.
  const recompute = (): void => {
    n = 0;
    let s = 0;
    for (let k = 0; k < ring.size; k++) {
      const v = ring.at(k);
      if (v === v) {
        s += v;
        n++;
      }
    }
    mean = n > 0 ? s / n : 0;
    m2 = 0;
    for (let k = 0; k < ring.size; k++) {
      const v = ring.at(k);
      if (v === v) m2 += (v - mean) * (v - mean);
    }
    removed = 0;
    dirty = false;
  };
  return {
    run(b) {
      const a = x.run(b);
      const T = b.t;
      for (let i = 0; i < b.n; i++) {
        const v = a[i]!;
        if (timed) {
          const t = T[i]!;
          ring.push(t, v);
          while (ring.size > 0 && ring.frontT() <= t - W) drop(ring.shift());
        } else {
          if (ring.size === N) drop(ring.shift());
          ring.push(0, v);
        }
        if (dirty || removed >= 1024 + ring.size) recompute();
        else if (v === v) {
          n++;
          const d = v - mean;
          mean += d / n;
          m2 += d * (v - mean);
        }
        out[i] = n >= 2 ? Math.sqrt(Math.max(0, m2) / (n - 1)) : NaN;
      }
      return out;
    },
  };
}

/** Sorted multiset of the window's non-NaN values. */
class SortedWindow {
  private a: Float64Array;
  size = 0;
  constructor(
    initial: number,
    private readonly limit: number,
  ) {
    this.a = new Float64Array(Math.max(1, Math.min(initial, limit)));
  }
  private lowerBound(v: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.a[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  insert(v: number): void {
    if (this.size === this.a.length) {
      if (this.size >= this.limit) throw new FormulaRuntimeError(`the median window holds more than ${this.limit} samples (the maxWindow limit)`);
      const bigger = new Float64Array(Math.min(this.limit, this.size * 2));
      bigger.set(this.a);
      this.a = bigger;
    }
    const at = this.lowerBound(v);
    this.a.copyWithin(at + 1, at, this.size);
    this.a[at] = v;
    this.size++;
  }
  remove(v: number): void {
    const at = this.lowerBound(v);
    this.a.copyWithin(at, at + 1, this.size);
    this.size--;
  }
  median(): number {
    const m = this.size;
    if (m === 0) return NaN;
    const h = m >>> 1;
    return m & 1 ? this.a[h]! : (this.a[h - 1]! + this.a[h]!) / 2;
  }
}

export function movingMedian(x: Kernel, w: WindowSpec, maxWindow: number): Kernel {
  const timed = w.kind === 'time';
  const N = w.kind === 'samples' ? w.n : 0;
  const W = w.kind === 'time' ? w.ms : 0;
  const ring = new Ring(timed ? 64 : N, timed ? maxWindow : N, 'the median window');
  const sorted = new SortedWindow(timed ? 64 : N, timed ? maxWindow : N);
  const out = newBuffer();
  const drop = (v: number): void => {
    if (v === v) sorted.remove(v);
  };
  return {
    run(b) {
      const a = x.run(b);
      const T = b.t;
      for (let i = 0; i < b.n; i++) {
        const v = a[i]!;
        if (timed) {
          const t = T[i]!;
          ring.push(t, v);
          while (ring.size > 0 && ring.frontT() <= t - W) drop(ring.shift());
        } else {
          if (ring.size === N) drop(ring.shift());
          ring.push(0, v);
        }
        if (v === v) sorted.insert(v);
        out[i] = sorted.median();
      }
      return out;
    },
  };
}

const P = [
  { name: 'x', kind: 'series' as const },
  { name: 'window', kind: 'window' as const },
];

function rolling(name: string, description: string, example: string, make: FunctionDef['make']): FunctionDef {
  return { name, signature: `${name}(x, window)`, description, example, category: 'window', unitRule: SAME, params: P, unit: sameUnit, make };
}

export const ROLLING: readonly FunctionDef[] = [
  rolling('median', 'Moving median over the window (NaN samples skipped; mean of the middle two for an even count).', 'median(Thickness, 51)', (args, ctx) =>
    movingMedian(series(args, 0, ctx), windowArg(args, 1), ctx.maxWindow),
  ),
  rolling('rolling_min', 'Smallest value in the window (NaN samples skipped).', 'rolling_min(Tension, 10s)', (args, ctx) =>
    rollingExtreme(series(args, 0, ctx), windowArg(args, 1), ctx.maxWindow, true),
  ),
  rolling('rolling_max', 'Largest value in the window (NaN samples skipped).', 'rolling_max(Tension, 10s)', (args, ctx) =>
    rollingExtreme(series(args, 0, ctx), windowArg(args, 1), ctx.maxWindow, false),
  ),
  rolling('rolling_std', 'Sample standard deviation (n - 1) in the window; NaN with fewer than two values. Same as std(x, window).', 'rolling_std(Flatness, 200)', (args, ctx) =>
    rollingStd(series(args, 0, ctx), windowArg(args, 1), ctx.maxWindow),
  ),
];
