import { describe, expect, it } from 'vitest';
import { evaluateFormula } from './evaluate';
import { compileOrThrow, run, sig } from './test-helpers';

describe('alignment onto one timebase', () => {
  it('uses the input with the most samples and zero-order-holds the others (NaN before their first sample)', () => {
    const a = sig([1, 2, 3, 4], { t: [0, 1000, 2000, 3000] });
    const b = sig([10, 20], { t: [500, 2000] });
    const f = compileOrThrow('a + b', { a, b });
    const r = evaluateFormula(f, { a, b });
    expect(r.ok && Array.from(r.value.t)).toEqual([0, 1000, 2000, 3000]);
    expect(r.ok && Array.from(r.value.v)).toEqual([NaN, 12, 23, 24]);
    // The order in the formula does not matter: b still follows a's timebase.
    expect(run('b + a', { a, b })).toEqual([NaN, 12, 23, 24]);
  });

  it('follows the finer input even when it is named second', () => {
    const slow = sig([1, 2], { t: [0, 2000] });
    const fast = sig([0, 0, 0, 0, 0], { t: [0, 500, 1000, 1500, 2000] });
    const r = evaluateFormula(compileOrThrow('slow + fast', { slow, fast }), { slow, fast });
    expect(r.ok && Array.from(r.value.t)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(r.ok && Array.from(r.value.v)).toEqual([1, 1, 1, 1, 2]);
  });

  it('breaks ties by the order of first appearance in the formula', () => {
    const a = sig([1, 2], { t: [0, 1000] });
    const b = sig([10, 20], { t: [500, 1500] });
    const r = evaluateFormula(compileOrThrow('b - a', { a, b }), { a, b });
    expect(r.ok && Array.from(r.value.t)).toEqual([500, 1500]);
    expect(r.ok && Array.from(r.value.v)).toEqual([9, 18]);
  });

  it('uses equal timebases as they are, even as different arrays', () => {
    const a = sig([1, 2, 3]);
    const b = sig([4, 5, 6]);
    expect(run('a * b', { a, b })).toEqual([4, 10, 18]);
  });

  it('rejects missing inputs and malformed signals', () => {
    const a = sig([1, 2]);
    const f = compileOrThrow('a + b', { a, b: a });
    const missing = evaluateFormula(f, { a });
    expect(!missing.ok && missing.error.message).toMatch(/missing input signal 'b'/);
    const descending = { t: Float64Array.from([2, 1]), v: Float64Array.from([0, 0]) };
    const r = evaluateFormula(f, { a, b: descending });
    expect(!r.ok && r.error.message).toMatch(/not ascending at sample 1/);
    const short = { t: Float64Array.from([0, 1]), v: Float64Array.from([0]) };
    const r2 = evaluateFormula(f, { a, b: short });
    expect(!r2.ok && r2.error.message).toMatch(/2 timestamps but 1 values/);
  });

  it('handles empty signals', () => {
    const a = sig([]);
    const r = evaluateFormula(compileOrThrow('sma(a, 3) + avg(a)', { a }), { a });
    expect(r.ok && r.value.v.length).toBe(0);
  });

  it('writes into a caller-provided output column', () => {
    const a = sig([1, 2, 3]);
    const out = new Float64Array(5);
    const r = evaluateFormula(compileOrThrow('a * 2', { a }), { a }, { out });
    expect(r.ok && Array.from(r.value.v)).toEqual([2, 4, 6]);
    expect(Array.from(out)).toEqual([2, 4, 6, 0, 0]);
    const small = evaluateFormula(compileOrThrow('a * 2', { a }), { a }, { out: new Float64Array(2) });
    expect(small.ok).toBe(false);
  });
});
