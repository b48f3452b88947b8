import { describe, expect, it } from 'vitest';
import { expectClose, on, run, sig } from '../test-helpers';

describe('PLC timers, xor, gaps, inverse trigonometry, rms', () => {
  it('ton: true after the input held true for the delay, false at once when it falls', () => {
    // 1 s steps: true from t=1 to t=4, a break at 5, true again from 6.
    expect(on('ton(x, 2s)', [0, 1, 1, 1, 1, 0, 1, 1, 1])).toEqual([0, 0, 0, 1, 1, 0, 0, 0, 1]);
    expect(on('ton(x, 0)', [0, 1, 0])).toEqual([0, 1, 0]);
    // A gap keeps the output and does not restart the timer.
    expect(on('ton(x, 2s)', [1, NaN, 1, 1])).toEqual([0, 0, 1, 1]);
    expect(on('ton(x, 1s)', [NaN, 0])).toEqual([NaN, 0]);
  });

  it('tof: true at once, false after the input stayed false for the delay', () => {
    expect(on('tof(x, 2s)', [0, 1, 0, 0, 0, 1, 0, 1])).toEqual([0, 1, 1, 1, 0, 1, 1, 1]);
    expect(on('tof(x, 2s)', [0, 0, 0])).toEqual([0, 0, 0]);
  });

  it('xor, isnan and coalesce', () => {
    const a = sig([0, 1, 0, 1, NaN]);
    const b = sig([0, 0, 1, 1, 1]);
    expect(run('xor(a, b)', { a, b })).toEqual([0, 1, 1, 0, NaN]);
    expect(on('isnan(x)', [1, NaN, 0])).toEqual([0, 1, 0]);
    const g = sig([1, NaN, NaN, 4]);
    const h = sig([NaN, 20, NaN, 40]);
    expect(run('coalesce(g, h, -1)', { g, h })).toEqual([1, 20, -1, 4]);
  });

  it('inverse trigonometry, atan2 over all four quadrants, hypot, trunc', () => {
    expectClose(on('asin(x)', [0, 1, -0.5, 2]), [0, Math.PI / 2, -Math.PI / 6, NaN]);
    expectClose(on('acos(x)', [1, 0, 0.5]), [0, Math.PI / 2, Math.PI / 3]);
    expectClose(on('atan(x)', [0, 1, -1]), [0, Math.PI / 4, -Math.PI / 4]);
    const y = sig([1, 1, -1, -1, 0]);
    const x = sig([1, -1, -1, 1, -1]);
    expectClose(run('atan2(y, x) * 180 / pi', { y, x }), [45, 135, -135, -45, 180]);
    expectClose(run('hypot(y, x)', { y: sig([3, 1e200]), x: sig([4, 1e200]) }), [5, Math.SQRT2 * 1e200]);
    expect(on('trunc(x)', [2.7, -2.7, 0.2])).toEqual([2, -2, 0]);
  });

  it('rms over a window: the effective value of a sine is its amplitude / √2', () => {
    // 100 samples per period, a window of whole periods.
    const xs = Array.from({ length: 1000 }, (_, i) => 10 * Math.sin((2 * Math.PI * i) / 100));
    const r = on('rms(x, 200)', xs, 10);
    expectClose(r.slice(400), Array.from({ length: 600 }, () => 10 / Math.SQRT2), 1e-9);
    expectClose(on('rms(x, 2)', [3, -4, NaN, 6]), [3, Math.sqrt(12.5), 4, 6]);
  });
});
