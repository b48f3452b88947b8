import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateFormula } from './evaluate';
import type { CompiledFormula } from './program';
import { createStreamEvaluator } from './stream';
import { compileOrThrow, expectClose, sig } from './test-helpers';
import type { FormulaSignal } from './types';

/** Causal formulas covering every stateful kernel, sample and time windows, and mixed timebases. */
const FORMULAS = [
  'a * b + c',
  'sma(a, 5) + sma(b, 1500ms)',
  'sum(a, 4) + count(b, 3) + std(c, 6) + avg(a, 2s)',
  'ema(a, 0.3) + ema(b, 2s) + lowpass(c, 1)',
  'median(a, 5) + median(b, 2500ms)',
  'rolling_min(a, 4) + rolling_max(b, 3s) + rolling_std(c, 2s)',
  'diff(a) + derivative(b) + integral(c)',
  'delay(a, 3) + delay(b, 2s) + resample(c, 1500ms)',
  'rising(a > 0) + falling(b > 0) + pulse_count(c > 0)',
  'hysteresis(a, -10, 10) + debounce(b > 0, 1s) + latch(a > 20, b < -20)',
  'hold(a, b > 0) + hold(c) + deadband(a, 5) + rate_limit(b, 3)',
  'lookup(a, [-50, 0, 50], [1, 0, 1]) + time() + dt() + if(c > 0, a, b)',
  'clamp(round(a / 3, 1), -5, 5) * between(b, -10, 10) + max(a, b, c) - min(a, c)',
];

interface Case {
  signals: Record<string, FormulaSignal>;
  cuts: Record<string, number[]>;
}

/** Three signals on independent irregular timebases, each cut into chunks at its own random places. */
const caseArb: fc.Arbitrary<Case> = fc
  .record({
    a: fc.array(fc.tuple(fc.integer({ min: 1, max: 900 }), fc.oneof(fc.integer({ min: -60, max: 60 }), fc.constant(NaN))), { minLength: 0, maxLength: 60 }),
    b: fc.array(fc.tuple(fc.integer({ min: 1, max: 900 }), fc.oneof(fc.integer({ min: -60, max: 60 }), fc.constant(NaN))), { minLength: 0, maxLength: 60 }),
    c: fc.array(fc.tuple(fc.integer({ min: 1, max: 900 }), fc.oneof(fc.integer({ min: -60, max: 60 }), fc.constant(NaN))), { minLength: 0, maxLength: 60 }),
    cutA: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 6 }),
    cutB: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 6 }),
    cutC: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 6 }),
  })
  .map((r) => {
    const make = (pairs: [number, number][]): FormulaSignal => {
      let t = 1_700_000_000_000;
      return sig(
        pairs.map((p) => p[1]),
        { t: pairs.map((p) => (t += p[0])) },
      );
    };
    return { signals: { a: make(r.a), b: make(r.b), c: make(r.c) }, cuts: { a: r.cutA, b: r.cutB, c: r.cutC } };
  });

function chunks(s: FormulaSignal, cuts: number[]): FormulaSignal[] {
  const at = [...new Set(cuts.map((c) => Math.min(c, s.t.length)))].sort((x, y) => x - y);
  const out: FormulaSignal[] = [];
  let from = 0;
  for (const c of [...at, s.t.length]) {
    out.push({ t: s.t.slice(from, c), v: s.v.slice(from, c) });
    from = c;
  }
  return out;
}

function streamed(f: CompiledFormula, c: Case, master: string): { t: number[]; v: number[] } {
  const ev = createStreamEvaluator(f, { master });
  const parts = Object.fromEntries(f.inputs.map((n) => [n, chunks(c.signals[n]!, c.cuts[n]!)]));
  const rounds = Math.max(...Object.values(parts).map((p) => p.length));
  const t: number[] = [];
  const v: number[] = [];
  const take = (s: FormulaSignal): void => {
    t.push(...s.t);
    v.push(...s.v);
  };
  for (let k = 0; k < rounds; k++) {
    const push: Record<string, FormulaSignal> = {};
    for (const n of f.inputs) if (parts[n]![k]) push[n] = parts[n]![k]!;
    take(ev.push(push));
  }
  take(ev.flush());
  return { t, v };
}

describe('stream evaluation', () => {
  it.each(FORMULAS)('chunked pushes equal one whole-column evaluation: %s', (text) => {
    const f0 = compileOrThrow(text, { a: sig([]), b: sig([]), c: sig([]) });
    fc.assert(
      fc.property(caseArb, (c) => {
        const whole = evaluateFormula(f0, c.signals);
        if (!whole.ok) throw new Error(whole.error.message);
        // The whole-column master, as the alignment rule picks it.
        let master = f0.inputs[0]!;
        for (const n of f0.inputs) if (c.signals[n]!.t.length > c.signals[master]!.t.length) master = n;
        const s = streamed(f0, c, master);
        expect(s.t).toEqual(Array.from(whole.value.t));
        expectClose(s.v, Array.from(whole.value.v), 1e-9);
      }),
      { numRuns: 120 },
    );
  });

  it('emits master samples once every other input has caught up', () => {
    const f = compileOrThrow('a + b', { a: sig([]), b: sig([]) });
    const ev = createStreamEvaluator(f, { master: 'a' });
    const r1 = ev.push({ a: sig([1, 2, 3], { t: [0, 1000, 2000] }), b: sig([10], { t: [0] }) });
    expect(Array.from(r1.v)).toEqual([11]);
    const r2 = ev.push({ b: sig([20], { t: [1500] }) });
    expect(Array.from(r2.v)).toEqual([12]);
    const r3 = ev.flush();
    expect(Array.from(r3.t)).toEqual([2000]);
    expect(Array.from(r3.v)).toEqual([23]);
  });

  it('maxLatencyMs releases samples when a slow input lags', () => {
    const f = compileOrThrow('a + b', { a: sig([]), b: sig([]) });
    const ev = createStreamEvaluator(f, { master: 'a', maxLatencyMs: 1000 });
    const r = ev.push({ a: sig([1, 2, 3, 4], { t: [0, 1000, 2000, 3000] }), b: sig([10], { t: [0] }) });
    expect(Array.from(r.v)).toEqual([11, 12, 13]);
  });

  it('picks the busiest input of the first push as master by default, and reset forgets everything', () => {
    const f = compileOrThrow('sma(a, 2)', { a: sig([]) });
    const ev = createStreamEvaluator(f);
    expect(Array.from(ev.push({ a: sig([2, 4]) }).v)).toEqual([2, 3]);
    ev.reset();
    expect(Array.from(ev.push({ a: sig([6]) }).v)).toEqual([6]);
    expect(ev.push({}).v.length).toBe(0);
  });

  it('reports whole-range aggregates as running values and flags the formula non-causal', () => {
    const f = compileOrThrow('avg(a)', { a: sig([]) });
    expect(f.causal).toBe(false);
    const ev = createStreamEvaluator(f);
    expect(Array.from(ev.push({ a: sig([2, 4]) }).v)).toEqual([2, 3]);
    expect(Array.from(ev.push({ a: sig([9], { t: [5000] }) }).v)).toEqual([5]);
  });

  it('rejects out-of-order pushes', () => {
    const f = compileOrThrow('a', { a: sig([]) });
    const ev = createStreamEvaluator(f);
    ev.push({ a: sig([1], { t: [1000] }) });
    expect(() => ev.push({ a: sig([1], { t: [500] }) })).toThrow(/not ascending/);
  });
});
