/** Functions about the timebase itself: time(), dt(), delay and resample. */
import { GAP } from '../kernel';
import type { Kernel } from '../kernel';
import { stateful1 } from '../stateful';
import type { FunctionDef } from './define';
import { S, SAME, sameUnit, secondsArg, series, windowArg } from './define';
import { Ring } from './ring';

interface DelayN {
  /** The last n inputs, oldest at `head` once full. */
  win: Float64Array;
  N: number;
  head: number;
  size: number;
}

function delaySamplesLoop(a: Float64Array, out: Float64Array, n: number, _t: Float64Array, st: DelayN): void {
  const { win, N } = st;
  let h = st.head;
  let sz = st.size;
  let i = 0;
  for (; i < n && sz < N; i++) {
    out[i] = GAP[0]!;
    win[sz++] = a[i]!;
  }
  if (n - i > N) {
    // Full, and the block is longer than the delay: the ring's N samples come out first, then
    // the block itself shifted by N (a bulk copy), and the block's last N samples become the ring.
    for (let k = 0; k < N; k++, h = h + 1 === N ? 0 : h + 1) out[i + k] = win[h]!;
    out.set(a.subarray(i, n - N), i + N);
    win.set(a.subarray(n - N, n));
    h = 0;
    i = n;
  }
  for (; i < n; i++) {
    const v = a[i]!;
    out[i] = win[h]!;
    win[h] = v;
    h = h + 1 === N ? 0 : h + 1;
  }
  st.head = h;
  st.size = sz;
}

interface DelayT {
  ring: Ring;
  ms: number;
  held: number;
}

/** Value of x at t - D by zero-order hold over x's own samples; keeps only the samples inside (t - D, t]. */
function delayTimeLoop(a: Float64Array, out: Float64Array, n: number, T: Float64Array, st: DelayT): void {
  const { ring, ms } = st;
  let held = st.held;
  for (let i = 0; i < n; i++) {
    const t = T[i]!;
    const at = ring.reserve();
    ring.t[at] = t;
    ring.v[at] = a[i]!;
    const target = t - ms;
    while (ring.size > 0 && ring.t[ring.head]! <= target) {
      held = ring.v[ring.head]!;
      ring.drop();
    }
    out[i] = held;
  }
  st.held = held;
}

interface Resample {
  periodMs: number;
  lastGrid: number;
  held: number;
  prev: number;
  t0: number;
}

/** Samples x on a grid t0 + k·period and holds each grid value until the next grid point. */
function resampleLoop(a: Float64Array, out: Float64Array, n: number, T: Float64Array, st: Resample): void {
  const { periodMs, t0 } = st;
  let { lastGrid, held, prev } = st;
  for (let i = 0; i < n; i++) {
    const t = T[i]!;
    const v = a[i]!;
    const grid = t0 + Math.floor((t - t0) / periodMs) * periodMs;
    // A new grid point lies in (previous t, t]: its value is the sample at or before it.
    if (grid > lastGrid) {
      held = grid === t ? v : prev;
      lastGrid = grid;
    }
    prev = v;
    out[i] = held;
  }
  st.lastGrid = lastGrid;
  st.held = held;
  st.prev = prev;
}

function resample(x: Kernel, periodMs: number): Kernel {
  const st: Resample = { periodMs, lastGrid: -Infinity, held: NaN, prev: NaN, t0: NaN };
  const inner = stateful1(x, st, resampleLoop);
  return {
    run(b, dest) {
      // The grid is anchored at the evaluation's first sample, known only once data arrives.
      if (st.t0 !== st.t0) st.t0 = b.t0;
      return inner.run(b, dest);
    },
  };
}

function timeLoop(_a: Float64Array, out: Float64Array, n: number, T: Float64Array, st: { t0: number }): void {
  const t0 = st.t0;
  for (let i = 0; i < n; i++) out[i] = (T[i]! - t0) / 1000;
}

function dtLoop(_a: Float64Array, out: Float64Array, n: number, T: Float64Array, st: { prev: number }): void {
  let prev = st.prev;
  for (let i = 0; i < n; i++) {
    const t = T[i]!;
    out[i] = (t - prev) / 1000;
    prev = t;
  }
  st.prev = prev;
}

/** time() and dt() read only the block's timestamps. */
const timestamps: Kernel = { run: (b) => b.t };

export const TIME: readonly FunctionDef[] = [
  {
    name: 'time',
    signature: 'time()',
    description: 'Seconds since the first sample of the evaluation (of the stream, since reset).',
    example: 'if(time() < 10, 0, Speed)',
    category: 'time',
    unitRule: 's',
    params: [],
    unit: () => S,
    make: () => {
      const st = { t0: NaN };
      const inner = stateful1(timestamps, st, timeLoop);
      return {
        run(b, dest) {
          if (st.t0 !== st.t0) st.t0 = b.t0;
          return inner.run(b, dest);
        },
      };
    },
  },
  {
    name: 'dt',
    signature: 'dt()',
    description: 'Interval to the previous sample in seconds (NaN at the first sample).',
    example: 'diff(Counter) / dt()',
    category: 'time',
    unitRule: 's',
    params: [],
    unit: () => S,
    make: () => stateful1(timestamps, { prev: NaN }, dtLoop),
  },
  {
    name: 'delay',
    signature: 'delay(x, by)',
    description:
      'x shifted later: by N samples, or by a duration (value at t - by, zero-order hold). NaN until enough history. Delay by a length (metres, with a length signal) is a planned extension.',
    example: 'delay(Entry_Thickness, 3s)',
    category: 'time',
    unitRule: SAME,
    params: [
      { name: 'x', kind: 'series' },
      { name: 'by', kind: 'window', allowZero: true },
    ],
    unit: sameUnit,
    make: (args, ctx) => {
      const w = windowArg(args, 1);
      const x = series(args, 0, ctx);
      if (w.kind === 'time') return stateful1(x, { ring: new Ring(64, ctx.maxWindow, 'the delay'), ms: w.ms, held: NaN }, delayTimeLoop);
      return w.n === 0 ? x : stateful1(x, { win: new Float64Array(w.n), N: w.n, head: 0, size: 0 }, delaySamplesLoop);
    },
  },
  {
    name: 'resample',
    signature: 'resample(x, period)',
    description:
      'Zero-order-hold resampling: takes x at t0 + k·period (last value at or before each grid point) and holds it until the next one. The result stays on the formula timebase.',
    example: 'resample(Speed, 1s)',
    category: 'time',
    unitRule: SAME,
    params: [
      { name: 'x', kind: 'series' },
      { name: 'period', kind: 'seconds' },
    ],
    unit: sameUnit,
    make: (args, ctx) => resample(series(args, 0, ctx), secondsArg(args, 1) * 1000),
  },
];
