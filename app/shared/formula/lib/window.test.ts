import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, on, run, sig } from '../test-helpers';

describe('sma, ema, lowpass', () => {
  it('sma over samples and over a duration', () => {
    expect(on('sma(x, 3)', [1, 2, 3, 4, 5])).toEqual([1, 1.5, 2, 3, 4]);
    expect(on('sma(x, 2s)', [1, 2, 3, 4, 5])).toEqual([1, 1.5, 2.5, 3.5, 4.5]);
    expect(on('sma(x, 1)', [1, 2, 3])).toEqual([1, 2, 3]);
  });

  it('sma skips NaN and recovers after an infinity leaves', () => {
    expect(on('sma(x, 2)', [1, NaN, 3, NaN, NaN])).toEqual([1, 1, 3, 3, NaN]);
    expect(on('sma(x, 2)', [1, Infinity, 1, 1, 1])).toEqual([1, Infinity, Infinity, 1, 1]);
    expect(on('sma(x, 2)', [Infinity, -Infinity, 1, 1])).toEqual([Infinity, NaN, -Infinity, 1]);
  });

  it('ema with alpha and with a time constant', () => {
    expect(on('ema(x, 0.5)', [0, 2, 2, NaN, 2])).toEqual([0, 1, 1.5, 1.5, 1.75]);
    const k = 1 - Math.exp(-1);
    expectClose(on('ema(x, 1s)', [0, 2, 2]), [0, 2 * k, 2 * k + k * (2 - 2 * k)]);
    expectClose(on('lowpass(x, 1)', [0, 2, 2]), on('ema(x, 1s)', [0, 2, 2]));
    // Irregular sampling: the weight follows the real interval.
    const r = run('lowpass(x, 2s)', { x: sig([0, 1], { t: [0, 4000] }) });
    expectClose(r, [0, 1 - Math.exp(-2)]);
  });
});

describe('median and rolling extremes', () => {
  it('median over samples, mean of the middle two for even counts', () => {
    expect(on('median(x, 3)', [5, 1, 3, 2, 4])).toEqual([5, 3, 3, 2, 3]);
    expect(on('median(x, 2)', [1, 3, NaN, 8])).toEqual([1, 2, 3, 8]);
  });

  it('rolling_min and rolling_max', () => {
    const x = [3, 1, 4, 1, 5, 9, 2];
    expect(on('rolling_min(x, 3)', x)).toEqual([3, 1, 1, 1, 1, 1, 2]);
    expect(on('rolling_max(x, 3)', x)).toEqual([3, 3, 4, 4, 5, 9, 9]);
    expect(on('rolling_max(x, 2s)', x)).toEqual([3, 3, 4, 4, 5, 9, 9]);
    expect(on('rolling_max(x, 1)', [2, NaN, 1])).toEqual([2, NaN, 1]);
  });

  it('rolling_std equals std with a window', () => {
    const x = [1, 2, 4, 8, 16];
    expect(on('rolling_std(x, 3)', x)).toEqual(on('std(x, 3)', x));
  });
});

/** Straightforward reference implementations: recompute each window from scratch. */
function naive(fn: string, xs: number[], ts: number[], w: { n?: number; ms?: number }): number[] {
  return xs.map((_, i) => {
    const win: number[] = [];
    for (let j = 0; j <= i; j++) {
      const inside = w.n !== undefined ? j > i - w.n : ts[j]! > ts[i]! - w.ms!;
      if (inside && !Number.isNaN(xs[j]!)) win.push(xs[j]!);
    }
    if (win.length === 0) return fn === 'count' ? 0 : NaN;
    const mean = win.reduce((a, b) => a + b, 0) / win.length;
    const sorted = [...win].sort((a, b) => a - b);
    const h = sorted.length >> 1;
    switch (fn) {
      case 'sma':
        return mean;
      case 'rolling_min':
        return sorted[0]!;
      case 'rolling_max':
        return sorted[sorted.length - 1]!;
      case 'median':
        return sorted.length % 2 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
      case 'rolling_std':
        return win.length < 2 ? NaN : Math.sqrt(win.reduce((a, b) => a + (b - mean) ** 2, 0) / (win.length - 1));
      default:
        return NaN;
    }
  });
}

describe('window functions agree with naive references', () => {
  const value = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -50, max: 50 }) }, { weight: 1, arbitrary: fc.constant(NaN) });
  it.each(['sma', 'rolling_min', 'rolling_max', 'median', 'rolling_std'])('%s', (fn) => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, fc.integer({ min: 1, max: 700 })), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        (pairs, size, timed) => {
          const xs = pairs.map((p) => p[0]);
          const ts: number[] = [];
          pairs.forEach((p, i) => ts.push(i === 0 ? 0 : ts[i - 1]! + p[1]));
          const w = timed ? { ms: size * 300 } : { n: size };
          const text = `${fn}(x, ${timed ? `${size * 300}ms` : size})`;
          expectClose(run(text, { x: sig(xs, { t: ts }) }), naive(fn, xs, ts, w), 1e-9);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('rolling_std after a large value leaves', () => {
  it('a constant window reads exactly 0, not rounding residue (fast-check counterexample)', () => {
    const xs = [1, 0, 0, 0];
    const ts = [0, 1, 16, 600];
    expectClose(run('rolling_std(x, 600ms)', { x: sig(xs, { t: ts }) }), naive('rolling_std', xs, ts, { ms: 600 }), 1e-9);
  });
});
