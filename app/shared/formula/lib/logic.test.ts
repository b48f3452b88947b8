import { describe, expect, it } from 'vitest';
import { on, run, sig } from '../test-helpers';

describe('conditions', () => {
  it('if selects per sample; NaN condition gives NaN', () => {
    expect(on('if(x > 1, x, -x)', [0, 2, NaN])).toEqual([-0, 2, NaN]);
    expect(on('if(x, 10, 20)', [1, 0, 0.5])).toEqual([10, 20, 10]);
  });

  it('between is inclusive', () => {
    expect(on('between(x, 1, 3)', [0, 1, 2, 3, 4, NaN])).toEqual([0, 1, 1, 1, 0, NaN]);
  });

  it('comparisons give 1/0, NaN for gaps; and/or follow Kleene logic', () => {
    expect(on('x > 2', [1, 3, NaN])).toEqual([0, 1, NaN]);
    expect(on('x == 2', [2, 3])).toEqual([1, 0]);
    expect(on('x != 2', [2, 3])).toEqual([0, 1]);
    expect(on('x <= 2', [2, 3])).toEqual([1, 0]);
    expect(on('false and x', [NaN, 1])).toEqual([0, 0]);
    expect(on('true and x', [NaN, 0])).toEqual([NaN, 0]);
    expect(on('true or x', [NaN])).toEqual([1]);
    expect(on('false || x', [NaN, 2])).toEqual([NaN, 1]);
    expect(on('not x', [0, 3, NaN])).toEqual([1, 0, NaN]);
    expect(on('!(x > 1) && x', [1, 2])).toEqual([1, 0]);
  });
});

describe('edges', () => {
  const x = [0, 1, 1, 0, 1, NaN, 0, 1];
  it('rising, falling, pulse_count; the first sample is no edge, NaN is no event', () => {
    expect(on('rising(x)', x)).toEqual([0, 1, 0, 0, 1, 0, 0, 1]);
    expect(on('falling(x)', x)).toEqual([0, 0, 0, 1, 0, 0, 1, 0]);
    expect(on('pulse_count(x)', x)).toEqual([0, 1, 1, 1, 2, 2, 2, 3]);
    expect(on('rising(x)', [1, 1])).toEqual([0, 0]);
  });
});

describe('state machines', () => {
  it('hysteresis switches at the thresholds and holds between', () => {
    expect(on('hysteresis(x, 2, 8)', [0, 5, 8, 5, 2, 5, NaN])).toEqual([0, 0, 1, 1, 0, 0, 0]);
  });

  it('debounce changes only after the new state held for the duration', () => {
    expect(on('debounce(x, 2s)', [0, 1, 0, 1, 1, 1, 0, 0, 0])).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 0]);
    expect(on('debounce(x, 0)', [0, 1, 0])).toEqual([0, 1, 0]);
    expect(on('debounce(x, 1)', [NaN, 1, 0, 0])).toEqual([NaN, 1, 1, 0]);
  });

  it('latch: set/reset flip-flop, reset wins', () => {
    const s = sig([0, 1, 0, 0, 1, 1]);
    const r = sig([0, 0, 0, 1, 1, 0]);
    expect(run('latch(s, r)', { s, r })).toEqual([0, 1, 1, 0, 0, 1]);
  });

  it('hold: sample-and-hold with a condition, gap filling without', () => {
    const x = sig([1, 2, 3, 4, 5]);
    const c = sig([0, 1, 0, 0, 1]);
    expect(run('hold(x, c)', { x, c })).toEqual([NaN, 2, 2, 2, 5]);
    expect(on('hold(x)', [NaN, 1, NaN, NaN, 4])).toEqual([NaN, 1, 1, 1, 4]);
  });
});
