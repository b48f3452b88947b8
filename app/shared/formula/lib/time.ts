/** Functions about the timebase itself: time(), dt(), delay and resample. */
import type { Kernel } from '../kernel';
import { newBuffer } from '../kernel';
import type { FunctionDef } from './define';
import { S, SAME, sameUnit, secondsArg, series, windowArg } from './define';
import { Ring } from './ring';

function delaySamples(x: Kernel, n: number): Kernel {
  if (n === 0) return x;
  const ring = new Ring(n, n, 'the delay');
  const out = newBuffer();
  return {
    run(b) {
      const a = x.run(b);
      for (let i = 0; i < b.n; i++) {
        out[i] = ring.size === n ? ring.shift() : NaN;
        ring.push(0, a[i]!);
      }
      return out;
    },
  };
}

/** Value of x at t - D by zero-order hold over x's own samples; keeps only the samples inside (t - D, t]. */
function delayTime(x: Kernel, ms: number, maxWindow: number): Kernel {
  const ring = new Ring(64, maxWindow, 'the delay');
  const out = newBuffer();
  let held = NaN;
  return {
    run(b) {
      const a = x.run(b);
      const T = b.t;
      for (let i = 0; i < b.n; i++) {
        const t = T[i]!;
        ring.push(t, a[i]!);
        const target = t - ms;
        while (ring.size > 0 && ring.frontT() <= target) held = ring.shift();
        out[i] = held;
      }
      return out;
    },
  };
}

/** Samples x on a grid t0 + k·period and holds each grid value until the next grid point. */
function resample(x: Kernel, periodMs: number): Kernel {
  const out = newBuffer();
  let lastGrid = -Infinity;
  let held = NaN;
  let prev = NaN;
  return {
    run(b) {
      const a = x.run(b);
      const T = b.t;
      const t0 = b.t0;
      for (let i = 0; i < b.n; i++) {
        const t = T[i]!;
        const v = a[i]!;
        const grid = t0 + Math.floor((t - t0) / periodMs) * periodMs;
        // A new grid point lies in (previous t, t]: its held value is the sample at or before it.
        if (grid > lastGrid) {
          held = grid === t ? v : prev;
          lastGrid = grid;
        }
        prev = v;
        out[i] = held;
      }
      return out;
    },
  };
}

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
      const out = newBuffer();
      return {
        run(b) {
          for (let i = 0; i < b.n; i++) out[i] = (b.t[i]! - b.t0) / 1000;
          return out;
        },
      };
    },
  },
  {
    name: 'dt',
    signature: 'dt()',
    description: 'Interval to the previous sample in seconds (NaN at the first sample).',
    example: 'dt() > 0.1',
    category: 'time',
    unitRule: 's',
    params: [],
    unit: () => S,
    make: () => {
      const out = newBuffer();
      let prev = NaN;
      return {
        run(b) {
          for (let i = 0; i < b.n; i++) {
            const t = b.t[i]!;
            out[i] = (t - prev) / 1000;
            prev = t;
          }
          return out;
        },
      };
    },
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
      return w.kind === 'samples' ? delaySamples(x, w.n) : delayTime(x, w.ms, ctx.maxWindow);
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
