import { describe, expect, it } from 'vitest';
import { compileFormula } from './compile';
import { evaluateFormula } from './evaluate';
import { createStreamEvaluator } from './stream';
import { compileOrThrow, sig } from './test-helpers';

const env = { signalUnits: (n: string) => (n === 'x' ? '' : undefined) };
const fail = (text: string, limits = {}) => {
  const r = compileFormula(text, env, limits);
  if (r.ok) throw new Error('expected a failure');
  return r.error;
};

describe('limits', () => {
  it('rejects text longer than maxLength, at the limit', () => {
    const e = fail('x + '.repeat(2_600) + 'x');
    expect(e.message).toBe('formula is longer than 10000 characters at 10000');
    expect(e.position).toBe(10_000);
    expect(fail('x + x + x', { maxLength: 5 }).position).toBe(5);
  });

  it('rejects nesting deeper than maxDepth, at the place it happens', () => {
    const deep = '('.repeat(70) + 'x' + ')'.repeat(70);
    const e = fail(deep);
    expect(e.message).toMatch(/^formula nests deeper than 64 levels .* at 64$/);
    expect(compileFormula('('.repeat(60) + 'x' + ')'.repeat(60), env).ok).toBe(true);
    expect(fail('-'.repeat(100) + 'x').message).toMatch(/nests deeper than 64/);
    expect(fail('abs('.repeat(80) + 'x' + ')'.repeat(80)).message).toMatch(/nests deeper than 64/);
    // A long flat chain builds a deep tree too; grouping keeps it shallow.
    expect(fail(Array(100).fill('x').join(' + ')).message).toMatch(/nests deeper than 64/);
    expect(fail('x + x + x + x', { maxDepth: 3 }).position).toBe(10);
  });

  it('rejects windows above maxWindow samples', () => {
    expect(fail('sma(x, 1000001)').message).toMatch(/1000001 samples exceeds the window limit of 1000000 at 7/);
    expect(fail('delay(x, 11)', { maxWindow: 10 }).message).toMatch(/exceeds the window limit of 10/);
  });

  it('stops a duration window that collects more than maxWindow samples at run time', () => {
    const n = 100;
    const x = sig(Array.from({ length: n }, (_, i) => i), { stepMs: 1 });
    const f = compileOrThrow('sma(x, 1h) + rolling_max(x, 1h)', { x }, { maxWindow: 10 });
    const r = evaluateFormula(f, { x });
    expect(!r.ok && r.error.message).toMatch(/holds more than 10 samples/);
    const ev = createStreamEvaluator(f);
    expect(() => ev.push({ x })).toThrow(/holds more than 10 samples/);
  });

  it('times out on a huge input', () => {
    const n = 2_000_000;
    const x = sig(Array.from({ length: n }, (_, i) => Math.sin(i)), { stepMs: 1 });
    const f = compileOrThrow('median(x, 20000) + median(x, 30s)', { x });
    const t0 = performance.now();
    const r = evaluateFormula(f, { x }, { timeoutMs: 50 });
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('timeout');
      expect(r.error.message).toMatch(/longer than 50 ms/);
    }
    // The compile-time limit is the default.
    const g = compileOrThrow('median(x, 20000)', { x }, { timeoutMs: 20 });
    const r2 = evaluateFormula(g, { x });
    expect(!r2.ok && r2.error.kind).toBe('timeout');
  });
});
