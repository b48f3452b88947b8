/**
 * Stateful kernels: the hot loop is a module-level function that receives the arrays and a
 * state object as parameters, loads the state into locals, and stores it back after the loop.
 *
 * Why this shape (each point measured on V8 / Node 20, 2M samples):
 * - Loops inside per-instance closures that read captured variables ran 2-3x slower than the
 *   same loop as a plain function.
 * - A state field created as a small integer (`sum: 0`) changes representation when the first
 *   fraction is stored, invalidating code optimised before; settleNumbers() fixes every
 *   numeric field's representation up front.
 * - V8 optimises a 4096-iteration loop on-stack during the first call, when the code after
 *   the loop has never run; that code then lacks type feedback and the optimised loop bails
 *   out at the end of every block (3x slower, a heap number per sample). So each loop
 *   function first runs in short chunks for a few dozen calls, giving V8 feedback for all of it.
 */
import type { Kernel } from './kernel';
import { newBuffer } from './kernel';

/** Gives every numeric field of a state object V8's double representation from the start. */
export function settleNumbers<S>(st: S): S {
  if (typeof st !== 'object' || st === null) return st;
  const rec = st as Record<string, unknown>;
  for (const key of Object.keys(rec)) {
    const v = rec[key];
    if (typeof v !== 'number') continue;
    rec[key] = 0.5;
    rec[key] = v;
  }
  return st;
}

const WARM_CALLS = 64;
export const WARM_CHUNK = 32;
const warmth = new Map<object, number>();

/** True while `loop` should still run in short chunks; counts the chunk calls it is about to get. */
export function warming(loop: object, n: number): boolean {
  const calls = warmth.get(loop) ?? 0;
  if (calls >= WARM_CALLS) return false;
  warmth.set(loop, calls + Math.ceil(n / WARM_CHUNK));
  return true;
}

type Loop1<S> = (x: Float64Array, out: Float64Array, n: number, t: Float64Array, st: S) => void;
type Loop2<S> = (x: Float64Array, y: Float64Array, out: Float64Array, n: number, t: Float64Array, st: S) => void;
type Loop3<S> = (x: Float64Array, y: Float64Array, z: Float64Array, out: Float64Array, n: number, t: Float64Array, st: S) => void;

// Loops are chunk-invariant by design (the stream evaluator relies on it), so chunking while
// warming changes nothing in the results.

export function stateful1<S>(a: Kernel, st: S, loop: Loop1<S>): Kernel {
  const buf = newBuffer();
  settleNumbers(st);
  return {
    run(b, dest) {
      const o = dest ?? buf;
      const x = a.run(b);
      const n = b.n;
      if (!warming(loop, n)) loop(x, o, n, b.t, st);
      else
        for (let k = 0; k < n; k += WARM_CHUNK) {
          const e = Math.min(n, k + WARM_CHUNK);
          loop(x.subarray(k, e), o.subarray(k, e), e - k, b.t.subarray(k, e), st);
        }
      return o;
    },
  };
}

export function stateful2<S>(a: Kernel, c: Kernel, st: S, loop: Loop2<S>): Kernel {
  const buf = newBuffer();
  settleNumbers(st);
  return {
    run(b, dest) {
      const o = dest ?? buf;
      const x = a.run(b);
      const y = c.run(b);
      const n = b.n;
      if (!warming(loop, n)) loop(x, y, o, n, b.t, st);
      else
        for (let k = 0; k < n; k += WARM_CHUNK) {
          const e = Math.min(n, k + WARM_CHUNK);
          loop(x.subarray(k, e), y.subarray(k, e), o.subarray(k, e), e - k, b.t.subarray(k, e), st);
        }
      return o;
    },
  };
}

export function stateful3<S>(a: Kernel, c: Kernel, d: Kernel, st: S, loop: Loop3<S>): Kernel {
  const buf = newBuffer();
  settleNumbers(st);
  return {
    run(b, dest) {
      const o = dest ?? buf;
      const x = a.run(b);
      const y = c.run(b);
      const z = d.run(b);
      const n = b.n;
      if (!warming(loop, n)) loop(x, y, z, o, n, b.t, st);
      else
        for (let k = 0; k < n; k += WARM_CHUNK) {
          const e = Math.min(n, k + WARM_CHUNK);
          loop(x.subarray(k, e), y.subarray(k, e), z.subarray(k, e), o.subarray(k, e), e - k, b.t.subarray(k, e), st);
        }
      return o;
    },
  };
}
