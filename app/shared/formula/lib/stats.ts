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
import { WARM_CHUNK, settleNumbers, stateful1, warming } from '../stateful';
import type { ArgValue, FunctionDef, ParamSpec } from './define';
import { NONE, SAME, noUnit, perSecond, sameUnit, series, timesSecond, windowArg } from './define';
import { rollingStd } from './rolling';
import type { SumMode } from './window';
import { fusedWindow, movingSum } from './window';

type AggMode = SumMode | 'std';

interface Agg {
  n: number;
  sum: number;
  mean: number;
  m2: number;
  mode: number;
}

const AGG_MODE = { avg: 0, sum: 1, count: 2, std: 3 } as const;

function aggValue(st: Agg): number {
  const n = st.n;
  if (st.mode === 2) return n;
  if (n === 0) return NaN;
  return st.mode === 1 ? st.sum : st.mode === 0 ? st.mean : n >= 2 ? Math.sqrt(st.m2 / (n - 1)) : NaN;
}

/** Adds values to the aggregate; Welford keeps mean and spread accurate over millions of samples. */
function collectLoop(a: Float64Array, _out: Float64Array, len: number, st: Agg): void {
  let n = st.n;
  let sum = st.sum;
  let mean = st.mean;
  let m2 = st.m2;
  for (let i = 0; i < len; i++) {
    const v = a[i]!;
    if (v === v) {
      n++;
      sum += v;
      const d = v - mean;
      mean += d / n;
      m2 += d * (v - mean);
    }
  }
  st.n = n;
  st.sum = sum;
  st.mean = mean;
  st.m2 = m2;
}

/** Stream mode: adds values one by one and writes the running aggregate (rarely hot, so kept simple). */
function runningLoop(a: Float64Array, out: Float64Array, len: number, st: Agg): void {
  for (let i = 0; i < len; i++) {
    collectLoop(a.subarray(i, i + 1), out, 1, st);
    out[i] = aggValue(st);
  }
}

/** Runs `loop` over a block, in short chunks while it is warming up (see stateful.ts). */
function chunked(loop: typeof collectLoop, a: Float64Array, out: Float64Array, n: number, st: Agg): void {
  if (!warming(loop, n)) loop(a, out, n, st);
  else
    for (let k = 0; k < n; k += WARM_CHUNK) {
      const e = Math.min(n, k + WARM_CHUNK);
      loop(a.subarray(k, e), out.subarray(k, e), e - k, st);
    }
}

function wholeRange(x: Kernel, mode: AggMode, ctx: BuildContext): Kernel {
  const buf = newBuffer();
  const st: Agg = settleNumbers({ n: 0, sum: 0, mean: 0, m2: 0, mode: AGG_MODE[mode] });
  let fixed = false;
  const g: GlobalKernel & Kernel = {
    collect(b) {
      chunked(collectLoop, x.run(b), buf, b.n, st);
    },
    fix() {
      fixed = true;
      buf.fill(aggValue(st));
    },
    run(b, dest) {
      if (fixed) return buf;
      const out = dest ?? buf;
      runningLoop(x.run(b), out, b.n, st);
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
    // Moving avg and sum over samples run inside the fused loop, as sma does.
    pureFor: (args) => (name === 'avg' ? fusedWindow(args, 'sma') : name === 'sum' ? fusedWindow(args, 'msum') : undefined),
    make(args, ctx) {
      const x = series(args, 0, ctx);
      if (isGlobal(args)) return wholeRange(x, name, ctx);
      const w = windowArg(args, 1);
      return name === 'std' ? rollingStd(x, w, ctx.maxWindow) : movingSum(x, w, ctx.maxWindow, name);
    },
  };
}

interface Prev {
  v: number;
  t: number;
  acc: number;
}
const prev = (): Prev => ({ v: NaN, t: NaN, acc: 0 });

function diffLoop(a: Float64Array, out: Float64Array, n: number, _T: Float64Array, st: Prev): void {
  let p = st.v;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    out[i] = v - p;
    p = v;
  }
  st.v = p;
}

function derivativeLoop(a: Float64Array, out: Float64Array, n: number, T: Float64Array, st: Prev): void {
  let pv = st.v;
  let pt = st.t;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    const t = T[i]!;
    out[i] = (v - pv) / ((t - pt) / 1000);
    pv = v;
    pt = t;
  }
  st.v = pv;
  st.t = pt;
}

function integralLoop(a: Float64Array, out: Float64Array, n: number, T: Float64Array, st: Prev): void {
  let acc = st.acc;
  let pv = st.v;
  let pt = st.t;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    const t = T[i]!;
    // Trapezoids only between two valid neighbours: a gap adds nothing and the total holds.
    if (v === v && pv === pv) acc += ((v + pv) / 2) * ((t - pt) / 1000);
    out[i] = acc;
    pv = v;
    pt = t;
  }
  st.acc = acc;
  st.v = pv;
  st.t = pt;
}

const diff = (args: readonly ArgValue[], ctx: BuildContext): Kernel => stateful1(series(args, 0, ctx), prev(), diffLoop);
const derivative = (args: readonly ArgValue[], ctx: BuildContext): Kernel => stateful1(series(args, 0, ctx), prev(), derivativeLoop);
const integral = (args: readonly ArgValue[], ctx: BuildContext): Kernel => stateful1(series(args, 0, ctx), prev(), integralLoop);

const X: ParamSpec[] = [{ name: 'x', kind: 'series' }];

export const STATS: readonly FunctionDef[] = [
  aggregate('avg', 'Mean.', 'Thickness - avg(Thickness)', SAME, sameUnit),
  aggregate('sum', 'Sum.', 'sum(Pulses, 1min)', SAME, sameUnit),
  aggregate('count', 'Number of non-NaN samples.', 'count(Thickness, 10s)', NONE, noUnit),
  aggregate('std', 'Sample standard deviation (n - 1).', 'std(Thickness)', SAME, sameUnit),
  {
    name: 'diff',
    pure: 'diff',
    signature: 'diff(x)',
    description: 'Difference to the previous sample (NaN at the first sample or next to a NaN).',
    example: 'diff(Coil_Counter)',
    category: 'statistics',
    unitRule: SAME,
    params: X,
    unit: sameUnit,
    make: diff,
  },
  {
    name: 'derivative',
    pure: 'derivative',
    signature: 'derivative(x)',
    description: 'Rate of change per second: (x - previous x) / (t - previous t in s). NaN at the first sample or next to a NaN.',
    example: 'derivative(Position)',
    category: 'statistics',
    unitRule: 'unit of x per second (m → m/s)',
    params: X,
    unit: perSecond,
    make: derivative,
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
