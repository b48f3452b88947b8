/** Elementwise math: one sample in, one sample out, no state. NaN in → NaN out. */
import type { Kernel } from '../kernel';
import { map1, map2, map3, newBuffer } from '../kernel';
import { stateful1 } from '../stateful';
import { DIMENSIONLESS, isDimensionless, powUnit, rootUnit } from '../units';
import type { PureOp } from '../pure';
import type { ArgValue, FunctionDef, ParamSpec, UnitContext } from './define';
import { NONE, SAME, matchingUnits, noUnit, numberArg, sameUnit, series, unitOf } from './define';

type Loop = (x: Float64Array, o: Float64Array, n: number) => void;
const X: ParamSpec[] = [{ name: 'x', kind: 'series' }];

/** An elementwise function of one series (math's shape; lib/plc.ts builds its own with it too). */
export function unary(name: string, description: string, example: string, loop: Loop, unitRule: string, unit: FunctionDef['unit'], pure?: PureOp): FunctionDef {
  return {
    name,
    ...(pure ? { pure } : {}),
    signature: `${name}(x)`,
    description,
    example,
    category: 'math',
    unitRule,
    params: X,
    unit,
    make: (args, ctx) => map1(series(args, 0, ctx), loop),
  };
}

// Each loop is written out so every function gets its own monomorphic hot loop.
const ABS: Loop = (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.abs(x[i]!); };
export const SQRT: Loop = (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sqrt(x[i]!); };
const EXP: Loop = (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.exp(x[i]!); };
const LOG: Loop = (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.log(x[i]!); };
const LOG10: Loop = (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.log10(x[i]!); };
const SIN: Loop = (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sin(x[i]!); };
const COS: Loop = (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.cos(x[i]!); };
const TAN: Loop = (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.tan(x[i]!); };
const FLOOR: Loop = (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.floor(x[i]!); };
const CEIL: Loop = (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.ceil(x[i]!); };
const SIGN: Loop = (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sign(x[i]!); };

const minLoop = (acc: Float64Array, y: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) acc[i] = Math.min(acc[i]!, y[i]!);
};
const maxLoop = (acc: Float64Array, y: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) acc[i] = Math.max(acc[i]!, y[i]!);
};
const powLoop = (x: Float64Array, y: Float64Array, o: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) o[i] = x[i]! ** y[i]!;
};
// Half away from zero, as engineers round by hand (Math.round alone rounds -2.5 to -2).
const roundLoop = (x: Float64Array, o: Float64Array, n: number, _t: Float64Array, st: { f: number }): void => {
  const f = st.f;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    o[i] = v < 0 ? -Math.round(-v * f) / f : Math.round(v * f) / f;
  }
};

const clampLoop = (x: Float64Array, lo: Float64Array, hi: Float64Array, o: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const l = lo[i]!;
    const h = hi[i]!;
    o[i] = v < l ? l : v > h ? h : v;
  }
};

function minMax(name: 'min' | 'max'): FunctionDef {
  const isMin = name === 'min';
  return {
    name,
    signature: `${name}(a, b, ...)`,
    pure: name,
    description: `Elementwise ${isMin ? 'smallest' : 'largest'} of two or more values (NaN if any is NaN). For a moving ${name} use rolling_${name}.`,
    example: `${name}(Zone1_Temp, Zone2_Temp, Zone3_Temp)`,
    category: 'math',
    unitRule: 'unit of the arguments (warning if they differ)',
    params: [
      { name: 'a', kind: 'series' },
      { name: 'b', kind: 'series', rest: true },
    ],
    unit: matchingUnits(`${name}()`),
    make(args, ctx) {
      const ks: Kernel[] = args.map((_, i) => series(args, i, ctx));
      const loop = isMin ? minLoop : maxLoop;
      const buf = newBuffer();
      return {
        run(b, dest) {
          const out = dest ?? buf;
          out.set(ks[0]!.run(b).subarray(0, b.n));
          for (let k = 1; k < ks.length; k++) loop(out, ks[k]!.run(b), b.n);
          return out;
        },
      };
    },
  };
}

