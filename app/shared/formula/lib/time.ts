/** Functions about the timebase itself: time(), dt(), delay and resample. */
import { GAP } from '../kernel';
import type { Kernel } from '../kernel';
import { stateful1, stateful2 } from '../stateful';
import { parseUnit, showUnit, unitsEqual } from '../units';
import type { FunctionDef } from './define';
import { S, SAME, sameUnit, secondsArg, series, unitOf, windowArg } from './define';
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

interface DelayL {
  /** (strip length, value) pairs within the last `metres`; one entry per distinct length. */
  ring: Ring;
  metres: number;
  held: number;
  lastL: number;
}

/**
 * x at the point of the strip `metres` behind: the value of the last sample whose length L
 * was ≤ L(now) − metres (zero-order hold along the strip). While the strip stands still the
 * length repeats; the newest value then replaces the previous one at that point, so a
 * stopped line does not fill the window. A length that falls (a new coil starts at 0) starts
 * over: nothing of the previous coil is carried onto the new one.
 */
function delayLengthLoop(a: Float64Array, L: Float64Array, out: Float64Array, n: number, _t: Float64Array, st: DelayL): void {
  const { ring, metres } = st;
  let held = st.held;
  let lastL = st.lastL;
  for (let i = 0; i < n; i++) {
    const l = L[i]!;
    if (l !== l) {
      out[i] = GAP[0]!; // no length reading: no place on the strip
      continue;
    }
    if (l < lastL) {
      ring.head = 0;
      ring.size = 0;
      held = GAP[0]!;
    }
    if (ring.size > 0 && l === lastL) ring.v[ring.idx(ring.size - 1)] = a[i]!;
    else {
      const at = ring.reserve();
      ring.t[at] = l;
      ring.v[at] = a[i]!;
    }
    lastL = l;
    const target = l - metres;
    while (ring.size > 0 && ring.t[ring.head]! <= target) {
      held = ring.v[ring.head]!;
      ring.drop();
    }
    out[i] = held;
  }
  st.held = held;
  st.lastL = lastL;
}

const METRE = parseUnit('m');

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
    signature: 'delay(x, by, along?)',
    description:
      'x shifted later: by N samples, by a duration (value at t - by, zero-order hold), or by a distance along the strip (5m) given the strip length signal `along` in metres (value where the strip was `by` metres back; restarts when the length falls, as at a new coil). NaN until enough history.',
    example: 'delay(Entry_Thickness, 12.5m, [Coil Length])',
    category: 'time',
    unitRule: SAME,
    params: [
      { name: 'x', kind: 'series' },
      { name: 'by', kind: 'window', allowZero: true, allowLength: true },
      { name: 'along', kind: 'series', optional: true },
    ],
    validate: (args) => {
      const byLength = args[1]?.kind === 'distance';
      if (byLength && args[2] === undefined) return ['delay(): a delay in metres needs the strip length signal in metres as third argument, e.g. delay(x, 5m, [Coil Length])', 1];
      if (!byLength && args[2] !== undefined) return ['delay(): `along` (a length signal) goes with a delay in metres such as 5m', 2];
      return undefined;
    },
    unit: (args, ctx) => {
      const along = args[2];
      if (along?.kind === 'series' && !along.unitAgnostic && !unitsEqual(along.unit, METRE)) ctx.warn(`delay(): along should be a length in m, not ${showUnit(along.unit)}`, 2);
      return unitOf(args, 0);
    },
    make: (args, ctx) => {
      const x = series(args, 0, ctx);
      const by = args[1];
      if (by?.kind === 'distance') {
        return stateful2(x, series(args, 2, ctx), { ring: new Ring(64, ctx.maxWindow, 'the delay along the strip'), metres: by.metres, held: NaN, lastL: -Infinity }, delayLengthLoop);
      }
      const w = windowArg(args, 1);
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
