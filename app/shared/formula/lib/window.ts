/**
 * Moving sums and smoothing filters. Windows are either the last N samples or the
 * samples whose time lies in (t - W, t]. NaN samples occupy a place in a sample window
 * but contribute nothing; the output is NaN only when the window holds no value.
 */
import { GAP } from '../kernel';
import type { Kernel } from '../kernel';
import { stateful1 } from '../stateful';
import type { ArgValue, FunctionDef, WindowSpec } from './define';
import { SAME, sameUnit, secondsArg, series, windowArg } from './define';
import { Ring } from './ring';
import { MAX_FUSED_WINDOW } from '../pure';

export type SumMode = 'avg' | 'sum' | 'count';
const MODE = { avg: 0, sum: 1, count: 2 } as const;

/*
 * Running sums: O(1) per sample. Sums hold finite values only; infinities are counted apart
 * (so one leaving cannot poison the sum with inf - inf), and the sum is recomputed exactly
 * once enough values have left, at a block boundary, so rounding cannot drift.
 *
 * V8 notes that shaped these loops: state lives in locals and goes back to the state object
 * per block; outputs are stored per branch (`if (c === 0) out[i] = GAP[0]!; else ...`), never
 * through `c === 0 ? NaN : x`, which boxes a heap number per sample; and no rarely taken
 * branch inside the loop touches object properties (optimised code without feedback for them
 * bails out every time the branch is reached).
 */

export function movingSum(x: Kernel, w: WindowSpec, maxWindow: number, mode: SumMode): Kernel {
  const base = { sum: 0, cnt: 0, pinf: 0, ninf: 0, removed: 0, mode: MODE[mode] };
  if (w.kind === 'samples') return stateful1(x, { ...base, win: new Float64Array(w.n), N: w.n, head: 0, size: 0 }, sampleSumLoop);
  return stateful1(x, { ...base, ring: new Ring(64, maxWindow, `the ${mode} window`), W: w.ms }, timeSumLoop);
}

interface SumState {
  /** Sum of the finite values in the window. */
  sum: number;
  /** Non-NaN values in the window, infinities included. */
  cnt: number;
  pinf: number;
  ninf: number;
  /** Finite values removed since the last exact recompute. */
  removed: number;
  mode: number;
}

interface SampleSum extends SumState {
  win: Float64Array;
  N: number;
  head: number;
  size: number;
}

interface TimeSum extends SumState {
  ring: Ring;
  W: number;
}

/** Exact sum of the finite values in the first `size` slots of `vals` starting at `head` (wrapping at vals.length). */
export function exactSum(vals: Float64Array, head: number, size: number): number {
  let s = 0;
  for (let k = 0; k < size; k++) {
    const i = head + k < vals.length ? head + k : head + k - vals.length;
    const u = vals[i]!;
    if (u - u === 0) s += u;
  }
  return s;
}

function sampleSumLoop(a: Float64Array, out: Float64Array, n: number, _t: Float64Array, st: SampleSum): void {
  if (st.removed >= 1024 + st.N) {
    st.sum = exactSum(st.win, st.head, st.size);
    st.removed = 0;
  }
  // `| 0` on every count and index: settleNumbers() gave the fields double representation,
  // and a double index into `win` made this loop twice as slow.
  const win = st.win;
  const N = st.N | 0;
  const mode = st.mode | 0;
  let s = st.sum;
  let c = st.cnt | 0;
  let pinf = st.pinf | 0;
  let ninf = st.ninf | 0;
  let h = st.head | 0;
  let sz = st.size | 0;
  let rem = st.removed | 0;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (sz === N) {
      // Full: the oldest slot is the one the new value takes.
      const old = win[h]!;
      if (old - old === 0) {
        s -= old;
        c--;
        rem++;
      } else if (old === Infinity) {
        pinf--;
        c--;
      } else if (old === -Infinity) {
        ninf--;
        c--;
      }
      win[h] = v;
      h = h + 1 === N ? 0 : h + 1;
    } else {
      // Filling up: the head has not moved yet, so slots 0..size-1 are the window.
      win[sz++] = v;
    }
    if (v - v === 0) {
      s += v;
      c++;
    } else if (v === Infinity) {
      pinf++;
      c++;
    } else if (v === -Infinity) {
      ninf++;
      c++;
    }
    if (mode === 2) out[i] = c;
    else if (c === 0) out[i] = GAP[0]!;
    else if (pinf + ninf === 0) out[i] = mode === 0 ? s / c : s;
    else if (ninf === 0) out[i] = Infinity;
    else if (pinf === 0) out[i] = -Infinity;
    else out[i] = GAP[0]!;
  }
  st.sum = s;
  st.cnt = c;
  st.pinf = pinf;
  st.ninf = ninf;
  st.head = h;
  st.size = sz;
  st.removed = rem;
}

