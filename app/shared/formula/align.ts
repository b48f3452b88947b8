/**
 * The alignment rule: a formula is evaluated on ONE timebase, that of the input with the
 * most samples (ties → the first in CompiledFormula.inputs order). Every other input is
 * sampled onto it by zero-order hold: its last value at or before each timestamp, NaN
 * before its first sample.
 */
import type { FormulaSignal } from './types';

/** Index (into `names`) of the input whose timebase the formula uses. */
export function chooseMaster(names: readonly string[], counts: (name: string) => number): number {
  let best = 0;
  let bestCount = -1;
  names.forEach((name, i) => {
    const c = counts(name);
    if (c > bestCount) {
      best = i;
      bestCount = c;
    }
  });
  return best;
}

/**
 * Zero-order hold of (st, sv) at times t[from..to), written to out[from..to).
 * `j` is the first source sample not yet passed and `held` the value before it; the
 * updated pair is returned so the caller can continue with later times.
 */
export function zohInto(
  t: Float64Array,
  from: number,
  to: number,
  st: Float64Array,
  sv: Float64Array,
  sourceLength: number,
  out: Float64Array,
  j: number,
  held: number,
): { j: number; held: number } {
  for (let i = from; i < to; i++) {
    const ti = t[i]!;
    while (j < sourceLength && st[j]! <= ti) held = sv[j++]!;
    out[i] = held;
  }
  return { j, held };
}

/** Same timestamps (by reference or by value): the column can be used as it is. */
export function sameTimebase(a: Float64Array, b: Float64Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Values of `s` on timebase `t` (the column itself when the timebases are equal). */
export function alignTo(t: Float64Array, s: FormulaSignal): Float64Array {
  if (sameTimebase(t, s.t)) return s.v;
  const out = new Float64Array(t.length);
  zohInto(t, 0, t.length, s.t, s.v, s.t.length, out, 0, NaN);
  return out;
}

/** Problem with a signal's shape, or undefined: equal lengths and non-decreasing, non-NaN timestamps. */
export function signalProblem(name: string, s: FormulaSignal): string | undefined {
  if (!(s.t instanceof Float64Array) || !(s.v instanceof Float64Array)) return `signal '${name}' must have Float64Array t and v`;
  if (s.t.length !== s.v.length) return `signal '${name}' has ${s.t.length} timestamps but ${s.v.length} values`;
  const t = s.t;
  let prev = -Infinity;
  for (let i = 0; i < t.length; i++) {
    const x = t[i]!;
    // `!(x >= prev)` also catches NaN timestamps.
    if (!(x >= prev)) return `signal '${name}' timestamps are not ascending at sample ${i}`;
    prev = x;
  }
  return undefined;
}
