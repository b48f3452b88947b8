import { describe, expect, it } from 'vitest';
import { on, run, sig } from '../test-helpers';

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
});
