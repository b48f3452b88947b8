import { describe, expect, it } from 'vitest';
import { compileFormula } from './compile';
import { divUnit, formatUnit, mulUnit, parseUnit, powUnit, rootUnit, unitsEqual } from './units';

const fmt = (s: string): string => formatUnit(parseUnit(s));

describe('unit algebra', () => {
  it('parses and formats common engineering units', () => {
    expect(fmt('m/min')).toBe('m/min');
    expect(fmt('kg·m/s^2')).toBe('kg·m/s^2');
    expect(fmt('kg*m/s²')).toBe('kg·m/s^2');
    expect(fmt('m³/h')).toBe('m^3/h');
    expect(fmt('1/min')).toBe('1/min');
    expect(fmt('N.m')).toBe('N·m');
    expect(fmt('kg/(m·s)')).toBe('kg/(m·s)');
    expect(fmt('°C')).toBe('°C');
    expect(fmt('%')).toBe('%');
    expect(fmt('')).toBe('');
    expect(fmt('1')).toBe('');
  });

  it('keeps unreadable unit strings as one opaque symbol', () => {
    expect(fmt('m/(s')).toBe('m/(s');
    expect(unitsEqual(parseUnit('m/(s'), parseUnit('m/(s'))).toBe(true);
  });

  it('composes by multiplying and dividing symbols with integer exponents', () => {
    const mPerMin = parseUnit('m/min');
    expect(formatUnit(mulUnit(mPerMin, parseUnit('min')))).toBe('m');
    expect(formatUnit(divUnit(parseUnit('m'), parseUnit('s^2')))).toBe('m/s^2');
    expect(formatUnit(divUnit(parseUnit('m'), parseUnit('m')))).toBe('');
    expect(formatUnit(powUnit(parseUnit('m/s'), 2))).toBe('m^2/s^2');
    expect(formatUnit(rootUnit(parseUnit('m^2'), 2))).toBe('m');
    expect(formatUnit(rootUnit(parseUnit('m'), 2))).toBe('');
    expect(unitsEqual(parseUnit('m/s'), parseUnit('m·s^-1'))).toBe(true);
  });
});

const units: Record<string, string> = { speed: 'm/min', force: 'kN', t: 'min', pos: 'm', v: 'm/s', area: 'm^2', temp: '°C', flag: '' };
const env = { signalUnits: (n: string) => units[n] };
const compile = (text: string) => {
  const r = compileFormula(text, env);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('unit inference', () => {
  it('composes units through * and /', () => {
    expect(compile('speed * t').unit).toBe('m');
    expect(compile('pos / t').unit).toBe('m/min');
    expect(compile('force * pos / t').unit).toBe('kN·m/min');
    expect(compile('1 / t').unit).toBe('1/min');
  });

  it('lets plain numbers take the unit they are combined with', () => {
    const f = compile('speed + 5');
    expect(f.unit).toBe('m/min');
    expect(f.warnings).toEqual([]);
    expect(compile('2 * speed').unit).toBe('m/min');
  });

  it('warns (with the position of the expression) when adding different units', () => {
    const f = compile('pos + speed + force');
    expect(f.unit).toBe('m');
    expect(f.warnings).toHaveLength(2);
    expect(f.warnings[0]).toMatchObject({ severity: 'warning', start: 0, end: 11 });
    expect(f.warnings[0]!.message).toMatch(/adding m and m\/min: units differ/);
    expect(f.warnings[1]).toMatchObject({ start: 0, end: 19 });
    const g = compile('x0 + speed - force'.replace('x0', 'speed'));
    expect(g.warnings[0]!.message).toMatch(/subtracting m\/min and kN/);
  });

  it('warns on comparing different units and yields dimensionless results for logic', () => {
    const f = compile('temp > pos');
    expect(f.unit).toBe('');
    expect(f.warnings[0]!.message).toMatch(/comparing °C with m/);
    expect(compile('speed > 3 and flag').unit).toBe('');
  });

  it('applies function unit rules', () => {
    expect(compile('derivative(pos)').unit).toBe('m/s');
    expect(compile('derivative(v)').unit).toBe('m/s^2');
    expect(compile('integral(v)').unit).toBe('m');
    expect(compile('integral(speed)').unit).toBe('m·s/min');
    expect(compile('sqrt(area)').unit).toBe('m');
    expect(compile('sqrt(pos)').unit).toBe('');
    expect(compile('pow(pos, 3)').unit).toBe('m^3');
    expect(compile('pos ^ 2').unit).toBe('m^2');
    expect(compile('sma(speed, 10)').unit).toBe('m/min');
    expect(compile('count(speed)').unit).toBe('');
    expect(compile('rising(flag)').unit).toBe('');
    expect(compile('if(flag, time(), 0)').unit).toBe('s');
    expect(compile('lookup(pos, [0, 1], [0, 2])').unit).toBe('');
    expect(compile('if(flag, pos, 0)').unit).toBe('m');
  });

  it('warns on mismatched function arguments at the argument', () => {
    const f = compile('max(pos, speed)');
    expect(f.warnings[0]).toMatchObject({ start: 9, end: 14 });
    expect(compile('clamp(pos, 0, 10)').warnings).toEqual([]);
    expect(compile('if(flag, pos, speed)').warnings[0]).toMatchObject({ start: 14, end: 19 });
  });

  it('treats durations as seconds and lengths as metres in value position', () => {
    expect(compile('time() > 200ms or flag').warnings).toEqual([]);
    expect(compile('pos + 10m').warnings).toEqual([]);
    expect(compile('pos + 5s').warnings[0]!.message).toMatch(/adding m and s/);
  });
});