function timeSumLoop(a: Float64Array, out: Float64Array, n: number, T: Float64Array, st: TimeSum): void {
  const { ring, W, mode } = st;
  if (st.removed >= 1024 + ring.size) {
    st.sum = exactSum(ring.v, ring.head, ring.size);
    st.removed = 0;
  }
  let s = st.sum;
  let c = st.cnt;
  let pinf = st.pinf;
  let ninf = st.ninf;
  let rem = st.removed;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    const t = T[i]!;
    const at = ring.reserve();
    ring.t[at] = t;
    ring.v[at] = v;
    const lim = t - W;
    while (ring.size > 0 && ring.t[ring.head]! <= lim) {
      const old = ring.v[ring.head]!;
      ring.drop();
      if (old - old === 0) {
        s -= old;
        c--;
        rem++;
      } else if (old === Infinity) {
        pinf--;
        c--;
      } else if (old === -Infinity) {
        ninf--;
        c--;
      }
    }
    if (v - v === 0) {
      s += v;
      c++;
    } else if (v === Infinity) {
      pinf++;
      c++;
    } else if (v === -Infinity) {
      ninf++;
      c++;
    }
    if (mode === 2) out[i] = c;
    else if (c === 0) out[i] = GAP[0]!;
    else if (pinf + ninf === 0) out[i] = mode === 0 ? s / c : s;
    else if (ninf === 0) out[i] = Infinity;
    else if (pinf === 0) out[i] = -Infinity;
    else out[i] = GAP[0]!;
  }
  st.sum = s;
  st.cnt = c;
  st.pinf = pinf;
  st.ninf = ninf;
  st.removed = rem;
}

interface Smooth {
  y: number;
  lastT: number;
  alpha: number;
  /** -1 / tau in ms, for the time-constant form. */
  perMs: number;
}

function alphaLoop(a: Float64Array, out: Float64Array, n: number, _t: Float64Array, st: Smooth): void {
  const alpha = st.alpha;
  let y = st.y;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (v === v) y = y !== y ? v : y + alpha * (v - y);
    out[i] = y;
  }
  st.y = y;
}

function tauLoop(a: Float64Array, out: Float64Array, n: number, T: Float64Array, st: Smooth): void {
  const perMs = st.perMs;
  let y = st.y;
  let lastT = st.lastT;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (v === v) {
      const t = T[i]!;
      // Irregular sampling: the weight follows the actual interval.
      y = y !== y ? v : y + (1 - Math.exp((t - lastT) * perMs)) * (v - y);
      lastT = t;
    }
    out[i] = y;
  }
  st.y = y;
  st.lastT = lastT;
}

/** Exponential smoothing with a fixed alpha per sample, or with a time constant in seconds. */
export function smoothing(x: Kernel, alpha: number | undefined, tauS: number | undefined): Kernel {
  const st: Smooth = { y: NaN, lastT: NaN, alpha: alpha ?? NaN, perMs: -1 / ((tauS ?? 1) * 1000) };
  return stateful1(x, st, alpha !== undefined ? alphaLoop : tauLoop);
}

/** A window of samples small enough for the fused loop (fused.ts) runs there as `op`; time windows stay JS kernels. */
export function fusedWindow(args: readonly ArgValue[], op: 'sma' | 'msum' | 'rmax' | 'rmin'): { op: typeof op; param: number } | undefined {
  const w = args[1];
  return w?.kind === 'window' && w.window.kind === 'samples' && w.window.n <= MAX_FUSED_WINDOW ? { op, param: w.window.n } : undefined;
}

const WINDOW_NOTE = 'window: samples (100) or a duration (5s)';

function smoothingArgs(args: readonly ArgValue[]): { alpha?: number; tauS?: number } {
  const a = args[1];
  return a?.kind === 'smoothing' ? a : {};
}

export const WINDOW: readonly FunctionDef[] = [
  {
    name: 'sma',
    signature: 'sma(x, window)',
    description: `Simple moving average over the window (NaN samples skipped). ${WINDOW_NOTE}.`,
    example: 'sma(Line_Speed, 2s)',
    category: 'window',
    unitRule: SAME,
    params: [
      { name: 'x', kind: 'series' },
      { name: 'window', kind: 'window' },
    ],
    unit: sameUnit,
    pureFor: (args) => fusedWindow(args, 'sma'),
    make: (args, ctx) => movingSum(series(args, 0, ctx), windowArg(args, 1), ctx.maxWindow, 'avg'),
  },
  {
    name: 'ema',
    // The per-sample alpha form fuses; the time-constant form needs exp() and stays a JS kernel.
    pureFor: (args) => {
      const a = args[1];
      return a?.kind === 'smoothing' && a.alpha !== undefined ? { op: 'ema', param: a.alpha } : undefined;
    },
    signature: 'ema(x, tau_or_alpha)',
    description:
      'Exponential moving average: a duration is a time constant (y += (1 - e^(-dt/tau))·(x - y)); a number in (0, 1] is the per-sample weight alpha. NaN samples are skipped.',
    example: 'ema(Motor_Current, 0.1)',
    category: 'window',
    unitRule: SAME,
    params: [
      { name: 'x', kind: 'series' },
      { name: 'tau_or_alpha', kind: 'smoothing' },
    ],
    unit: sameUnit,
    make: (args, ctx) => {
      const s = smoothingArgs(args);
      return smoothing(series(args, 0, ctx), s.alpha, s.tauS);
    },
  },
  {
    name: 'lowpass',
    signature: 'lowpass(x, tau)',
    description: 'First-order low-pass filter with time constant tau (a duration, or a number of seconds); NaN samples are skipped.',
    example: 'lowpass(Force, 500ms)',
    category: 'window',
    unitRule: SAME,
    params: [
      { name: 'x', kind: 'series' },
      { name: 'tau', kind: 'seconds' },
    ],
    unit: sameUnit,
    make: (args, ctx) => smoothing(series(args, 0, ctx), undefined, secondsArg(args, 1)),
  },
];
