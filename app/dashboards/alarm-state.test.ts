import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IDLE, stepFormula, stepLimit, type AlarmChange, type AlarmRuntime } from './alarm-state';

type Def = { direction: 'hi' | 'lo'; setpoint: number; deadband: number; onDelayMs: number };

function run(def: Def, samples: readonly (readonly [number, number])[]): { changes: { t: number; change: AlarmChange }[]; last: AlarmRuntime } {
  let s = IDLE;
  const changes: { t: number; change: AlarmChange }[] = [];
  for (const [t, v] of samples) {
    const r = stepLimit(s, def, t, v);
    s = r.next;
    if (r.change) changes.push({ t, change: r.change });
  }
  return { changes, last: s };
}

describe('limit alarm', () => {
  const hi: Def = { direction: 'hi', setpoint: 58, deadband: 2, onDelayMs: 0 };

  it('raises past the setpoint and clears only below setpoint − deadband', () => {
    const r = run(hi, [
      [0, 50],
      [1, 58.5],
      [2, 57],
      [3, 56.5],
      [4, 55.9],
    ]);
    expect(r.changes).toEqual([
      { t: 1, change: 'raise' },
      { t: 4, change: 'clear' },
    ]);
  });

  it('a low alarm mirrors it', () => {
    const r = run({ direction: 'lo', setpoint: 10, deadband: 1, onDelayMs: 0 }, [
      [0, 12],
      [1, 9],
      [2, 10.5],
      [3, 11.5],
    ]);
    expect(r.changes).toEqual([
      { t: 1, change: 'raise' },
      { t: 3, change: 'clear' },
    ]);
  });

  it('respects the on-delay: a spike shorter than the delay raises nothing', () => {
    const def = { ...hi, onDelayMs: 1000 };
    expect(run(def, [[0, 60], [500, 60], [900, 50]]).changes).toEqual([]);
    expect(run(def, [[0, 60], [500, 60], [1000, 61]]).changes).toEqual([{ t: 1000, change: 'raise' }]);
  });

  it('a bad sample (NaN) changes nothing', () => {
    const r = run(hi, [[0, 60], [1, NaN], [2, NaN]]);
    expect(r.changes).toEqual([{ t: 0, change: 'raise' }]);
    expect(r.last.active).toBe(true);
  });

  it('property: a value that stays within the deadband band never chatters (at most one change after entering it)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0.1, max: 20, noNaN: true }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 200 }), (setpoint, deadband, fractions) => {
        // Values strictly inside (setpoint − deadband, setpoint]: after a raise, nothing clears; without one, nothing raises.
        const def: Def = { direction: 'hi', setpoint, deadband, onDelayMs: 0 };
        const inside = fractions.map((f, i) => [i + 1, setpoint - deadband * 0.999 * f] as const);
        const fromActive = run(def, [[0, setpoint + 1], ...inside]);
        expect(fromActive.changes).toEqual([{ t: 0, change: 'raise' }]);
        const fromIdle = run(def, [[0, setpoint - deadband - 1], ...inside]);
        expect(fromIdle.changes).toEqual([]);
      }),
    );
  });

  it('property: raises and clears alternate, and a raise comes only after the condition held for the on-delay', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 400 }), fc.oneof(fc.double({ min: 40, max: 70, noNaN: true }), fc.constant(NaN))), { maxLength: 300 }),
        (onDelayMs, steps) => {
          const def: Def = { direction: 'hi', setpoint: 58, deadband: 2, onDelayMs };
          let t = 0;
          const samples = steps.map(([dt, v]) => [(t += dt), v] as const);
          const { changes } = run(def, samples);
          changes.forEach((c, i) => expect(c.change).toBe(i % 2 === 0 ? 'raise' : 'clear'));
          for (const c of changes.filter((x) => x.change === 'raise')) {
            // Every good sample in [t − onDelay, t] is above setpoint − deadband (the condition held throughout).
            const window = samples.filter(([ts, v]) => ts >= c.t - onDelayMs && ts <= c.t && !Number.isNaN(v));
            for (const [, v] of window) expect(v).toBeGreaterThan(58 - 2);
            // And the condition started at least onDelay before: the first sample above the setpoint of this episode.
            const before = samples.filter(([ts, v]) => ts <= c.t && !Number.isNaN(v));
            let start = c.t;
            for (let i = before.length - 1; i >= 0; i--) {
              const [ts, v] = before[i]!;
              if (v > 56) start = ts;
              else break;
            }
            expect(c.t - start).toBeGreaterThanOrEqual(onDelayMs);
          }
        },
      ),
    );
  });
});

describe('formula alarm', () => {
  it('is active while the formula is true, after the on-delay', () => {
    let s = IDLE;
    const out: AlarmChange[] = [];
    for (const [t, v] of [[0, 0], [100, 1], [200, 1], [300, 1], [400, 0]] as const) {
      const r = stepFormula(s, 150, t, v);
      s = r.next;
      out.push(r.change);
    }
    expect(out).toEqual([null, null, null, 'raise', 'clear']);
  });
});
