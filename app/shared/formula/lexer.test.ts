import { describe, expect, it } from 'vitest';
import { tokenize } from './lexer';

const kinds = (text: string): string[] => tokenize(text).map((t) => `${t.kind}:${t.text}`);

describe('tokenize', () => {
  it('splits numbers, names, operators and parentheses with ranges', () => {
    const toks = tokenize('a*2.5 + [Line Speed]');
    expect(toks.map((t) => [t.kind, t.start, t.end])).toEqual([
      ['identifier', 0, 1],
      ['operator', 1, 2],
      ['number', 2, 5],
      ['operator', 6, 7],
      ['bracket', 8, 20],
      ['eof', 20, 20],
    ]);
    expect(toks[4]!.name).toBe('Line Speed');
  });

  it('reads exponents, leading dots and keeps 2e as an error', () => {
    expect(tokenize('1e-3 .5 2E+2').filter((t) => t.kind === 'number').map((t) => t.value)).toEqual([0.001, 0.5, 200]);
    const bad = tokenize('2e');
    expect(bad[0]!.kind).toBe('error');
    expect(bad[0]!.message).toMatch(/unknown unit suffix 'e'/);
  });

  it('reads durations in ms and lengths in metres', () => {
    const toks = tokenize('5s 200ms 2min 1h 10m 5mm 2km');
    expect(toks.slice(0, -1).map((t) => [t.kind, t.value])).toEqual([
      ['duration', 5000],
      ['duration', 200],
      ['duration', 120_000],
      ['duration', 3_600_000],
      ['length', 10],
      ['length', 0.005],
      ['length', 2000],
    ]);
  });

  it('unescapes ]] inside brackets and allows non-ASCII names', () => {
    const [t] = tokenize('[Temp [°C]] Öl]');
    expect(t!.kind).toBe('bracket');
    expect(t!.name).toBe('Temp [°C] Öl');
    expect(kinds('Temperatur_Öl')).toEqual(['identifier:Temperatur_Öl', 'eof:']);
  });

  it('keeps comments for the editor and drops them for the parser', () => {
    expect(kinds('a // note\n+ /* x */ b')).toEqual(['identifier:a', 'comment:// note', 'operator:+', 'comment:/* x */', 'identifier:b', 'eof:']);
    expect(tokenize('a // note', false).map((t) => t.kind)).toEqual(['identifier', 'eof']);
  });

  it('marks functions and keywords', () => {
    expect(kinds('sma(x, 3) and not true')).toEqual([
      'function:sma',
      'paren:(',
      'identifier:x',
      'comma:,',
      'number:3',
      'paren:)',
      'keyword:and',
      'keyword:not',
      'keyword:true',
      'eof:',
    ]);
    expect(kinds('a >= b && c != d || !e')).toContain('operator:>=');
  });

  it('reports bad characters and unterminated constructs as error tokens with ranges', () => {
    expect(tokenize('a = b')[1]).toMatchObject({ kind: 'error', start: 2, end: 3 });
    expect(tokenize('a = b')[1]!.message).toMatch(/==/);
    expect(tokenize('[abc')[0]).toMatchObject({ kind: 'error', start: 0, end: 4 });
    expect(tokenize('a /* x')[1]).toMatchObject({ kind: 'error', start: 2, end: 6 });
    expect(tokenize('a $ b')[1]).toMatchObject({ kind: 'error', start: 2, end: 3 });
  });
});
