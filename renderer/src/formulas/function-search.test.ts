import { describe, expect, it } from 'vitest';
import { FUNCTION_LIBRARY } from '../../../app/shared/formula';
import { filterFunctions } from './function-search';

describe('filterFunctions', () => {
  it('lists everything for an empty query, names first, then words of the description', () => {
    expect(filterFunctions(FUNCTION_LIBRARY, '  ')).toHaveLength(FUNCTION_LIBRARY.length);
    const r = filterFunctions(FUNCTION_LIBRARY, 'min').map((f) => f.name);
    expect(r[0]).toBe('min');
    expect(r).toContain('rolling_min');
    expect(filterFunctions(FUNCTION_LIBRARY, 'moving average').map((f) => f.name)).toEqual(expect.arrayContaining(['sma', 'ema']));
    expect(filterFunctions(FUNCTION_LIBRARY, 'zzz')).toEqual([]);
  });
});
