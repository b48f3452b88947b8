/** The benchmark compares like with like: each hand loop computes what its formula computes. */
import { describe, it } from 'vitest';
// Test-only import (never reached by the renderer): the check belongs beside the engine it guards.
import { CASES, makeData, runFormula } from '../../../bench/formula.bench';
import { expectClose } from './test-helpers';

describe('bench hand loops match the formulas', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const d = makeData(20_000); // several blocks
    d.a[123] = NaN; // a gap, as real data has
    expectClose(Array.from(runFormula(c.formula, d)), Array.from(c.hand(d)), 1e-9);
  });
});
