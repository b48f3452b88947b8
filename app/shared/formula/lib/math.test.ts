import { describe, expect, it } from 'vitest';
import { expectClose, on } from '../test-helpers';

describe('math functions', () => {
  it('abs, sqrt, sign, floor, ceil', () => {
    expect(on('abs(x)', [-2, 0, 3, NaN])).toEqual([2, 0, 3, NaN]);
    expect(on('sqrt(x)', [4, 2.25, -1])).toEqual([2, 1.5, NaN]);
    expect(on('sign(x)', [-3, 0, 7])).toEqual([-1, 0, 1]);
    expect(on('floor(x)', [1.7, -1.2])).toEqual([1, -2]);
    expect(on('ceil(x)', [1.2, -1.7])).toEqual([2, -1]);
  });

  it('pow and ^', () => {
    expect(on('pow(x, 2)', [3, -2])).toEqual([9, 4]);
    expect(on('x ^ 0.5', [9, 16])).toEqual([3, 4]);
    expect(on('pow(2, x)', [3, 10])).toEqual([8, 1024]);
  });

  it('exp, log, log10 and trigonometry', () => {
    expectClose(on('exp(x)', [0, 1]), [1, Math.E]);
    expectClose(on('log(x)', [1, Math.E, 0]), [0, 1, -Infinity]);
    expectClose(on('log10(x)', [1000, 0.01]), [3, -2]);
    expectClose(on('sin(x)', [0, Math.PI / 2]), [0, 1]);
    expectClose(on('cos(x)', [0, Math.PI]), [1, -1]);
    expectClose(on('tan(x)', [0, Math.PI / 4]), [0, 1]);
  });

  it('min and max over several arguments, NaN propagates', () => {
    expect(on('min(x, 2, 5 - x)', [1, 3, 4])).toEqual([1, 2, 1]);
    expect(on('max(x, 2, 5 - x)', [1, 3, NaN])).toEqual([4, 3, NaN]);
  });

  it('clamp and limit', () => {
    expect(on('clamp(x, 0, 10)', [-5, 5, 15, NaN])).toEqual([0, 5, 10, NaN]);
    expect(on('limit(x, -1, 1)', [-5, 0.5, 15])).toEqual([-1, 0.5, 1]);
  });

  it('round half away from zero, with digits', () => {
    expect(on('round(x)', [2.5, -2.5, 1.4, -1.6])).toEqual([3, -3, 1, -2]);
    expect(on('round(x, 1)', [1.25, -0.35, 3.14159])).toEqual([1.3, -0.4, 3.1]);
    expect(on('round(x, -2)', [1234.5, -1250])).toEqual([1200, -1300]);
  });

  it('arithmetic follows IEEE: division by zero and NaN', () => {
    expect(on('1 / x', [0, -0])).toEqual([Infinity, -Infinity]);
    expect(on('x / x', [0])).toEqual([NaN]);
    expect(on('x * 2 + 1', [NaN, 1])).toEqual([NaN, 3]);
    expect(on('x % 3', [7, -7])).toEqual([1, -1]);
  });
});

describe('fused x * y + z', () => {
  it('gives the same values as the two-step form, in either order', () => {
    const xs = [1.5, -2, NaN, 4];
    expect(on('x * (x + 1) + x', xs)).toEqual(xs.map((v) => v * (v + 1) + v));
    expect(on('x + x * x', xs)).toEqual(xs.map((v) => v + v * v));
    expect(on('2 * x + x', xs)).toEqual(xs.map((v) => 2 * v + v));
  });
});
