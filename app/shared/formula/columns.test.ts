import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DerivedColumnsCache, evaluateDerivedColumns, thinMinMax } from './columns';
import { checkDerived, derivedStatus } from './derived';
import { WorkspaceConfigSchema } from '../contract/config';

const col = (ts: number[], value: number[], unit?: string) => ({ ts: Float64Array.from(ts), value: Float64Array.from(value), ...(unit !== undefined ? { unit } : {}) });

describe('evaluateDerivedColumns', () => {
  it('aligns a slower input by zero-order hold onto the input with the most samples', () => {
    const fast = col([0, 10, 20, 30, 40], [1, 2, 3, 4, 5], 'm/min');
    const slow = col([5, 25], [100, 200], 'mm');
    const r = evaluateDerivedColumns('fast * 1000 + slow', { fast, slow });
    // NaN before slow's first sample; then 100 held until 25, then 200.
    expect(r.ok && Array.from(r.value.value)).toEqual([NaN, 2100, 3100, 4200, 5200]);
    expect(r.ok && Array.from(r.value.ts)).toEqual([0, 10, 20, 30, 40]);
    expect(r.ok && r.value.unit).toBe('m/min');
  });

  it('reports formula errors with their position, and missing inputs', () => {
    const r = evaluateDerivedColumns('x * (2 +', { x: col([0], [1]) });
    expect(r).toMatchObject({ ok: false, error: { kind: 'formula', position: 8, message: expect.stringMatching(/at 8$/) } });
    const missing = evaluateDerivedColumns('x + y', { x: col([0], [1]) }, { units: (n) => (n === 'y' ? 'm' : undefined) });
    expect(missing).toMatchObject({ ok: false, error: { kind: 'not-found', message: "no data for input signal 'y'" } });
  });

  it('cuts to the range after evaluating, so windows see the lead-in', () => {
    const x = col([0, 1000, 2000, 3000, 4000], [1, 2, 3, 4, 5]);
    const r = evaluateDerivedColumns('sma(x, 3)', { x }, { from: 2000, to: 3000 });
    expect(r.ok && Array.from(r.value.value)).toEqual([2, 3]);
    expect(r.ok && r.value.samples).toBe(2);
  });

  it('caches per (formula, range, resolution): the same arrays or the same named source hit, others miss', () => {
    const cache = new DerivedColumnsCache(2);
    const x = col([0, 1, 2], [1, 2, 3]);
    const a = evaluateDerivedColumns('x * 2', { x }, { cache });
    const b = evaluateDerivedColumns('x * 2', { x }, { cache });
    expect(a.ok && b.ok && a.value === b.value).toBe(true);
    const other = evaluateDerivedColumns('x * 2', { x: col([0, 1, 2], [5, 5, 5]) }, { cache });
    expect(other.ok && Array.from(other.value.value)).toEqual([10, 10, 10]);
    evaluateDerivedColumns('x * 2', { x }, { cache, resolution: 2 });
    expect(cache.hits).toBe(1);
    const s1 = evaluateDerivedColumns('x * 3', { x }, { cache, source: 'rec/a', from: 0, to: 5 });
    const s2 = evaluateDerivedColumns('x * 3', { x: col([0, 1, 2], [1, 2, 3]) }, { cache, source: 'rec/a', from: 0, to: 5 });
    expect(s1.ok && s2.ok && s1.value === s2.value).toBe(true);
  });
});

describe('thinMinMax', () => {
  it('keeps each bucket’s min and max in time order, so a spike survives', () => {
    const n = 1000;
    const t = Float64Array.from({ length: n }, (_, i) => i);
    const v = Float64Array.from({ length: n }, (_, i) => (i === 437 ? 99 : Math.sin(i / 50)));
    const r = thinMinMax(t, v, 100);
    expect(r.t.length).toBeLessThanOrEqual(100);
    expect(Math.max(...r.v)).toBe(99);
  });

  it('never returns more than the points asked for, and only samples of the input (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: false }), { maxLength: 300 }), fc.integer({ min: 2, max: 50 }), (vals, points) => {
        const t = Float64Array.from(vals, (_, i) => i);
        const v = Float64Array.from(vals);
        const r = thinMinMax(t, v, points);
        expect(r.t.length).toBeLessThanOrEqual(Math.max(points, vals.length <= points ? vals.length : 0));
        for (let k = 0; k < r.t.length; k++) {
          const x = r.v[k]!;
          expect(Number.isNaN(x) || Object.is(v[r.t[k]!], x)).toBe(true);
          if (k > 0) expect(r.t[k]!).toBeGreaterThan(r.t[k - 1]!);
        }
      }),
    );
  });
});

describe('derived signals in the workspace configuration', () => {
  const base = {
    version: 1,
    connections: [{ name: 'PLC', protocol: 'modbus', host: 'h', port: 502 }],
    signals: [
      { name: 'Line Speed', unit: 'm/min', connection: 'PLC', address: 'hr:0' },
      { name: 'Entry Tension', unit: 'kN', connection: 'PLC', address: 'hr:1' },
    ],
  };

  it('loads a derived signal whose input is gone and flags it instead', () => {
    const parsed = WorkspaceConfigSchema.safeParse({ ...base, derived: [{ name: 'D', formula: '[Old Name] * 2' }] });
    expect(parsed.success).toBe(true);
    const c = checkDerived('[Old Name] * 2 + [Line Speed]', (n) => (n === 'Line Speed' ? 'm/min' : undefined));
    expect(c.missing).toEqual(['Old Name']);
    expect(derivedStatus(c.missing)).toBe('missing input: Old Name');
  });

  it('a unit mismatch is a warning, not an error', () => {
    const parsed = WorkspaceConfigSchema.safeParse({ ...base, derived: [{ name: 'D', formula: '[Line Speed] + [Entry Tension]' }] });
    expect(parsed.success).toBe(true);
    const c = checkDerived('[Line Speed] + [Entry Tension]', (n) => ({ 'Line Speed': 'm/min', 'Entry Tension': 'kN' })[n]);
    expect(c.compiled.ok && c.compiled.value.warnings[0]?.severity).toBe('warning');
  });

  it('refuses a formula that does not compile at derived[N].formula, and duplicate names', () => {
    const bad = WorkspaceConfigSchema.safeParse({ ...base, derived: [{ name: 'A', formula: '[Line Speed] * 2' }, { name: 'B', formula: 'sma([Line Speed])' }] });
    expect(bad.success).toBe(false);
    const issue = bad.error!.issues[0]!;
    expect(issue.path).toEqual(['derived', 1, 'formula']);
    expect(issue.message).toMatch(/^formula: .* at \d+$/);
    const dup = WorkspaceConfigSchema.safeParse({ ...base, derived: [{ name: 'Line Speed', formula: '[Entry Tension]' }] });
    expect(dup.error?.issues[0]).toMatchObject({ path: ['derived', 0, 'name'], message: expect.stringMatching(/duplicate signal name/) });
  });
});
