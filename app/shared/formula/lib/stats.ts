/**
 * Aggregates (avg, sum, count, std) over the whole range or over a window, and the
 * sample-to-sample operators diff, derivative and integral.
 *
 * Whole range means the whole evaluated range: whole-column evaluation runs a pre-pass
 * and outputs one constant. A stream cannot see the future, so there the same kernel
 * reports the running value over everything pushed so far (which is why formulas using
 * them are flagged `causal: false`).
 */
import type { BuildContext, GlobalKernel, Kernel } from '../kernel';
import { newBuffer } from '../kernel';
import type { ArgValue, FunctionDef, ParamSpec } from './define';
import { NONE, SAME, noUnit, perSecond, sameUnit, series, timesSecond, windowArg } from './define';
import { rollingStd } from './rolling';
import type { SumMode } from './window';
import { movingSum } from './window';

type AggMode = SumMode | 'std';

function wholeRange(x: Kernel, mode: AggMode, ctx: BuildContext): Kernel {
  const out = newBuffer();
  let n = 0;
  let sum = 0;
  let mean = 0;
  let m2 = 0;
  let fixed = false;
  const value = (): number =>
    mode === 'count' ? n : n === 0 ? NaN : mode === 'sum' ? sum : mode === 'avg' ? mean : n >= 2 ? Math.sqrt(m2 / (n - 1)) : NaN;
  // Welford keeps the mean and spread accurate over millions of samples.
  const add = (v: number): void => {
    n++;
    sum += v;
    const d = v - mean;
    mean += d / n;
    m2 += d * (v - mean);
  };
  const g: GlobalKernel & Kernel = {
    collect(b) {
      const a = x.run(b);
      for (let i = 0; i < b.n; i++) {
        const v = a[i]!;
        if (v === v) add(v);
      }
    },
    fix() {
      fixed = true;
      out.fill(value());
    },
    run(b) {
      if (fixed) return out;
      const a = x.run(b);
      for (let i = 0; i < b.n; i++) {
        const v = a[i]!;
        if (v === v) add(v);
        out[i] = value();
      }
      return out;
    },
  };
  ctx.globals.push(g);
  return g;
}

const AGG_PARAMS: ParamSpec[] = [
  { name: 'x', kind: 'series' },
  { name: 'window', kind: 'window', optional: true },
];
const isGlobal = (args: readonly ArgValue[]): boolean => args.length < 2;

function aggregate(name: AggMode, description: string, example: string, unitRule: string, unit: FunctionDef['unit']): FunctionDef {
  return {
    name,
    signature: `${name}(x, window?)`,
    description: `${description} Without a window: over the whole range (a stream reports the value so far). With a window (samples or a duration): moving. NaN samples are skipped.`,
    example,
    category: 'statistics',
    unitRule,
    params: AGG_PARAMS,
    unit,
    global: isGlobal,
    make(args, ctx) {
      const x = series(args, 0, ctx);
      if (isGlobal(args)) return wholeRange(x, name, ctx);
      const w = windowArg(args, 1);
      return name === 'std' ? rollingStd(x, w, ctx.maxWindow) : movingSum(x, w, ctx.maxWindow, name);
    },
  };
}

function stepper(step: (v: number, t: number, pv: number, pt: number) => number): (args: readonly ArgValue[], ctx: BuildContext) => Kernel {
  return (args, ctx) => {
    const x = series(args, 0, ctx);
    const out = newBuffer();
    let pv = NaN;
    let pt = NaN;
    return {
      run(b) {
        const a = x.run(b);
        const T = b.t;
        for (let i = 0; i < b.n; i++) {
          const v = a[i]!;
          const t = T[i]!;
          out[i] = step(v, t, pv, pt);
          pv = v;
          pt = t;
        }
        return out;
      },
    };
  };
}

function integral(args: readonly ArgValue[], ctx: BuildContext): Kernel {
  const x = series(args, 0, ctx);
  const out = newBuffer();
  let acc = 0;
  let pv = NaN;
  let pt = NaN;
  return {
    run(b) {
      const a = x.run(b);
      const T = b.t;
      for (let i = 0; i < b.n; i++) {
        const v = a[i]!;
        const t = T[i]!;
        // Trapezoids only between two valid neighbours: a gap adds nothing and the total holds.
        if (v === v && pv === pv) acc += ((v + pv) / 2) * ((t - pt) / 1000);
        out[i] = acc;
        pv = v;
        pt = t;
      }
      return out;
    },
  };
}

const X: ParamSpec[] = [{ name: 'x', kind: 'series' }];

export const STATS: readonly FunctionDef[] = [
  aggregate('avg', 'Mean.', 'Thickness - avg(Thickness)', SAME, sameUnit),
  aggregate('sum', 'Sum.', 'sum(Pulses, 1min)', SAME, sameUnit),
  aggregate('count', 'Number of non-NaN samples.', 'count(Thickness, 10s)', NONE, noUnit),
  aggregate('std', 'Sample standard deviation (n - 1).', 'std(Thickness)', SAME, sameUnit),
  {
    name: 'diff',
    signature: 'diff(x)',
    description: 'Difference to the previous sample (NaN at the first sample or next to a NaN).',
    example: 'diff(Coil_Counter)',
    category: 'statistics',
    unitRule: SAME,
    params: X,
    unit: sameUnit,
    make: stepper((v, _t, pv) => v - pv),
  },
  {
    name: 'derivative',
    signature: 'derivative(x)',
    description: 'Rate of change per second: (x - previous x) / (t - previous t in s). NaN at the first sample or next to a NaN.',
    example: 'derivative(Position)',
    category: 'statistics',
    unitRule: 'unit of x per second (m → m/s)',
    params: X,
    unit: perSecond,
    make: stepper((v, t, pv, pt) => (v - pv) / ((t - pt) / 1000)),
  },
  {
    name: 'integral',
    signature: 'integral(x)',
    description: 'Running trapezoidal integral over time in seconds, starting at 0; gaps (NaN) add nothing.',
    example: 'integral(Flow) / 3600',
    category: 'statistics',
    unitRule: 'unit of x times seconds (m/s → m)',
    params: X,
    unit: timesSecond,
    make: integral,
  },
];
