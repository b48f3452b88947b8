import { describe, expect, it } from 'vitest';
import { compileFormula } from '../compile';
import { on } from '../test-helpers';

const env = { signalUnits: (n: string) => (n === 'x' ? '' : undefined) };
const errorOf = (text: string) => {
  const r = compileFormula(text, env);
  if (r.ok) throw new Error('expected an error');
  return r.error.diagnostics.find((d) => d.severity === 'error')!;
};

describe('signal conditioning', () => {
  it('deadband holds until x moves more than the band', () => {
    expect(on('deadband(x, 1)', [0, 0.5, 1.5, 1.0, 0.2, -0.1, NaN])).toEqual([0, 0, 1.5, 1.5, 0.2, 0.2, 0.2]);
  });

  it('rate_limit moves at most rate per second', () => {
    expect(on('rate_limit(x, 1)', [0, 5, 5, 5, 0])).toEqual([0, 1, 2, 3, 2]);
    expect(on('rate_limit(x, 4)', [0, 5, 5], 500)).toEqual([0, 2, 4]);
  });

  it('lookup interpolates linearly and holds the ends', () => {
    expect(on('lookup(x, [0, 10, 20], [0, 100, 0])', [-5, 0, 5, 10, 15, 25, NaN])).toEqual([0, 0, 50, 100, 50, 0, NaN]);
    expect(on('lookup(x, [-1.5, 1e1], [+2, -3])', [-1.5, 10])).toEqual([2, -3]);
    expect(on('lookup(x, [5], [7])', [0, 9])).toEqual([7, 7]);
  });

  it('lookup tables are checked, with positions inside the list', () => {
    expect(errorOf('lookup(x, [0, 1], [1])').message).toMatch(/differ in length/);
    expect(errorOf('lookup(x, [0, 2, 1], [1, 2, 3])')).toMatchObject({ start: 10, end: 19 });
    expect(errorOf('lookup(x, [0, a], [1, 2])')).toMatchObject({ start: 14, end: 15 });
    expect(errorOf('lookup(x, [0 1], [1, 2])')).toMatchObject({ start: 13, end: 14 });
    expect(errorOf('lookup(x, [], [])').message).toMatch(/expected a number/);
    expect(errorOf('lookup(x, x, [1])').message).toMatch(/list of numbers/);
    expect(errorOf('x + [1, 2]').message).toMatch(/only allowed as lookup\(\) tables/);
  });
});
