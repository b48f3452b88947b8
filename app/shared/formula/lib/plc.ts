/**
 * What PLC engineers and analyzer users reach for beyond the core families: the IEC 61131-3
 * timers TON and TOF, exclusive or, gap handling (isnan, coalesce), inverse trigonometry,
 * atan2 and hypot, trunc, and a moving RMS.
 */
import type { Kernel } from '../kernel';
import { GAP, map1, map2, newBuffer } from '../kernel';
import { stateful1 } from '../stateful';
import type { FunctionDef, ParamSpec } from './define';
import { NONE, SAME, matchingThenNone, matchingUnits, noUnit, sameUnit, secondsArg, series, windowArg } from './define';
import { SQRT, unary } from './math';
import { movingSum } from './window';

interface Timer {
  delayMs: number;
  /** Time the input last became true (TON) or false (TOF); NaN while it is not in that state. */
  since: number;
  /** Output before the first valid input sample is NaN. */
  state: number;
}

/** TON: true once the input has been true for `delay` without a break; false at once when it falls. A NaN input keeps the output. */
function tonLoop(x: Float64Array, out: Float64Array, n: number, T: Float64Array, st: Timer): void {
  const delayMs = st.delayMs;
  let { since, state } = st;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v === v) {
      if (v !== 0) {
        if (since !== since) since = T[i]!;
        state = T[i]! - since >= delayMs ? 1 : 0;
      } else {
        since = GAP[0]!;
        state = 0;
      }
    }
    out[i] = state;
  }
  st.since = since;
  st.state = state;
}

/** TOF: true at once when the input is true; false once it has been false for `delay`. */
function tofLoop(x: Float64Array, out: Float64Array, n: number, T: Float64Array, st: Timer): void {
  const delayMs = st.delayMs;
  let { since, state } = st;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v === v) {
      if (v !== 0) {
        since = GAP[0]!;
        state = 1;
      } else {
        if (since !== since) since = T[i]!;
        // Before the first true there is nothing to hold on: off.
        state = state === 1 && T[i]! - since < delayMs ? 1 : 0;
      }
    }
    out[i] = state;
  }
  st.since = since;
  st.state = state;
}

const XOR = (a: Float64Array, b: Float64Array, o: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== x || y !== y) o[i] = GAP[0]!;
    else o[i] = (x !== 0) !== (y !== 0) ? 1 : 0;
  }
};
const ISNAN = (x: Float64Array, o: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    o[i] = v !== v ? 1 : 0;
  }
};
const ASIN = (x: Float64Array, o: Float64Array, n: number): void => { for (let i = 0; i < n; i++) o[i] = Math.asin(x[i]!); };
const ACOS = (x: Float64Array, o: Float64Array, n: number): void => { for (let i = 0; i < n; i++) o[i] = Math.acos(x[i]!); };
const ATAN = (x: Float64Array, o: Float64Array, n: number): void => { for (let i = 0; i < n; i++) o[i] = Math.atan(x[i]!); };
const TRUNC = (x: Float64Array, o: Float64Array, n: number): void => { for (let i = 0; i < n; i++) o[i] = Math.trunc(x[i]!); };
const SQUARE = (x: Float64Array, o: Float64Array, n: number): void => { for (let i = 0; i < n; i++) o[i] = x[i]! * x[i]!; };
const ATAN2 = (y: Float64Array, x: Float64Array, o: Float64Array, n: number): void => { for (let i = 0; i < n; i++) o[i] = Math.atan2(y[i]!, x[i]!); };
const HYPOT = (a: Float64Array, b: Float64Array, o: Float64Array, n: number): void => { for (let i = 0; i < n; i++) o[i] = Math.hypot(a[i]!, b[i]!); };

/** First non-NaN of the arguments, per sample. */
function coalesceKernel(ks: readonly Kernel[]): Kernel {
  const buf = newBuffer();
  return {
    run(b, dest) {
      const out = dest ?? buf;
      const n = b.n;
      out.set(ks[0]!.run(b).subarray(0, n));
      for (let k = 1; k < ks.length; k++) {
        const next = ks[k]!.run(b);
        for (let i = 0; i < n; i++) {
          const v = out[i]!;
          if (v !== v) out[i] = next[i]!;
        }
      }
      return out;
    },
  };
}

const X: ParamSpec[] = [{ name: 'x', kind: 'series' }];
const TIMER: ParamSpec[] = [
  { name: 'in', kind: 'series' },
  { name: 'delay', kind: 'seconds', allowZero: true },
];


