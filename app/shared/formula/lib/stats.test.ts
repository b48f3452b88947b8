import { describe, expect, it } from 'vitest';
import { expectClose, on, run, sig } from '../test-helpers';

describe('whole-range aggregates', () => {
  it('avg, sum, count skip NaN and output one value for the range', () => {
    const x = [1, 2, 3, NaN, 4];
    expect(on('avg(x)', x)).toEqual([2.5, 2.5, 2.5, 2.5, 2.5]);
    expect(on('sum(x)', x)).toEqual([10, 10, 10, 10, 10]);
    expect(on('count(x)', x)).toEqual([4, 4, 4, 4, 4]);
  });

  it('std is the sample standard deviation', () => {
    const x = [2, 4, 4, 4, 5, 5, 7, 9];
    expectClose(on('std(x)', x), x.map(() => Math.sqrt(32 / 7)));
    expect(on('std(x)', [5])).toEqual([NaN]);
  });

  it('can be combined with per-sample values and nested', () => {
    expect(on('x - avg(x)', [1, 2, 6])).toEqual([-2, -1, 3]);
    expectClose(on('avg(x - avg(x))', [1, 2, 6]), [0, 0, 0]);
    expectClose(on('sma(x, 2) - avg(sma(x, 2))', [2, 4, 6]), [2 - 10 / 3, 3 - 10 / 3, 5 - 10 / 3]);
  });

  it('works across many blocks (pre-pass over the whole range)', () => {
    const n = 10_000;
    const x = Array.from({ length: n }, (_, i) => i);
    const r = on('x - avg(x)', x);
    expect(r[0]).toBe(-(n - 1) / 2);
    expect(r[n - 1]).toBe((n - 1) / 2);
  });
});

describe('windowed aggregates', () => {
  it('avg/sum/count over samples', () => {
    expect(on('avg(x, 2)', [1, 2, 3, NaN, 4])).toEqual([1, 1.5, 2.5, 3, 4]);
    expect(on('sum(x, 3)', [1, 2, 3, 4])).toEqual([1, 3, 6, 9]);
    expect(on('count(x, 2)', [1, NaN, NaN, 4])).toEqual([1, 1, 0, 1]);
    expect(on('sum(x, 2)', [1, NaN, NaN, 4])).toEqual([1, 1, NaN, 4]);
  });

  it('over a duration: samples with t in (t - W, t]', () => {
    expect(on('count(x, 2s)', [1, 2, 3, 4])).toEqual([1, 2, 2, 2]);
    expect(on('sum(x, 2500ms)', [1, 2, 3, 4])).toEqual([1, 3, 6, 9]);
    const irregular = { x: sig([1, 2, 3, 4], { t: [0, 100, 1000, 1050] }) };
    expect(run('count(x, 1s)', irregular)).toEqual([1, 2, 2, 3]);
  });

  it('std over a window', () => {
    expectClose(on('std(x, 3)', [1, 2, 4, 8]), [NaN, Math.SQRT1_2, Math.sqrt(7 / 3), Math.sqrt(28 / 3)]);
  });
});

describe('diff, derivative, integral', () => {
  it('diff against the previous sample', () => {
    expect(on('diff(x)', [1, 4, 9, NaN, 25])).toEqual([NaN, 3, 5, NaN, NaN]);
  });

  it('derivative per second', () => {
    expect(on('derivative(x)', [0, 1, 3], 500)).toEqual([NaN, 2, 4]);
    expect(run('derivative(x)', { x: sig([0, 10, 10], { t: [0, 2000, 2500] }) })).toEqual([NaN, 5, 0]);
  });

  it('integral by trapezoids in value·seconds; gaps add nothing', () => {
    expect(on('integral(x)', [0, 2, 4])).toEqual([0, 1, 4]);
    expect(on('integral(x)', [2, NaN, 2, 2])).toEqual([0, 0, 0, 2]);
    expect(on('integral(x)', [1, 1, 1], 250)).toEqual([0, 0.25, 0.5]);
  });
});
