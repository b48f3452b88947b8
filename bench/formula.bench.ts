/**
 * Formula engine throughput, each case measured against a hand-written JS loop that
 * computes the same thing in the same run (warm-up, then the median of several runs).
 * Run: npx tsx -e "import('./bench/formula.bench.ts').then(m=>m.default(r=>console.log(JSON.stringify(r))))"
 */
import os from 'node:os';
import { setFusion } from '../app/shared/formula/fused';
import { compileFormula, evaluateFormula } from '../app/shared/formula/index';
import type { FormulaSignal } from '../app/shared/formula/index';

export interface BenchData {
  t: Float64Array;
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
}

/** Deterministic test data on one 1 ms timebase (a small LCG keeps runs comparable). */
export function makeData(n: number): BenchData {
  const t = new Float64Array(n);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  let s = 12345;
  const rnd = (): number => ((s = (s * 1103515245 + 12345) >>> 0) / 4294967296);
  for (let i = 0; i < n; i++) {
    t[i] = 1_700_000_000_000 + i;
    a[i] = 100 * Math.sin(i / 500) + rnd();
    b[i] = 10 + 5 * rnd();
    c[i] = rnd();
  }
  return { t, a, b, c };
}

function handAbc(d: BenchData, out: Float64Array = new Float64Array(d.a.length)): Float64Array {
  const { a, b, c } = d;
  const n = a.length;
  for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]! + c[i]!;
  return out;
}

/** Moving average over the last N samples, skipping NaN, as sma() defines it. */
function handSma(d: BenchData, N: number, out: Float64Array = new Float64Array(d.a.length)): Float64Array {
  const a = d.a;
  const n = a.length;
  let sum = 0;
  let cnt = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (i >= N) {
      const old = a[i - N]!;
      if (old === old) {
        sum -= old;
        cnt--;
      }
    }
    if (v === v) {
      sum += v;
      cnt++;
    }
    out[i] = cnt > 0 ? sum / cnt : NaN;
  }
  return out;
}

export const TEN_FUNCTIONS =
  'clamp(sma(a, 100), -50, 50) + abs(derivative(b)) + rolling_max(c, 50) + ema(a, 0.1) + sqrt(abs(b)) + hysteresis(c, 0.2, 0.8) + delay(a, 10) + diff(b)';

/** The ten-function formula fused into one loop, by hand. */
function handTen(d: BenchData, out: Float64Array = new Float64Array(d.a.length)): Float64Array {
  const { t, a, b, c } = d;
  const n = a.length;
  let sum = 0;
  let cnt = 0;
  let ema = NaN;
  let hyst = 0;
  // Monotonic deque for rolling_max(c, 50).
  const dqI = new Int32Array(64);
  const dqV = new Float64Array(64);
  let head = 0;
  let size = 0;
  for (let i = 0; i < n; i++) {
    const av = a[i]!;
    const bv = b[i]!;
    const cv = c[i]!;
    if (i >= 100) {
      const old = a[i - 100]!;
      if (old === old) {
        sum -= old;
        cnt--;
      }
    }
    if (av === av) {
      sum += av;
      cnt++;
    }
    const sma = cnt > 0 ? sum / cnt : NaN;
    const clamped = sma < -50 ? -50 : sma > 50 ? 50 : sma;
    const deriv = i > 0 ? (bv - b[i - 1]!) / ((t[i]! - t[i - 1]!) / 1000) : NaN;
    while (size > 0 && dqI[head]! <= i - 50) {
      head = (head + 1) & 63;
      size--;
    }
    if (cv === cv) {
      while (size > 0 && dqV[(head + size - 1) & 63]! <= cv) size--;
      dqI[(head + size) & 63] = i;
      dqV[(head + size) & 63] = cv;
      size++;
    }
    const rmax = size > 0 ? dqV[head]! : NaN;
    if (av === av) ema = ema !== ema ? av : ema + 0.1 * (av - ema);
    if (cv >= 0.8) hyst = 1;
    else if (cv <= 0.2) hyst = 0;
    const delayed = i >= 10 ? a[i - 10]! : NaN;
    const diff = i > 0 ? bv - b[i - 1]! : NaN;
    out[i] = clamped + Math.abs(deriv) + rmax + ema + Math.sqrt(Math.abs(bv)) + hyst + delayed + diff;
  }
  return out;
}

export interface BenchCase {
  name: string;
  formula: string;
  samples: number;
  hand: (d: BenchData, out?: Float64Array) => Float64Array;
}

export const CASES: readonly BenchCase[] = [
  { name: 'a*b+c', formula: 'a*b+c', samples: 10_000_000, hand: handAbc },
  { name: 'sma(a, 1000)', formula: 'sma(a, 1000)', samples: 10_000_000, hand: (d, out) => handSma(d, 1000, out) },
  { name: 'ten functions', formula: TEN_FUNCTIONS, samples: 2_000_000, hand: handTen },
];

const env = { signalUnits: (name: string): string | undefined => (['a', 'b', 'c'].includes(name) ? '' : undefined) };

/** Evaluates a case's formula on the data (throws on compile or evaluation errors: this is a bench, not an API). */
export function runFormula(formula: string, d: BenchData, out?: Float64Array): Float64Array {
  const f = compileFormula(formula, env);
  if (!f.ok) throw new Error(f.error.message);
  const sig = (v: Float64Array): FormulaSignal => ({ t: d.t, v });
  const r = evaluateFormula(f.value, { a: sig(d.a), b: sig(d.b), c: sig(d.c) }, { timeoutMs: 600_000, ...(out ? { out } : {}) });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.v;
}

function medianMs(fn: () => unknown, runs: number): number {
  fn(); // warm-up (JIT)
  fn();
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  return times[runs >> 1]!;
}

/**
 * Two rows per case: "reused output" writes into one preallocated column on both sides
 * (what re-evaluating a range costs), "fresh output" allocates the result each run on both
 * sides (first touch of a fresh 80 MB column is a large, machine-dependent share of it).
 */
export default async function run(emit: (row: Record<string, unknown>) => void): Promise<void> {
  for (const c of CASES) {
    const d = makeData(c.samples);
    const runs = 5;
    for (const reuse of [true, false]) {
      const handOut = reuse ? new Float64Array(c.samples) : undefined;
      const formulaOut = reuse ? new Float64Array(c.samples) : undefined;
      const handMs = medianMs(() => c.hand(d, handOut), runs);
      const msPerRun = medianMs(() => runFormula(c.formula, d, formulaOut), runs);
      // The per-operator JS kernels alone (what runs where WebAssembly is unavailable).
      setFusion(false);
      const unfusedMs = medianMs(() => runFormula(c.formula, d, formulaOut), runs);
      setFusion(true);
      const perSec = (ms: number): number => Math.round(c.samples / (ms / 1000));
      emit({
        bench: 'formula',
        case: `${c.name} (${reuse ? 'reused' : 'fresh'} output)`,
        samples: c.samples,
        msPerRun: Number(msPerRun.toFixed(2)),
        samplesPerSec: perSec(msPerRun),
        handLoopSamplesPerSec: perSec(handMs),
        ratioToHandLoop: Number((msPerRun / handMs).toFixed(2)),
        unfusedSamplesPerSec: perSec(unfusedMs),
        unfusedRatioToHandLoop: Number((unfusedMs / handMs).toFixed(2)),
        load1: Number(os.loadavg()[0]!.toFixed(2)),
      });
      await Promise.resolve();
    }
  }
}
