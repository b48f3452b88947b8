import { describe, expect, it } from 'vitest';
import type { Node } from './ast';
import { compileFormula } from './compile';
import { parse } from './parser';
import { on } from './test-helpers';

/** Renders the AST fully parenthesised, to check precedence and associativity. */
function show(n: Node): string {
  switch (n.type) {
    case 'number':
      return String(n.value);
    case 'duration':
      return `${n.ms}ms`;
    case 'length':
      return `${n.metres}m`;
    case 'bool':
      return String(n.value);
    case 'signal':
      return n.bracketed ? `[${n.name}]` : n.name;
    case 'unary':
      return `(${n.op} ${show(n.operand)})`;
    case 'binary':
      return `(${show(n.left)} ${n.op} ${show(n.right)})`;
    case 'call':
      return `${n.name}(${n.args.map(show).join(', ')})`;
  }
}

const p = (text: string): string => {
  const r = parse(text, 64);
  if (!r.ok) throw new Error(r.diagnostics[0]!.message);
  return show(r.ast);
};

const errorOf = (text: string) => {
  const r = parse(text, 64);
  if (r.ok) throw new Error('expected an error');
  return r.diagnostics[0]!;
};

describe('parser: precedence and associativity', () => {
  it('binds * over + and comparisons over logic', () => {
    expect(p('a + b * c')).toBe('(a + (b * c))');
    expect(p('a * b + c')).toBe('((a * b) + c)');
    expect(p('a - b - c')).toBe('((a - b) - c)');
    expect(p('a < b and c > d or f')).toBe('(((a < b) and (c > d)) or f)');
    expect(p('a || b && c')).toBe('(a or (b and c))');
    expect(p('a == b < c')).toBe('(a == (b < c))');
  });

  it('makes ^ right-associative and tighter than unary minus', () => {
    expect(p('a ^ b ^ c')).toBe('(a ^ (b ^ c))');
    expect(p('-a ^ 2')).toBe('(- (a ^ 2))');
    expect(p('2 ^ -a')).toBe('(2 ^ (- a))');
  });

  it('lets not bind looser than comparisons', () => {
    expect(p('not a > 5')).toBe('(not (a > 5))');
    expect(p('!a > 5 and b')).toBe('((not (a > 5)) and b)');
  });

  it('parses calls, parentheses, constants, durations and comments', () => {
    expect(p('if(a > 0, sma(a, 5s), -1)')).toBe('if((a > 0), sma(a, 5000ms), (- 1))');
    expect(p('(a + b) * c')).toBe('((a + b) * c)');
    expect(p('time()')).toBe('time()');
    expect(p('pi * e')).toBe(`(${Math.PI} * ${Math.E})`);
    expect(p('a /* inline */ + // to end\n b')).toBe('(a + b)');
    expect(p('[Furnace Zone 1 Temp] - [Temperatur Öl]')).toBe('([Furnace Zone 1 Temp] - [Temperatur Öl])');
  });

  it('evaluates precedence the way the AST says', () => {
    expect(on('x + 2 * 3 ^ 2', [1])).toEqual([19]);
    expect(on('-x ^ 2', [3])).toEqual([-9]);
    expect(on('2 ^ 3 ^ 2 + x * 0', [1])).toEqual([512]);
    expect(on('x % 4 + 10 / 4', [11])).toEqual([5.5]);
  });
});

describe('parser: errors carry positions', () => {
  it('reports the offending token', () => {
    expect(errorOf('a + * b')).toMatchObject({ start: 4, end: 5 });
    expect(errorOf('a b')).toMatchObject({ start: 2, end: 3 });
    expect(errorOf('a b').message).toMatch(/after the end of the expression/);
    expect(errorOf('sma(a 5)')).toMatchObject({ start: 6 });
  });

  it('reports missing operands and parentheses at the end', () => {
    expect(errorOf('a +')).toMatchObject({ start: 3, end: 3 });
    expect(errorOf('(a + b').message).toMatch(/missing '\)' to close the '\(' at 0/);
    expect(errorOf('')).toMatchObject({ start: 0, end: 0, message: 'empty formula' });
    expect(errorOf('// only a comment').message).toBe('empty formula');
  });

  it('reports lexer errors before parsing', () => {
    expect(errorOf('a = 1')).toMatchObject({ start: 2, end: 3 });
    expect(errorOf('[open')).toMatchObject({ start: 0 });
  });

  it('puts the position into the ParxError message', () => {
    const r = compileFormula('a + * b', { signalUnits: () => '' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('formula');
      expect(r.error.position).toBe(4);
      expect(r.error.message).toMatch(/at 4$/);
    }
  });
});
