import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { demoSignals } from '../../../app/sim/demo-config';
import { mergeSignals, signalsFromCsv, signalsToCsv } from './signals-csv';

describe('signals as CSV', () => {
  it('round-trips the demo signals, including units with non-ASCII letters and commas in descriptions', () => {
    const signals = demoSignals().map((s, i) => (i === 0 ? { ...s, description: 'speed, "measured" at the bridle' } : s));
    const back = signalsFromCsv(signalsToCsv(signals));
    expect(back.problems).toEqual([]);
    expect(back.signals).toEqual(signals);
  });

  it('names the row and column of every bad value and keeps the good rows', () => {
    const csv = 'name,connection,address,timebaseMs\nA,PLC,hr:0,100\n,PLC,hr:1,100\nC,PLC,hr:2,0\n';
    const r = signalsFromCsv(csv);
    expect(r.signals.map((s) => s.name)).toEqual(['A']);
    expect(r.problems).toEqual([
      { path: 'row 3, name', message: 'must not be empty' },
      { path: 'row 4, timebaseMs', message: 'must be at least 1 ms' },
    ]);
  });

  it('refuses a file without the needed columns, saying which', () => {
    expect(signalsFromCsv('foo,bar\n1,2\n').problems[0]?.message).toMatch(/missing column\(s\) name, connection, address/);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (t) => void signalsFromCsv(t)), { numRuns: 5000 });
  });

  it('merge replaces by name and appends new ones', () => {
    const [a, b] = demoSignals();
    if (!a || !b) throw new Error('demo signals');
    expect(mergeSignals([a, b], [{ ...b, unit: 'x' }, { ...a, name: 'New' }]).map((s) => `${s.name}:${s.unit}`)).toEqual([`${a.name}:${a.unit}`, `${b.name}:x`, `New:${a.unit}`]);
  });
});
