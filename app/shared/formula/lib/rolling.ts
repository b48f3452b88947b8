/**
 * Rolling extremes (monotonic deque, O(1) amortised), rolling standard deviation
 * (windowed Welford, O(1)) and moving median (sorted window with binary insertion:
 * O(log N) search plus one memmove per sample). Same window rules as window.ts.
 */
import type { Kernel } from '../kernel';
import { GAP, FormulaRuntimeError } from '../kernel';
import { stateful1 } from '../stateful';
import type { FunctionDef, WindowSpec } from './define';
import { SAME, sameUnit, series, windowArg } from './define';
import { Ring } from './ring';
import { fusedWindow } from './window';

export function rollingExtreme(x: Kernel, w: WindowSpec, maxWindow: number, isMin: boolean): Kernel {
  // Min runs as max over negated values, so one loop serves both.
  const sgn = isMin ? -1 : 1;
  if (w.kind === 'time') return stateful1(x, { dq: new Ring(64, maxWindow, `the rolling_${isMin ? 'min' : 'max'} window`), W: w.ms, sgn }, timeExtremeLoop);
  let cap = 1;
  while (cap < w.n + 1) cap *= 2;
  const st: SampleExtreme = { keys: new Int32Array(cap), vals: new Float64Array(cap), mask: cap - 1, N: w.n, head: 0, size: 0, idx: 0, sgn };
  return stateful1(x, st, sampleExtremeLoop);
}

/**
 * Monotonic deque over the last N samples in fixed power-of-two arrays; keys are running
 * sample indices as wrapping int32 (an entry's age is `(k - key) | 0`, exact because no
 * entry outlives N < 2^31 samples). Int32 keys halve the loop's time against float keys.
 */
interface SampleExtreme {
  keys: Int32Array;
  vals: Float64Array;
  mask: number;
  N: number;
  head: number;
  size: number;
  idx: number;
  sgn: number;
}

function sampleExtremeLoop(a: Float64Array, out: Float64Array, n: number, _t: Float64Array, st: SampleExtreme): void {
  const { keys, vals, sgn } = st;
  const mask = st.mask | 0;
  const N = st.N | 0;
  // `| 0`: settleNumbers() gave the fields double representation; the loop wants int32 indices.
  let h = st.head | 0;
  let sz = st.size | 0;
  let k = st.idx | 0;
  for (let i = 0; i < n; i++) {
    while (sz > 0 && ((k - keys[h]!) | 0) >= N) {
      h = (h + 1) & mask;
      sz--;
    }
    const v = a[i]! * sgn;
    if (v === v) {
      while (sz > 0 && vals[(h + sz - 1) & mask]! <= v) sz--;
      const at = (h + sz) & mask;
      keys[at] = k;
      vals[at] = v;
      sz++;
    }
    // Separate stores, and GAP[0] rather than NaN: see kernel.ts.
    if (sz > 0) out[i] = vals[h]! * sgn;
    else out[i] = GAP[0]!;
    k = (k + 1) | 0;
  }
  st.head = h;
  st.size = sz;
  st.idx = k;
}

interface TimeExtreme {
  dq: Ring;
  W: number;
  sgn: number;
}

function timeExtremeLoop(a: Float64Array, out: Float64Array, n: number, T: Float64Array, st: TimeExtreme): void {
  const { dq, W, sgn } = st;
  for (let i = 0; i < n; i++) {
    const t = T[i]!;
    const lim = t - W;
    while (dq.size > 0 && dq.t[dq.head]! <= lim) dq.drop();
    const v = a[i]! * sgn;
    if (v === v) {
      while (dq.size > 0 && dq.v[dq.idx(dq.size - 1)]! <= v) dq.pop();
      const at = dq.reserve();
      dq.t[at] = t;
      dq.v[at] = v;
    }
    if (dq.size > 0) out[i] = dq.v[dq.head]! * sgn;
    else out[i] = GAP[0]!;
  }
}

interface StdState {
  ring: Ring;
  /** Samples in the window (time windows: unbounded). */
  N: number;
  /** Window duration in ms (sample windows: Infinity). */
  W: number;
  /** Finite values in the window, their mean and sum of squared deviations (Welford). */
  n: number;
  mean: number;
  m2: number;
  /** Infinite values in the window: the spread is NaN while any is inside. */
  inf: number;
  removed: number;
  /** Largest m2 since the last exact recompute: a fall far below it means cancellation ate the digits. */
  peak: number;
}

