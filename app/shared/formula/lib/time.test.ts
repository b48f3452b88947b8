import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFormula } from '../compile';
import { createStreamEvaluator } from '../stream';
import { compileOrThrow, envOf, on, run, sig } from '../test-helpers';

describe('time functions', () => {
  it('time() counts seconds from the first sample, dt() the interval', () => {
    const x = sig([0, 0, 0], { t: [5000, 5500, 7000] });
    expect(run('time() + x', { x })).toEqual([0, 0.5, 2]);
    expect(run('dt() + x', { x })).toEqual([NaN, 0.5, 1.5]);
  });

  it('delay by samples and by a duration', () => {
    expect(on('delay(x, 2)', [1, 2, 3, 4])).toEqual([NaN, NaN, 1, 2]);
    expect(on('delay(x, 0)', [1, 2])).toEqual([1, 2]);
    expect(on('delay(x, 1500ms)', [1, 2, 3, 4])).toEqual([NaN, NaN, 1, 2]);
    expect(on('delay(x, 2s)', [1, 2, 3, 4])).toEqual([NaN, NaN, 1, 2]);
    expect(on('delay(x, 0s)', [1, NaN, 3])).toEqual([1, NaN, 3]);
  });

  it('resample holds the value at each grid point t0 + k·period', () => {
    expect(on('resample(x, 2s)', [1, 2, 3, 4, 5, 6])).toEqual([1, 1, 3, 3, 5, 5]);
    const x = sig([10, 11, 12, 13], { t: [0, 1500, 2500, 4100] });
    expect(run('resample(x, 2)', { x })).toEqual([10, 10, 11, 12]);
  });

  it('delay by a distance along the strip: the value where the strip was `by` metres back', () => {
    // Length in metres per sample: moves 0.5 m per sample, stands still (samples 4–6), then a new coil restarts at 0.
    const L = [0, 0.5, 1, 1.5, 2, 2, 2, 2.5, 3, 0, 0.5, 1, 1.5];
    const x = [10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 21, 22, 23];
    const got = run('delay(x, 1m, len)', { x: sig(x), len: sig(L, { unit: 'm' }) });
    // At 1 m: x where L ≤ 0 → 10; at 2 m (still): the last value at L ≤ 1 → 12; 2.5 m → 13 (L=1.5);
    // 3 m → the value at L=2, which was 16 (the newest while standing). The new coil starts over.
    expect(got).toEqual([NaN, NaN, 10, 11, 12, 12, 12, 13, 16, NaN, NaN, 20, 21]);
    // A gap in the length: no place on the strip, NaN, and the state carries on.
    expect(run('delay(x, 1m, len)', { x: sig([1, 2, 3, 4]), len: sig([0, NaN, 1, 2], { unit: 'm' }) })).toEqual([NaN, NaN, 1, 3]);
    expect(run('delay(x, 0m, len)', { x: sig([1, 2, 3]), len: sig([0, 1, 2], { unit: 'm' }) })).toEqual([1, 2, 3]);
  });

  it('delay in metres asks for its length signal and warns on a length not in metres', () => {
    const env = envOf({ x: sig([1]), len: sig([1], { unit: 'm' }), speed: sig([1], { unit: 'm/min' }) });
    const missing = compileFormula('delay(x, 5m)', env);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.message).toMatch(/needs the strip length signal.*delay\(x, 5m, \[Coil Length\]\) at 9/);
    const stray = compileFormula('delay(x, 5, len)', env);
    expect(stray.ok).toBe(false);
    if (!stray.ok) expect(stray.error.message).toMatch(/along.*goes with a delay in metres/);
    const warned = compileFormula('delay(x, 5m, speed)', env);
    expect(warned.ok && warned.value.warnings.map((w) => w.message)).toEqual(['delay(): along should be a length in m, not m/min']);
    const sma = compileFormula('sma(x, 5m)', env);
    expect(!sma.ok && sma.error.message).toMatch(/windows in metres need a length signal/);
  });

  it('delay along the strip: whole column and stream in any chunks agree, and equal a brute-force search', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 2, noNaN: true }), fc.boolean()), { minLength: 1, maxLength: 400 }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 8 }),
        (steps, by, cuts) => {
          // A length that mostly grows (steps ≥ 0), sometimes restarts at 0 (a new coil).
          const L: number[] = [];
          steps.forEach(([d, restart], i) => L.push(i === 0 || restart ? 0 : L[i - 1]! + d));
          const x = L.map((_, i) => i * 1.5);
          const signals = { x: sig(x), len: sig(L, { unit: 'm' }) };
          const text = `delay(x, ${by}m, len)`;
          const whole = run(text, signals);
          const want = L.map((l, i) => {
            let start = i;
            while (start > 0 && L[start - 1]! <= L[start]!) start--; // this coil's first sample
            // The newest sample of this coil at or before `by` metres back (standing still, the newest at that length).
            let v = NaN;
            for (let j = start; j <= i; j++) if (L[j]! <= l - by) v = x[j]!;
            return v;
          });
          expect(whole).toEqual(want);
          const s = createStreamEvaluator(compileOrThrow(text, signals));
          const out: number[] = [];
          let at = 0;
          for (const c of [...cuts, x.length]) {
            const end = Math.min(x.length, at + c);
            if (end > at) out.push(...s.push({ x: { t: signals.x.t.slice(at, end), v: signals.x.v.slice(at, end) }, len: { t: signals.len.t.slice(at, end), v: signals.len.v.slice(at, end) } }).v);
            at = end;
          }
          out.push(...s.flush().v);
          expect(out).toEqual(whole);
        },
      ),
      { numRuns: 200 },
    );
  });
});