export const PLC: readonly FunctionDef[] = [
  unary('asin', 'Arcsine in radians (NaN outside [-1, 1]).', 'asin(Sensor_Ratio)', ASIN, NONE, noUnit),
  unary('acos', 'Arccosine in radians (NaN outside [-1, 1]).', 'acos(Power_Factor)', ACOS, NONE, noUnit),
  unary('atan', 'Arctangent in radians.', 'atan(Slope)', ATAN, NONE, noUnit),
  unary('trunc', 'Whole part of x, towards zero.', 'trunc(Counter / 1000)', TRUNC, SAME, sameUnit),
  {
    name: 'atan2',
    signature: 'atan2(y, x)',
    description: 'Angle of the point (x, y) in radians, in (-pi, pi]: the quadrant comes from both signs.',
    example: 'atan2(Vibration_Y, Vibration_X) * 180 / pi',
    category: 'math',
    unitRule: `${NONE} (warning if y and x differ)`,
    params: [
      { name: 'y', kind: 'series' },
      { name: 'x', kind: 'series' },
    ],
    unit: matchingThenNone('atan2()'),
    make: (args, ctx) => map2(series(args, 0, ctx), series(args, 1, ctx), ATAN2),
  },
  {
    name: 'hypot',
    signature: 'hypot(a, b)',
    description: 'sqrt(a² + b²) without overflow: the magnitude of a vector from its two components.',
    example: 'hypot(Vibration_X, Vibration_Y)',
    category: 'math',
    unitRule: 'unit of the arguments (warning if they differ)',
    params: [
      { name: 'a', kind: 'series' },
      { name: 'b', kind: 'series' },
    ],
    unit: matchingUnits('hypot()'),
    make: (args, ctx) => map2(series(args, 0, ctx), series(args, 1, ctx), HYPOT),
  },
  {
    name: 'rms',
    signature: 'rms(x, window)',
    description: 'Moving root mean square over the window (NaN samples skipped): the effective value of a vibration or a ripple. window: samples (100) or a duration (1s).',
    example: 'rms(Vibration, 1s)',
    category: 'window',
    unitRule: SAME,
    params: [
      { name: 'x', kind: 'series' },
      { name: 'window', kind: 'window' },
    ],
    unit: sameUnit,
    make: (args, ctx) => map1(movingSum(map1(series(args, 0, ctx), SQUARE), windowArg(args, 1), ctx.maxWindow, 'avg'), SQRT),
  },
  {
    name: 'xor',
    signature: 'xor(a, b)',
    description: 'Exclusive or: 1 where exactly one of a and b is true (non-zero), else 0; NaN if either is NaN.',
    example: 'xor(Valve_Open_Cmd, Valve_Open_Fbk)',
    category: 'logic',
    unitRule: NONE,
    params: [
      { name: 'a', kind: 'series' },
      { name: 'b', kind: 'series' },
    ],
    unit: noUnit,
    make: (args, ctx) => map2(series(args, 0, ctx), series(args, 1, ctx), XOR),
  },
  {
    name: 'ton',
    signature: 'ton(in, delay)',
    description: 'On-delay timer (IEC 61131-3 TON): 1 once `in` has been true for `delay` without a break, 0 as soon as it is false. A NaN input keeps the output.',
    example: 'ton(Tension > 80, 2s)',
    category: 'logic',
    unitRule: NONE,
    params: TIMER,
    unit: noUnit,
    make: (args, ctx) => stateful1(series(args, 0, ctx), { delayMs: secondsArg(args, 1) * 1000, since: NaN, state: NaN }, tonLoop),
  },
  {
    name: 'tof',
    signature: 'tof(in, delay)',
    description: 'Off-delay timer (IEC 61131-3 TOF): 1 as soon as `in` is true, 0 once it has been false for `delay`. A NaN input keeps the output.',
    example: 'tof(Strip_Present, 500ms)',
    category: 'logic',
    unitRule: NONE,
    params: TIMER,
    unit: noUnit,
    make: (args, ctx) => stateful1(series(args, 0, ctx), { delayMs: secondsArg(args, 1) * 1000, since: NaN, state: NaN }, tofLoop),
  },
  {
    name: 'isnan',
    signature: 'isnan(x)',
    description: '1 where x has no value (a gap, a bad sample, 0/0), else 0.',
    example: 'sum(isnan(Thickness))',
    category: 'logic',
    unitRule: NONE,
    params: X,
    unit: noUnit,
    make: (args, ctx) => map1(series(args, 0, ctx), ISNAN),
  },
  {
    name: 'coalesce',
    signature: 'coalesce(a, b, ...)',
    description: 'Per sample the first argument that has a value: fills the gaps of a from b (or from a constant).',
    example: 'coalesce(Thickness_Gauge_A, Thickness_Gauge_B, 0)',
    category: 'logic',
    unitRule: 'unit of the arguments (warning if they differ)',
    params: [
      { name: 'a', kind: 'series' },
      { name: 'b', kind: 'series', rest: true },
    ],
    unit: matchingUnits('coalesce()'),
    make: (args, ctx) => coalesceKernel(args.map((_, i) => series(args, i, ctx))),
  },
];
