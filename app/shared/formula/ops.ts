/**
 * Operator kernels. One dedicated loop per operator so each stays monomorphic and
 * the JIT can keep it tight; the scalar forms fold constants at compile time.
 * NaN propagates through arithmetic and comparisons; `and`/`or` follow Kleene logic
 * (false and NaN = false, true or NaN = true) so a gap in one input does not hide a decided result.
 *
 * In the loops NaN is stored in its own branch (`if (gap) o[i] = GAP[0]!; else o[i] = ...`), never
 * as `gap ? NaN : value`: V8 turns that phi into boxed numbers, one heap allocation per sample.
 */
import type { BinaryOp } from './ast';
import type { Kernel } from './kernel';
import { GAP, map1, map2, map3 } from './kernel';
import { stateful1 } from './stateful';

type Loop2 = (a: Float64Array, b: Float64Array, o: Float64Array, n: number) => void;

const and = (a: number, b: number): number => (a === 0 || b === 0 ? 0 : a !== a || b !== b ? NaN : 1);
const or = (a: number, b: number): number => ((a !== 0 && a === a) || (b !== 0 && b === b) ? 1 : a !== a || b !== b ? NaN : 0);
// Comparisons: NaN in → NaN out (JS would say false, which would turn a gap into a decision).
const cmp = (r: boolean, a: number, b: number): number => (a !== a || b !== b ? NaN : r ? 1 : 0);

export function scalarBinary(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '%': return a % b;
    case '^': return a ** b;
    case '<': return cmp(a < b, a, b);
    case '<=': return cmp(a <= b, a, b);
    case '>': return cmp(a > b, a, b);
    case '>=': return cmp(a >= b, a, b);
    case '==': return cmp(a === b, a, b);
    case '!=': return cmp(a !== b, a, b);
    case 'and': return and(a, b);
    case 'or': return or(a, b);
  }
}

const LOOPS: Readonly<Record<BinaryOp, Loop2>> = {
  '+': (a, b, o, n) => { for (let i = 0; i < n; i++) o[i] = a[i]! + b[i]!; },
  '-': (a, b, o, n) => { for (let i = 0; i < n; i++) o[i] = a[i]! - b[i]!; },
  '*': (a, b, o, n) => { for (let i = 0; i < n; i++) o[i] = a[i]! * b[i]!; },
  '/': (a, b, o, n) => { for (let i = 0; i < n; i++) o[i] = a[i]! / b[i]!; },
  '%': (a, b, o, n) => { for (let i = 0; i < n; i++) o[i] = a[i]! % b[i]!; },
  '^': (a, b, o, n) => { for (let i = 0; i < n; i++) o[i] = a[i]! ** b[i]!; },
  '<': (a, b, o, n) => { for (let i = 0; i < n; i++) { const x = a[i]!, y = b[i]!; if (x !== x || y !== y) o[i] = GAP[0]!; else o[i] = x < y ? 1 : 0; } },
  '<=': (a, b, o, n) => { for (let i = 0; i < n; i++) { const x = a[i]!, y = b[i]!; if (x !== x || y !== y) o[i] = GAP[0]!; else o[i] = x <= y ? 1 : 0; } },
  '>': (a, b, o, n) => { for (let i = 0; i < n; i++) { const x = a[i]!, y = b[i]!; if (x !== x || y !== y) o[i] = GAP[0]!; else o[i] = x > y ? 1 : 0; } },
  '>=': (a, b, o, n) => { for (let i = 0; i < n; i++) { const x = a[i]!, y = b[i]!; if (x !== x || y !== y) o[i] = GAP[0]!; else o[i] = x >= y ? 1 : 0; } },
  '==': (a, b, o, n) => { for (let i = 0; i < n; i++) { const x = a[i]!, y = b[i]!; if (x !== x || y !== y) o[i] = GAP[0]!; else o[i] = x === y ? 1 : 0; } },
  '!=': (a, b, o, n) => { for (let i = 0; i < n; i++) { const x = a[i]!, y = b[i]!; if (x !== x || y !== y) o[i] = GAP[0]!; else o[i] = x !== y ? 1 : 0; } },
  and: (a, b, o, n) => {
    for (let i = 0; i < n; i++) {
      const x = a[i]!, y = b[i]!;
      if (x === 0 || y === 0) o[i] = 0;
      else if (x !== x || y !== y) o[i] = GAP[0]!;
      else o[i] = 1;
    }
  },
  or: (a, b, o, n) => {
    for (let i = 0; i < n; i++) {
      const x = a[i]!, y = b[i]!;
      if ((x !== 0 && x === x) || (y !== 0 && y === y)) o[i] = 1;
      else if (x !== x || y !== y) o[i] = GAP[0]!;
      else o[i] = 0;
    }
  },
};

// Column-with-constant forms of the hot arithmetic operators: `x * 2` should not read a filled buffer.
type LoopK = (a: Float64Array, k: number, o: Float64Array, n: number) => void;
const RIGHT_CONST: Partial<Record<BinaryOp, LoopK>> = {
  '+': (a, k, o, n) => { for (let i = 0; i < n; i++) o[i] = a[i]! + k; },
  '-': (a, k, o, n) => { for (let i = 0; i < n; i++) o[i] = a[i]! - k; },
  '*': (a, k, o, n) => { for (let i = 0; i < n; i++) o[i] = a[i]! * k; },
  '/': (a, k, o, n) => { for (let i = 0; i < n; i++) o[i] = a[i]! / k; },
};

/** Builds the kernel for `a op b`; `bConst` is b's value when b is a compile-time constant. */
export function binaryKernel(op: BinaryOp, a: Kernel, b: Kernel, bConst?: number): Kernel {
  const rk = bConst === undefined ? undefined : RIGHT_CONST[op];
  if (rk && bConst !== undefined) return stateful1(a, { k: bConst }, (x, o, n, _t, st) => rk(x, st.k, o, n));
  return map2(a, b, LOOPS[op]);
}

const MUL_ADD = (x: Float64Array, y: Float64Array, z: Float64Array, o: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) o[i] = x[i]! * y[i]! + z[i]!;
};

/** `x * y + z` in one loop. (Not a true FMA: same rounding as the two-step form.) */
export const mulAddKernel = (x: Kernel, y: Kernel, z: Kernel): Kernel => map3(x, y, z, MUL_ADD);

export function scalarUnary(op: '-' | '+' | 'not', a: number): number {
  if (op === '-') return -a;
  if (op === '+') return a;
  return a !== a ? NaN : a === 0 ? 1 : 0;
}

const NEG = (x: Float64Array, o: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) o[i] = -x[i]!;
};
const NOT = (x: Float64Array, o: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v !== v) o[i] = GAP[0]!;
    else o[i] = v === 0 ? 1 : 0;
  }
};

export function unaryKernel(op: '-' | '+' | 'not', a: Kernel): Kernel {
  if (op === '+') return a;
  return map1(a, op === '-' ? NEG : NOT);
}
