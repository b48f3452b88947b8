/**
 * Elementwise ("pure") expressions: arithmetic, comparisons, logic and the stateless math
 * functions, described as data so a whole subtree of them can run as ONE loop (fused.ts)
 * instead of one pass per operator. Anything else (a stateful function, `%`, `^`, sin…) is
 * a leaf: its kernel runs as before and the fused loop reads its block.
 */
import type { SeriesArg } from './lib/define';

export type PureOp =
  | '+' | '-' | '*' | '/'
  | '<' | '<=' | '>' | '>=' | '==' | '!='
  | 'and' | 'or' | 'not' | 'neg'
  | 'abs' | 'sqrt' | 'floor' | 'ceil' | 'sign'
  | 'min' | 'max' | 'clamp' | 'if'
  // Stateful, with their state in the fused module's memory (same rules as their JS loops).
  | 'diff' | 'derivative' | 'ema' | 'hysteresis'
  // Over a window of the last `param` samples, the window in the module's memory too:
  // moving average and sum (window.ts), rolling max and min (rolling.ts).
  | 'sma' | 'msum' | 'rmax' | 'rmin';

export type PureExpr =
  | { k: 'const'; value: number }
  /** An input signal, by its index in CompiledFormula.inputs (the same input read twice is one leaf). */
  | { k: 'input'; index: number }
  /** Any other series: its own kernel computes it. */
  | { k: 'leaf'; arg: SeriesArg }
  /** `param`: a constant parameter of the operator (ema's alpha, a window's samples). */
  | { k: 'op'; op: PureOp; args: readonly PureExpr[]; param?: number };

/** Arity of each operator; min and max take two or more. */
export const ARITY: Readonly<Record<PureOp, number>> = {
  '+': 2, '-': 2, '*': 2, '/': 2,
  '<': 2, '<=': 2, '>': 2, '>=': 2, '==': 2, '!=': 2,
  and: 2, or: 2, not: 1, neg: 1,
  abs: 1, sqrt: 1, floor: 1, ceil: 1, sign: 1,
  min: -2, max: -2, clamp: 3, if: 3,
  diff: 1, derivative: 1, ema: 1, hysteresis: 3,
  sma: 1, msum: 1, rmax: 1, rmin: 1,
};

/**
 * Largest window (in samples) a moving sum or rolling extreme takes into the loop; larger
 * ones stay JS kernels so a module's memory stays small (a window of N costs 8·N bytes,
 * a deque 12·2^⌈log2(N+1)⌉).
 */
export const MAX_FUSED_WINDOW = 65_536;

/** Initial state of each stateful operator, as its JS kernel starts (stats.ts prev(), window.ts smoothing, logic.ts hysteresis). */
export const INITIAL_STATE: Partial<Record<PureOp, readonly number[]>> = {
  diff: [NaN],
  derivative: [NaN, NaN],
  ema: [NaN],
  hysteresis: [0],
};

/** The pure view of a series argument: its own expression, a constant, or a leaf. */
export function pureOf(a: SeriesArg): PureExpr {
  if (a.constant !== undefined) return { k: 'const', value: a.constant };
  return a.pure ?? { k: 'leaf', arg: a };
}

/** Number of operator nodes (the passes a fused loop saves). */
export function opCount(e: PureExpr): number {
  if (e.k !== 'op') return 0;
  let n = 1;
  for (const a of e.args) n += opCount(a);
  return n;
}
