/**
 * Moving sums and smoothing filters. Windows are either the last N samples or the
 * samples whose time lies in (t - W, t]. NaN samples occupy a place in a sample window
 * but contribute nothing; the output is NaN only when the window holds no value.
 */
import type { Kernel } from '../kernel';
import { newBuffer } from '../kernel';
import type { ArgValue, FunctionDef, WindowSpec } from './define';
import { SAME, sameUnit, secondsArg, series, windowArg } from './define';
import { Ring } from './ring';

export type SumMode = 'avg' | 'sum' | 'count';

/** Running sum over a window: O(1) per sample. Recomputed exactly every so often so rounding cannot drift. */
export function movingSum(x: Kernel, w: WindowSpec, maxWindow: number, mode: SumMode): Kernel {
  const timed = w.kind === 'time';
  const N = w.kind === 'samples' ? w.n : 0;
  const W = w.kind === 'time' ? w.ms : 0;
  const ring = new Ring(timed ? 64 : N, timed ? maxWindow : N, `the ${mode} window`);
  const out = newBuffer();
  let sum = 0;
  let cnt = 0;
  let removed = 0;
  // A non-finite value leaving the window would poison the sum (inf - inf); recompute instead.
  let dirty = false;
  const drop = (v: number): void => {
    if (v !== v) return;
    if (v - v !== 0) dirty = true;
    sum -= v;
    cnt--;
    removed++;
  };
  const recompute = (): void => {
    sum = 0;
    cnt = 0;
    for (let k = 0; k < ring.size; k++) {
      const v = ring.at(k);
      if (v === v) {
        sum += v;
        cnt++;
      }
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
          const lim = t - W;
          while (ring.size > 0 && ring.frontT() <= lim) drop(ring.shift());
        } else {
          if (ring.size === N) drop(ring.shift());
          ring.push(0, v);
        }
        if (dirty || removed >= 1024 + ring.size) recompute();
        else if (v === v) {
          sum += v;
          cnt++;
        }
        out[i] = mode === 'count' ? cnt : cnt === 0 ? NaN : mode === 'avg' ? sum / cnt : sum;
      }
      return out;
    },
  };
}

/** Exponential smoothing with a fixed alpha per sample, or with a time constant (irregular sampling aware). */
export function smoothing(x: Kernel, alpha: number | undefined, tauS: number | undefined): Kernel {
  const out = newBuffer();
  let y = NaN;
  let lastT = NaN;
  return {
    run(b) {
      const a = x.run(b);
      const T = b.t;
      for (let i = 0; i < b.n; i++) {
        const v = a[i]!;
        if (v === v) {
          const t = T[i]!;
          if (y !== y) y = v;
          else if (alpha !== undefined) y += alpha * (v - y);
          else y += (1 - Math.exp(-(t - lastT) / 1000 / tauS!)) * (v - y);
          lastT = t;
        }
        out[i] = y;
      }
      return out;
    },
  };
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
    make: (args, ctx) => movingSum(series(args, 0, ctx), windowArg(args, 1), ctx.maxWindow, 'avg'),
  },
  {
    name: 'ema',
    signature: 'ema(x, tau_or_alpha)',
    description: 'Exponential moving average: a duration is a time constant (y += (1 - e^(-dt/tau))·(x - y)); a number in (0, 1] is the per-sample weight alpha.',
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