/** Sample standard deviation (divides by n - 1) over the window; NaN with fewer than 2 values. */
export function rollingStd(x: Kernel, w: WindowSpec, maxWindow: number): Kernel {
  const timed = w.kind === 'time';
  const N = w.kind === 'samples' ? w.n : 0;
  // Sample windows push before evicting, so the ring holds N + 1 for a moment.
  const st: StdState = {
    ring: new Ring(timed ? 64 : N + 1, timed ? maxWindow : N + 1, 'the std window'),
    N: timed ? Number.MAX_SAFE_INTEGER : N,
    W: timed ? w.ms : Infinity,
    n: 0,
    mean: 0,
    m2: 0,
    inf: 0,
    removed: 0,
    peak: 0,
  };
  return stateful1(x, st, stdLoop);
}

/** Exact two-pass mean and spread of the finite values in the ring. */
function exactSpread(st: StdState): void {
  const { ring } = st;
  let n = 0;
  let s = 0;
  for (let k = 0; k < ring.size; k++) {
    const u = ring.v[ring.idx(k)]!;
    if (u - u === 0) {
      s += u;
      n++;
    }
  }
  const mean = n > 0 ? s / n : 0;
  let m2 = 0;
  for (let k = 0; k < ring.size; k++) {
    const u = ring.v[ring.idx(k)]!;
    if (u - u === 0) m2 += (u - mean) * (u - mean);
  }
  st.n = n;
  st.mean = mean;
  st.m2 = m2;
  st.removed = 0;
  st.peak = m2;
}

// Windowed Welford: add and remove in O(1); an exact recompute at a block boundary once
// enough values have left keeps it from drifting. Same V8 rules as window.ts.
function stdLoop(a: Float64Array, out: Float64Array, count: number, T: Float64Array, st: StdState): void {
  const { ring, N, W } = st;
  if (st.removed >= 1024 + ring.size) exactSpread(st);
  let n = st.n;
  let mean = st.mean;
  let m2 = st.m2;
  let inf = st.inf;
  let rem = st.removed;
  let peak = st.peak;
  for (let i = 0; i < count; i++) {
    const v = a[i]!;
    // Evict what leaves: at most one sample for sample windows, any number for time windows
    // (time windows use a huge N and sample windows an infinite W, so one test serves both).
    const t = T[i]!;
    const at = ring.reserve();
    ring.t[at] = t;
    ring.v[at] = v;
    const lim = t - W;
    while (ring.size > N || (ring.size > 0 && ring.t[ring.head]! <= lim)) {
      const old = ring.v[ring.head]!;
      ring.drop();
      if (old - old === 0) {
        rem++;
        n--;
        // The last value left: mean and spread are exactly 0 (old - old keeps them doubles).
        const d = old - mean;
        mean = n > 0 ? mean - d / n : old - old;
        m2 = n > 0 ? m2 - d * (old - mean) : old - old;
      } else if (old === Infinity || old === -Infinity) inf--;
    }
    if (v - v === 0) {
      n++;
      const d = v - mean;
      mean += d / n;
      m2 += d * (v - mean);
    } else if (v === Infinity || v === -Infinity) inf++;
    if (m2 > peak) peak = m2;
    else if (rem > 0 && m2 < peak * 1e-9) {
      // Removing large deviations left only rounding residue (a constant window would read
      // 7e-9 instead of 0): recompute this window exactly. Rare: only after such a collapse.
      exactSpread(st);
      n = st.n;
      mean = st.mean;
      m2 = st.m2;
      peak = m2;
      rem = 0;
    }
    if (n >= 2 && inf === 0) out[i] = Math.sqrt((m2 > 0 ? m2 : 0) / (n - 1));
    else out[i] = GAP[0]!;
  }
  st.n = n;
  st.mean = mean;
  st.m2 = m2;
  st.inf = inf;
  st.removed = rem;
  st.peak = peak;
}

/*
 * Moving median: a ring keeps the window in arrival order (to know what leaves), and a sorted
 * array of its non-NaN values gives the median. Insert and remove are a binary search plus one
 * memmove (copyWithin); written out in the loop because a call passing the value as a double
 * would box it per sample (see ring.ts).
 */
