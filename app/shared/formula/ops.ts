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
import { GAP, map1, map2, map3, newBuffer } from './kernel';
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

// A left-deep chain of additions `a + b + c + …` runs in passes of up to four terms instead of
// one pass per `+`: fewer loads and stores of intermediates. Left to right inside each pass, so
// the rounding is exactly that of the unfused chain.
const SUM2 = (a: Float64Array, b: Float64Array, o: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) o[i] = a[i]! + b[i]!;
};
const SUM3 = (a: Float64Array, b: Float64Array, c: Float64Array, o: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) o[i] = a[i]! + b[i]! + c[i]!;
};
const SUM4 = (a: Float64Array, b: Float64Array, c: Float64Array, d: Float64Array, o: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) o[i] = a[i]! + b[i]! + c[i]! + d[i]!;
};
const ACC1 = (o: Float64Array, a: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) o[i] = o[i]! + a[i]!;
};
const ACC2 = (o: Float64Array, a: Float64Array, b: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) o[i] = o[i]! + a[i]! + b[i]!;
};
const ACC3 = (o: Float64Array, a: Float64Array, b: Float64Array, c: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) o[i] = o[i]! + a[i]! + b[i]! + c[i]!;
};

/** `t0 + t1 + … + tk` (k ≥ 1, left-associative) over series kernels. */
export function sumKernel(terms: readonly Kernel[]): Kernel {
  const buf = newBuffer();
  const cols: Float64Array[] = new Array<Float64Array>(terms.length);
  return {
    run(b, dest) {
      const o = dest ?? buf;
      const n = b.n;
      // Every term runs before the first pass writes `o`, as in the unfused tree.
      for (let k = 0; k < terms.length; k++) cols[k] = terms[k]!.run(b);
      const m = terms.length;
      if (m === 2) SUM2(cols[0]!, cols[1]!, o, n);
      else if (m === 3) SUM3(cols[0]!, cols[1]!, cols[2]!, o, n);
      else SUM4(cols[0]!, cols[1]!, cols[2]!, cols[3]!, o, n);
      let k = Math.min(m, 4);
      while (k < m) {
        const left = m - k;
        if (left >= 3) ACC3(o, cols[k]!, cols[k + 1]!, cols[k + 2]!, n);
        else if (left === 2) ACC2(o, cols[k]!, cols[k + 1]!, n);
        else ACC1(o, cols[k]!, n);
        k += Math.min(left, 3);
      }
      return o;
    },
  };
}
