import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createStreamEvaluator } from './stream';
import { compileOrThrow, run, sig } from './test-helpers';

/** Long enough for several 4096-sample blocks. */
const longArb = fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(NaN)), { minLength: 1, maxLength: 9000 });

describe('fused and bulk kernels give exactly the unfused results', () => {
  it('a chain a + b + … of up to nine terms equals the left-to-right sum, bit for bit', () => {
    fc.assert(
      fc.property(longArb, fc.integer({ min: 2, max: 9 }), (vals, terms) => {
        const x = sig(vals, { stepMs: 1 });
        const y = sig(vals.map((v, i) => v * 0.37 + i), { stepMs: 1 });
        const names = Array.from({ length: terms }, (_, k) => (k % 2 ? `y * ${k}` : `x / ${k + 1}`));
        const got = run(names.join(' + '), { x, y });
        vals.forEach((_, i) => {
          let want = 0;
          names.forEach((_, k) => {
            const term = k % 2 ? y.v[i]! * k : x.v[i]! / (k + 1);
            want = k === 0 ? term : want + term;
          });
          expect(Object.is(got[i], want)).toBe(true);
        });
      }),
      { numRuns: 30 },
    );
  });

  it('delay(x, N) is x shifted by N samples, whole-column and streamed in any chunks', () => {
    fc.assert(
      fc.property(longArb, fc.integer({ min: 0, max: 5000 }), fc.array(fc.integer({ min: 1, max: 6000 }), { maxLength: 6 }), (vals, N, cuts) => {
        const x = sig(vals, { stepMs: 1 });
        const want = vals.map((_, i) => (i >= N ? vals[i - N]! : NaN));
        expect(run(`delay(x, ${N})`, { x })).toEqual(want);
        const s = createStreamEvaluator(compileOrThrow(`delay(x, ${N})`, { x }));
        const out: number[] = [];
        let at = 0;
        for (const c of [...cuts, vals.length]) {
          const end = Math.min(vals.length, at + c);
          if (end > at) out.push(...s.push({ x: { t: x.t.slice(at, end), v: x.v.slice(at, end) } }).v);
          at = end;
        }
        out.push(...s.flush().v);
        expect(out).toEqual(want);
      }),
      { numRuns: 40 },
    );
  });
});
