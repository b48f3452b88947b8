import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluateFormula } from './evaluate';
import { setFusion } from './fused';
import { createStreamEvaluator } from './stream';
import { compileOrThrow, sig } from './test-helpers';
import { sleb, uleb } from './wasm';

// Values that tell the operators apart: signed zeros, NaN, infinities, equal pairs, fractions.
const value = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, -2.5, 3, NaN, Infinity, -Infinity),
  fc.double({ min: -1e3, max: 1e3, noNaN: true }),
);

// Every fused operator and function, plus leaves that stay JS kernels (`%`, `^`, stateful, sin).
const formula: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 'y', 'x', 'y', '0', '-0', '1.5', '2'),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '<', '<=', '>', '>=', '==', '!=', 'and', 'or', '%', '^'), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('e').map((a) => `(-${a})`),
    tie('e').map((a) => `(not ${a})`),
    fc.tuple(fc.constantFrom('abs', 'sqrt', 'floor', 'ceil', 'sign', 'sin'), tie('e')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(fc.constantFrom('min', 'max'), fc.array(tie('e'), { minLength: 2, maxLength: 4 })).map(([f, as]) => `${f}(${as.join(', ')})`),
    fc.tuple(fc.constantFrom('clamp', 'if'), tie('e'), tie('e'), tie('e')).map(([f, a, b, c]) => `${f}(${a}, ${b}, ${c})`),
    fc.tuple(fc.constantFrom('delay', 'sma'), tie('e')).map(([f, a]) => `${f}(${a}, 3)`),
    // Window operators the loop carries with their windows in the module's memory.
    fc.tuple(fc.constantFrom('sma', 'avg', 'sum', 'rolling_max', 'rolling_min'), tie('e'), fc.constantFrom(1, 2, 5, 17)).map(([f, a, n]) => `${f}(${a}, ${n})`),
    // Stateful operators the loop carries itself (state in the module's memory).
    fc.tuple(fc.constantFrom('diff', 'derivative'), tie('e')).map(([f, a]) => `${f}(${a})`),
    tie('e').map((a) => `ema(${a}, 0.3)`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([a, b, c]) => `hysteresis(${a}, ${b}, ${c})`),
  ),
})).e;

afterEach(() => setFusion(true));

function evaluate(text: string, signals: Record<string, ReturnType<typeof sig>>, fused: boolean): Float64Array {
  setFusion(fused);
  const r = evaluateFormula(compileOrThrow(text, signals), signals);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.v;
}

/** Object.is per sample: -0 and +0 differ, NaN equals NaN. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : a.length;
}

describe('fused elementwise kernels (WebAssembly from the AST)', () => {
  it('give bit-identical results to the per-operator JS kernels for random formulas', () => {
    fc.assert(
      fc.property(formula, fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 300 }), (text, pairs) => {
        const signals = { x: sig(pairs.map((p) => p[0]), { stepMs: 1 }), y: sig(pairs.map((p) => p[1]), { stepMs: 1 }) };
        try {
          compileOrThrow(text, signals);
        } catch {
          return; // constant-only formulas are refused: nothing to compare
        }
        const js = evaluate(text, signals, false);
        const wasm = evaluate(text, signals, true);
        const at = firstDifference(js, wasm);
        expect(at, `${text} differs at sample ${at}: js ${js[at]} wasm ${wasm[at]} (x ${signals.x.v[at]}, y ${signals.y.v[at]})`).toBe(-1);
      }),
      { numRuns: 400 },
    );
  });

  it('agree across block boundaries and with the stream evaluator fed in uneven chunks', () => {
    const n = 10_000;
    const x = sig(Array.from({ length: n }, (_, i) => (i % 97 === 0 ? NaN : Math.sin(i / 50) * 10)), { stepMs: 1 });
    const y = sig(Array.from({ length: n }, (_, i) => (i % 13) - 6), { stepMs: 1 });
    // delay, not sma: a running sum rounds differently when chunks split it differently.
    const text =
      'clamp(delay(x, 100), -5, 5) + abs(y) * 2 - if(y > 0, x, -x) + max(x, y, 0) + ema(diff(x), 0.2) + hysteresis(y, -3, 3) + derivative(x) + rolling_max(x, 300) - rolling_min(y, 7)';
    const signals = { x, y };
    const whole = evaluate(text, signals, true);
    expect(firstDifference(evaluate(text, signals, false), whole)).toBe(-1);
    const stream = createStreamEvaluator(compileOrThrow(text, signals));
    const got: number[] = [];
    for (let at = 0, k = 1; at < n; k++) {
      const end = Math.min(n, at + ((k * 977) % 5000) + 1);
      got.push(...stream.push({ x: { t: x.t.slice(at, end), v: x.v.slice(at, end) }, y: { t: y.t.slice(at, end), v: y.v.slice(at, end) } }).v);
      at = end;
      // Whole-column evaluations of the same formula in between reuse pooled instances: never the stream's.
      expect(firstDifference(evaluate(text, signals, true), whole)).toBe(-1);
    }
    got.push(...stream.flush().v);
    expect(firstDifference(Float64Array.from(got), whole)).toBe(-1);
  });

  it('keep moving sums bit-identical through their exact recomputes and rolling extremes through deque wrap-around', () => {
    const n = 60_000;
    // Fractions that round differently in every order, NaN runs, a few infinities passing through.
    const x = sig(Array.from({ length: n }, (_, i) => (i % 5001 === 7 ? Infinity : i % 7919 === 3 ? -Infinity : i % 211 < 3 ? NaN : Math.sin(i * 0.37) * 1e3 + 1 / (1 + (i % 13)))), { stepMs: 1 });
    const y = sig(Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 7 - 70), { stepMs: 1 });
    const signals = { x, y };
    const text = 'sma(x, 5) + sum(y * 1.1, 3) - avg(x, 1000) * 0.5 + rolling_max(x - y, 9) - rolling_min(y + 0.1, 64) + abs(sma(y, 1))';
    // Warm the JS loops first: while warming they run in 32-sample chunks and recompute sums at other places.
    evaluate(text, signals, false);
    const js = evaluate(text, signals, false);
    const wasm = evaluate(text, signals, true);
    // (A fused loop that skipped the recomputes differs here from sample ~1,100 on.)
    expect(firstDifference(js, wasm)).toBe(-1);
  });

  it('carry moving sums across stream pushes as the JS kernels do', () => {
    const n = 20_000;
    const x = sig(Array.from({ length: n }, (_, i) => (i % 89 === 0 ? NaN : Math.cos(i / 7) * 100 + 0.1)), { stepMs: 1 });
    const text = 'sma(x, 10) + sum(x, 250) * 0.01 + abs(x)';
    const pushAll = (fused: boolean): Float64Array => {
      setFusion(fused);
      const stream = createStreamEvaluator(compileOrThrow(text, { x }));
      const got: number[] = [];
      for (let at = 0, k = 1; at < n; k++) {
        const end = Math.min(n, at + ((k * 1733) % 3000) + 1);
        got.push(...stream.push({ x: { t: x.t.slice(at, end), v: x.v.slice(at, end) } }).v);
        at = end;
      }
      got.push(...stream.flush().v);
      return Float64Array.from(got);
    };
    pushAll(false); // warm the JS loops (see above)
    expect(firstDifference(pushAll(false), pushAll(true))).toBe(-1);
  });

  it('encodes LEB128 as the WebAssembly spec does', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
  });
});
