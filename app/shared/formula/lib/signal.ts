/** Signal conditioning: deadband, rate limiting and table lookup. */
import { map2, newBuffer } from '../kernel';
import type { FunctionDef } from './define';
import { NONE, SAME, listArg, matchingUnits, noUnit, series } from './define';

/** Linear interpolation in a table with ascending xs; clamped to the end values outside it. */
export function interpolate(xs: readonly number[], ys: readonly number[], v: number): number {
  const n = xs.length;
  if (v !== v) return NaN;
  if (v <= xs[0]!) return ys[0]!;
  if (v >= xs[n - 1]!) return ys[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! <= v) lo = mid;
    else hi = mid;
  }
  const x0 = xs[lo]!;
  const y0 = ys[lo]!;
  return y0 + ((ys[hi]! - y0) * (v - x0)) / (xs[hi]! - x0);
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
    make: (args, ctx) => {
      let held = NaN;
      return map2(series(args, 0, ctx), series(args, 1, ctx), (x, band, o, n) => {
        for (let i = 0; i < n; i++) {
          const v = x[i]!;
          if (v === v && (held !== held || Math.abs(v - held) > band[i]!)) held = v;
          o[i] = held;
        }
      });
    },
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
    make: (args, ctx) => {
      const x = series(args, 0, ctx);
      const r = series(args, 1, ctx);
      const out = newBuffer();
      let y = NaN;
      let lastT = NaN;
      return {
        run(b) {
          const xv = x.run(b);
          const rv = r.run(b);
          for (let i = 0; i < b.n; i++) {
            const v = xv[i]!;
            const t = b.t[i]!;
            if (v === v) {
              if (y !== y) y = v;
              else {
                const step = Math.abs(rv[i]!) * ((t - lastT) / 1000);
                const d = v - y;
                y += d > step ? step : d < -step ? -step : d;
              }
              lastT = t;
            }
            out[i] = y;
          }
          return out;
        },
      };
    },
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
    make: (args, ctx) => {
      const x = series(args, 0, ctx);
      const xs = listArg(args, 1);
      const ys = listArg(args, 2);
      const out = newBuffer();
      return {
        run(b) {
          const a = x.run(b);
          for (let i = 0; i < b.n; i++) out[i] = interpolate(xs, ys, a[i]!);
          return out;
        },
      };
    },
  },
];
