import { describe, expect, it } from 'vitest';
import { compileFormula } from './compile';

const units: Record<string, string> = { x: '', speed: 'm/min', 'Line Speed': 'm/s', 'a]b': '' };
const env = { signalUnits: (n: string) => units[n] };
const errors = (text: string) => {
  const r = compileFormula(text, env);
  if (r.ok) throw new Error(`expected errors for ${text}`);
  return r.error.diagnostics.filter((d) => d.severity === 'error');
};

describe('checker', () => {
  it('collects inputs in order of first appearance, quoted or bare', () => {
    const r = compileFormula('[Line Speed] * 2 + x + [Line Speed] + [a]]b]', env);
    expect(r.ok && r.value.inputs).toEqual(['Line Speed', 'x', 'a]b']);
  });

  it('reports unknown signals and functions at their position, all at once', () => {
    const e = errors('foo + sma(bar, 3) + smaa(x, 2)');
    expect(e.map((d) => [d.message, d.start, d.end])).toEqual([
      ["unknown signal 'foo'", 0, 3],
      ["unknown signal 'bar'", 10, 13],
      ["unknown function 'smaa' (did you mean 'sma'?)", 20, 24],
    ]);
    expect(errors('SMA(x, 2)')[0]!.message).toMatch(/did you mean 'sma'/);
    expect(errors('[ ] + x')[0]!.message).toBe('empty signal name []');
  });

  it('checks arity against the signature', () => {
    expect(errors('sma(x)')[0]!.message).toBe('sma() takes 2 arguments — sma(x, window) — but got 1');
    expect(errors('abs(x, x)')[0]!.message).toMatch(/abs\(\) takes 1 argument — abs\(x\) — but got 2/);
    expect(errors('round(x, 1, 2)')[0]!.message).toMatch(/takes 1 to 2 arguments/);
    expect(errors('min(x)')[0]!.message).toMatch(/takes at least 2 arguments/);
    expect(errors('time(x)')[0]!.message).toMatch(/takes 0 arguments/);
  });

  it('checks argument kinds: windows are constants in samples or durations', () => {
    expect(errors('sma(x, x)')[0]).toMatchObject({ start: 7, end: 8 });
    expect(errors('sma(x, x)')[0]!.message).toMatch(/must be a constant: a number of samples or a duration like 5s/);
    expect(errors('sma(x, 2.5)')[0]!.message).toMatch(/whole number of samples/);
    expect(errors('sma(x, -1s)')[0]!.message).toMatch(/must be > 0/);
    expect(errors('sma(x, 10m)')[0]!.message).toMatch(/length signal, which only delay\(\) takes so far/);
    expect(errors('sma(x, speed)')[0]!.message).toMatch(/must be a constant/);
    expect(errors('ema(x, 2)')[0]!.message).toMatch(/alpha and must be in \(0, 1\]/);
    expect(errors('round(x, 0.5)')[0]!.message).toMatch(/digits must be a whole number/);
    expect(errors('lowpass(x, 0)')[0]!.message).toMatch(/must be > 0/);
    expect(errors('delay(x, -1)')[0]!.message).toMatch(/≥ 0/);
  });

  it('accepts constant expressions and computed durations as window arguments', () => {
    expect(compileFormula('sma(x, 2 * 50)', env).ok).toBe(true);
    expect(compileFormula('sma(x, 1min + 30s)', env).ok).toBe(true);
    expect(compileFormula('debounce(x > 1, 0.2)', env).ok).toBe(true);
  });

  it('requires at least one signal for a timebase', () => {
    expect(errors('1 + 2')[0]).toMatchObject({ start: 0, end: 5 });
    expect(errors('time()')[0]!.message).toMatch(/needs at least one signal/);
  });

  it('never calls a throwing environment into a crash', () => {
    const r = compileFormula('x', {
      signalUnits: () => {
        throw new Error('boom');
      },
    });
    expect(!r.ok && r.error.message).toMatch(/unknown signal 'x'/);
  });
});