function clampLike(name: 'clamp' | 'limit'): FunctionDef {
  return {
    name,
    signature: `${name}(x, lo, hi)`,
    description: name === 'clamp' ? 'Limits x to [lo, hi].' : 'Saturation: limits x to [lo, hi] (same as clamp).',
    example: `${name}(Torque, 0, 100)`,
    pure: 'clamp',
    category: 'math',
    unitRule: `${SAME} (warning if lo/hi differ)`,
    params: [
      { name: 'x', kind: 'series' },
      { name: 'lo', kind: 'series' },
      { name: 'hi', kind: 'series' },
    ],
    unit: matchingUnits(`${name}()`),
    make: (args, ctx) => map3(series(args, 0, ctx), series(args, 1, ctx), series(args, 2, ctx), clampLoop),
  };
}

function powUnitRule(args: readonly ArgValue[], ctx: UnitContext) {
  const base = unitOf(args, 0);
  const exp = args[1];
  if (exp?.kind === 'series' && exp.constant !== undefined) return powUnit(base, exp.constant);
  if (!isDimensionless(base)) ctx.warn('pow(): a variable exponent of a unit has no unit; result is dimensionless', 1);
  return DIMENSIONLESS;
}

export const MATH: readonly FunctionDef[] = [
  unary('abs', 'Absolute value.', 'abs(Strip_Tension_Diff)', ABS, SAME, sameUnit, 'abs'),
  unary('sqrt', 'Square root (NaN for negative x).', 'sqrt(Area)', SQRT, 'exponents halved (m^2 → m); dimensionless if they do not halve', (a) => rootUnit(unitOf(a, 0), 2), 'sqrt'),
  {
    name: 'pow',
    signature: 'pow(x, y)',
    description: 'x raised to the power y; same as x ^ y.',
    example: 'pow(Diameter / 2, 2) * pi',
    category: 'math',
    unitRule: 'exponents times y when y is a constant (m, 2 → m^2); else dimensionless',
    params: [
      { name: 'x', kind: 'series' },
      { name: 'y', kind: 'series' },
    ],
    unit: powUnitRule,
    make: (args, ctx) => map2(series(args, 0, ctx), series(args, 1, ctx), powLoop),
  },
  unary('exp', 'e to the power x.', 'Start_Value * exp(-time() / 30)', EXP, NONE, noUnit),
  unary('log', 'Natural logarithm.', 'log(Pressure)', LOG, NONE, noUnit),
  unary('log10', 'Base-10 logarithm.', '20 * log10(Amplitude)', LOG10, NONE, noUnit),
  unary('sin', 'Sine of x in radians.', 'Amplitude * sin(2 * pi * 50 * time())', SIN, NONE, noUnit),
  unary('cos', 'Cosine of x in radians.', 'cos(Angle * pi / 180)', COS, NONE, noUnit),
  unary('tan', 'Tangent of x in radians.', 'tan(Angle)', TAN, NONE, noUnit),
  minMax('min'),
  minMax('max'),
  clampLike('clamp'),
  clampLike('limit'),
  {
    name: 'round',
    signature: 'round(x, digits?)',
    description: 'Rounds half away from zero to `digits` decimals (default 0; negative rounds to tens, hundreds, ...).',
    example: 'round(Thickness, 2)',
    category: 'math',
    unitRule: SAME,
    params: [
      { name: 'x', kind: 'series' },
      { name: 'digits', kind: 'number', optional: true },
    ],
    unit: sameUnit,
    validate: (args) => {
      const d = args[1]?.kind === 'number' ? args[1].value : 0;
      return Number.isInteger(d) && Math.abs(d) <= 15 ? undefined : ['round(): digits must be a whole number between -15 and 15', 1];
    },
    make: (args, ctx) => stateful1(series(args, 0, ctx), { f: 10 ** numberArg(args, 1, 0) }, roundLoop),
  },
  unary('floor', 'Largest whole number ≤ x.', 'floor(Counter / 10)', FLOOR, SAME, sameUnit, 'floor'),
  unary('ceil', 'Smallest whole number ≥ x.', 'ceil(Length)', CEIL, SAME, sameUnit, 'ceil'),
  unary('sign', '-1, 0 or 1 by the sign of x.', 'sign(Speed)', SIGN, NONE, noUnit, 'sign'),
];
