/**
 * Safety: whatever the text, compileFormula returns (never throws), and every diagnostic
 * points inside the text. 110,000 inputs: random strings and token soups from the grammar.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFormula } from './compile';
import { evaluateFormula } from './evaluate';
import { FUNCTION_LIBRARY, FUNCTIONS } from './registry';
import { createStreamEvaluator } from './stream';
import { sig } from './test-helpers';

const units: Record<string, string> = { x: '', y: 'm', speed: 'm/s', 'Line Speed': 'm/min' };
const env = { signalUnits: (n: string) => units[n] };

function assertWellFormed(text: string): void {
  const r = compileFormula(text, env);
  if (r.ok) return;
  const e = r.error;
  expect(e.kind).toBe('formula');
  expect(e.position).toBeGreaterThanOrEqual(0);
  expect(e.position).toBeLessThanOrEqual(text.length);
  expect(e.diagnostics.length).toBeGreaterThan(0);
  for (const d of e.diagnostics) {
    expect(d.start).toBeGreaterThanOrEqual(0);
    expect(d.end).toBeGreaterThanOrEqual(d.start);
    expect(d.end).toBeLessThanOrEqual(text.length);
    expect(d.message).not.toMatch(/^internal error/);
  }
}

const TOKENS = [
  ...FUNCTION_LIBRARY.map((f) => f.name),
  'x', 'y', 'speed', 'unknown', '[Line Speed]', '[x]', '[a]]b]', '[', ']', '[1, 2, 3]', '[0, 10]', '[-1, +2]', '[]', '[1 2]',
  'and', 'or', 'not', 'true', 'false', 'pi', 'e', 'if',
  '0', '1', '2.5', '.5', '1e-3', '1e400', '-1', '3', '1000001', '5s', '200ms', '2min', '1h', '10m', '5mm', '2e', '1x',
  '+', '-', '*', '/', '%', '^', '<', '<=', '>', '>=', '==', '!=', '&&', '||', '!', '=',
  '(', ')', '(', ')', ',', ',', '// c\n', '/* c */', '/*', '$', 'é', '😀', '\u0000', '\n',
];

const soup = fc.array(fc.tuple(fc.constantFrom(...TOKENS), fc.constantFrom('', ' ', '  ')), { maxLength: 40 }).map((parts) => parts.map(([t, s]) => t + s).join(''));

/** Well-formed formulas built from the registry's signatures, so evaluation gets exercised too. */
const argFor = (kind: string, expr: fc.Arbitrary<string>): fc.Arbitrary<string> => {
  switch (kind) {
    case 'series':
      return expr;
    case 'window':
      return fc.oneof(fc.integer({ min: 1, max: 20 }).map(String), fc.constantFrom('1s', '500ms', '3s'));
    case 'seconds':
      return fc.constantFrom('1', '0.5', '2s', '100ms');
    case 'number':
      return fc.integer({ min: -3, max: 3 }).map(String);
    case 'list':
      return fc.constant('[0, 1, 5]');
    default:
      return fc.constantFrom('0.5', '2s');
  }
};
const validFormula: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 'y', '[Line Speed]', '2', '-1.5', 'true', 'pi'),
    fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '%', '^', '<', '>=', '==', 'and', 'or'), tie('expr')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.constantFrom(...FUNCTIONS.values()).chain((def) =>
      fc.tuple(...def.params.filter((p) => !p.optional).map((p) => argFor(p.kind, tie('expr')))).map((args) => `${def.name}(${args.join(', ')})`),
    ),
  ),
})).expr.map((e) => `${e} + x`);

describe('parser and compiler never throw', () => {
  it('on 40,000 random strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 40 })), (text) => assertWellFormed(text)),
      { numRuns: 40_000 },
    );
  });

  it('on 70,000 token soups from the grammar', () => {
    fc.assert(
      fc.property(soup, (text) => assertWellFormed(text)),
      { numRuns: 70_000 },
    );
  });

  it('evaluates whatever compiles without throwing (whole column and stream)', () => {
    const data = { x: sig([1, NaN, -2, 0, 5]), y: sig([3, 4], { t: [500, 2500] }), speed: sig([]), 'Line Speed': sig([1, 1, 1], { stepMs: 700 }) };
    let compiled = 0;
    fc.assert(
      fc.property(fc.oneof(soup, validFormula), (text) => {
        const r = compileFormula(text, env, { maxWindow: 1000 });
        if (!r.ok) return;
        compiled++;
        const out = evaluateFormula(r.value, data);
        if (!out.ok) expect(out.error.kind).toBe('formula');
        const ev = createStreamEvaluator(r.value);
        ev.push(data);
        ev.flush();
      }),
      { numRuns: 3_000 },
    );
    expect(compiled).toBeGreaterThan(1_000);
  });
});