interface MedianState {
  ring: Ring;
  /** Sorted non-NaN values of the window in [0, count). */
  sorted: Float64Array;
  count: number;
  limit: number;
  /** Samples in the window (time windows: unbounded). */
  N: number;
  /** Window duration in ms (sample windows: Infinity). */
  W: number;
}

export function movingMedian(x: Kernel, w: WindowSpec, maxWindow: number): Kernel {
  const timed = w.kind === 'time';
  const N = w.kind === 'samples' ? w.n : 0;
  const cap = timed ? maxWindow : N + 1;
  const st: MedianState = {
    ring: new Ring(timed ? 64 : N + 1, cap, 'the median window'),
    sorted: new Float64Array(Math.min(64, cap)),
    count: 0,
    limit: cap,
    N: timed ? Number.MAX_SAFE_INTEGER : N,
    W: timed ? w.ms : Infinity,
  };
  return stateful1(x, st, medianLoop);
}

/** First index in sorted[0, count) whose value is ≥ v. */
function lowerBound(sorted: Float64Array, count: number, v: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function growSorted(st: MedianState): void {
  if (st.sorted.length >= st.limit) throw new FormulaRuntimeError(`the median window holds more than ${st.limit} samples (the maxWindow limit)`);
  const bigger = new Float64Array(Math.min(st.limit, st.sorted.length * 2));
  bigger.set(st.sorted);
  st.sorted = bigger;
}

function medianLoop(a: Float64Array, out: Float64Array, n: number, T: Float64Array, st: MedianState): void {
  const { ring, N, W } = st;
  let count = st.count;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    const t = T[i]!;
    const at = ring.reserve();
    ring.t[at] = t;
    ring.v[at] = v;
    const lim = t - W;
    // Evict what leaves: one sample for sample windows, any number for time windows.
    while (ring.size > N || (ring.size > 0 && ring.t[ring.head]! <= lim)) {
      const old = ring.v[ring.head]!;
      ring.drop();
      if (old !== old) continue;
      const sorted = st.sorted;
      const k = lowerBound(sorted, count, old);
      sorted.copyWithin(k, k + 1, count);
      count--;
    }
    if (v === v) {
      if (count === st.sorted.length) growSorted(st);
      const sorted = st.sorted;
      const k = lowerBound(sorted, count, v);
      sorted.copyWithin(k + 1, k, count);
      sorted[k] = v;
      count++;
    }
    if (count === 0) out[i] = GAP[0]!;
    else {
      const sorted = st.sorted;
      const h = count >>> 1;
      if (count & 1) out[i] = sorted[h]!;
      else out[i] = (sorted[h - 1]! + sorted[h]!) / 2;
    }
  }
  st.count = count;
}

const P = [
  { name: 'x', kind: 'series' as const },
  { name: 'window', kind: 'window' as const },
];

function rolling(name: string, description: string, example: string, make: FunctionDef['make'], pureFor?: FunctionDef['pureFor']): FunctionDef {
  return { name, signature: `${name}(x, window)`, description, example, category: 'window', unitRule: SAME, params: P, unit: sameUnit, make, ...(pureFor ? { pureFor } : {}) };
}

export const ROLLING: readonly FunctionDef[] = [
  rolling('median', 'Moving median over the window (NaN samples skipped; mean of the middle two for an even count).', 'median(Thickness, 51)', (args, ctx) =>
    movingMedian(series(args, 0, ctx), windowArg(args, 1), ctx.maxWindow),
  ),
  rolling('rolling_min', 'Smallest value in the window (NaN samples skipped).', 'rolling_min(Tension, 10s)', (args, ctx) =>
    rollingExtreme(series(args, 0, ctx), windowArg(args, 1), ctx.maxWindow, true),
    (args) => fusedWindow(args, 'rmin'),
  ),
  rolling('rolling_max', 'Largest value in the window (NaN samples skipped).', 'rolling_max(Tension, 10s)', (args, ctx) =>
    rollingExtreme(series(args, 0, ctx), windowArg(args, 1), ctx.maxWindow, false),
    (args) => fusedWindow(args, 'rmax'),
  ),
  rolling('rolling_std', 'Sample standard deviation (n - 1) in the window; NaN with fewer than two values. Same as std(x, window).', 'rolling_std(Flatness, 200)', (args, ctx) =>
    rollingStd(series(args, 0, ctx), windowArg(args, 1), ctx.maxWindow),
  ),
];
