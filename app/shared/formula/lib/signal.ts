/** Signal conditioning: deadband, rate limiting and table lookup. */
import { GAP } from '../kernel';
import { stateful1, stateful2 } from '../stateful';
import type { FunctionDef } from './define';
import { NONE, SAME, listArg, matchingUnits, noUnit, series } from './define';

function deadbandLoop(x: Float64Array, band: Float64Array, out: Float64Array, n: number, _t: Float64Array, st: { held: number }): void {
  let held = st.held;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v === v && (held !== held || Math.abs(v - held) > band[i]!)) held = v;
    out[i] = held;
  }
  st.held = held;
}

function rateLimitLoop(x: Float64Array, rate: Float64Array, out: Float64Array, n: number, T: Float64Array, st: { y: number; lastT: number }): void {
  let y = st.y;
  let lastT = st.lastT;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const t = T[i]!;
    if (v === v) {
      if (y !== y) y = v;
      else {
        const step = Math.abs(rate[i]!) * ((t - lastT) / 1000);
        const d = v - y;
        y += d > step ? step : d < -step ? -step : d;
      }
      lastT = t;
    }
    out[i] = y;
  }
  st.y = y;
  st.lastT = lastT;
}

function lookupLoop(x: Float64Array, out: Float64Array, n: number, _t: Float64Array, st: { xs: Float64Array; ys: Float64Array }): void {
  const { xs, ys } = st;
  const last = xs.length - 1;
  const x0 = xs[0]!;
  const xl = xs[last]!;
  // Linear interpolation, clamped to the end values. Written out with separate stores: a helper
  // call or a NaN literal would box a number per sample (see GAP in kernel.ts).
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v !== v) out[i] = GAP[0]!;
    else if (v <= x0) out[i] = ys[0]!;
    else if (v >= xl) out[i] = ys[last]!;
    else {
      let lo = 0;
      let hi = last;
      while (hi - lo > 1) {
        const mid = (lo + hi) >>> 1;
        if (xs[mid]! <= v) lo = mid;
        else hi = mid;
      }
      const xa = xs[lo]!;
      const ya = ys[lo]!;
      out[i] = ya + ((ys[hi]! - ya) * (v - xa)) / (xs[hi]! - xa);
    }
  }
}

export const SIGNAL: readonly FunctionDef[] = [
  {
    name: 'deadband',
    signature: 'deadband(x, band)',
    description: 'Holds the last passed value until x moves more than `band` away from it; removes small jitter.',
    example: 'deadband(Level, 0.5)',
    category: 'signal',
    unitRule: SAME,
    params: [
      { name: 'x', kind: 'series' },
      { name: 'band', kind: 'series' },
    ],
    unit: matchingUnits('deadband()'),
    make: (args, ctx) => stateful2(series(args, 0, ctx), series(args, 1, ctx), { held: NaN }, deadbandLoop),
  },
  {
    name: 'rate_limit',
    signature: 'rate_limit(x, rate)',
    description: 'Follows x but changes by at most `rate` per second (slew-rate limiter); starts at the first valid x.',
    example: 'rate_limit(Setpoint, 5)',
    category: 'signal',
    unitRule: SAME,
    params: [
      { name: 'x', kind: 'series' },
      { name: 'rate', kind: 'series' },
    ],
    unit: (args) => (args[0]?.kind === 'series' ? args[0].unit : noUnit()),
    make: (args, ctx) => stateful2(series(args, 0, ctx), series(args, 1, ctx), { y: NaN, lastT: NaN }, rateLimitLoop),
  },
  {
    name: 'lookup',
    signature: 'lookup(x, [x1, x2, ...], [y1, y2, ...])',
    description:
      'Characteristic curve: linear interpolation of x in the table (xs strictly ascending), holding the end values outside it. Brackets in these two places are number lists; everywhere else [..] quotes a signal name.',
    example: 'lookup(Valve_Position, [0, 50, 100], [0, 12.5, 40])',
    category: 'signal',
    unitRule: NONE + ' (table values carry no unit)',
    params: [
      { name: 'x', kind: 'series' },
      { name: 'xs', kind: 'list' },
      { name: 'ys', kind: 'list' },
    ],
    unit: noUnit,
    validate: (args) => {
      const xs = listArg(args, 1);
      const ys = listArg(args, 2);
      if (xs.length !== ys.length) return [`lookup(): the tables differ in length (${xs.length} xs, ${ys.length} ys)`, 2];
      for (let i = 1; i < xs.length; i++) if (!(xs[i]! > xs[i - 1]!)) return ['lookup(): xs must be strictly ascending', 1];
      return undefined;
    },
    make: (args, ctx) => stateful1(series(args, 0, ctx), { xs: Float64Array.from(listArg(args, 1)), ys: Float64Array.from(listArg(args, 2)) }, lookupLoop),
  },
];
