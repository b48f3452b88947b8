import { describe, expect, it } from 'vitest';
import { resolveDerived } from './derived';

const signals = new Map([
  ['Speed', 'm/min'],
  ['Width', 'mm'],
]);
const unit = (n: string): string | undefined => signals.get(n);

describe('resolveDerived: derived signals reading derived signals', () => {
  it('orders each derived signal after the derived signals it reads, with their units', () => {
    const r = resolveDerived(unit, [
      { name: 'C', formula: '[B] * 2' },
      { name: 'B', formula: '[A] + [Width] * 0' },
      { name: 'A', formula: '[Speed] / 60' },
    ]);
    expect(r.map((x) => x.def.name)).toEqual(['A', 'B', 'C']);
    expect(r.map((x) => x.status)).toEqual([undefined, undefined, undefined]);
    expect(r.find((x) => x.def.name === 'C')!.unit).toBe('m/min');
    expect(r.find((x) => x.def.name === 'B')!.derivedInputs).toEqual(['A']);
  });

  it('flags a cycle with its path, and what reads a flagged signal', () => {
    const r = resolveDerived(unit, [
      { name: 'A', formula: '[B] + 1' },
      { name: 'B', formula: '[A] * [Speed]' },
      { name: 'D', formula: '[A] * 2' },
      { name: 'E', formula: '[Gone] * 2' },
      { name: 'F', formula: 'sma([E], 3)' },
    ]);
    const status = Object.fromEntries(r.map((x) => [x.def.name, x.status]));
    expect(status.B).toBe('formula cycle: A → B → A');
    expect(status.A).toMatch(/^input "B" gives no data \(formula cycle/);
    expect(status.D).toMatch(/^input "A" gives no data/);
    expect(status.E).toBe('missing input: Gone');
    expect(status.F).toBe('input "E" gives no data (missing input: Gone)');
  });

  it('leaves out a derived signal whose name is a signal (a persisted one is read from the files)', () => {
    const r = resolveDerived(unit, [{ name: 'Speed', formula: '[Width] * 2' }, { name: 'X', formula: '[Speed] + 1' }]);
    expect(r.map((x) => x.def.name)).toEqual(['X']);
    expect(r[0]!.derivedInputs).toEqual([]);
  });
});
