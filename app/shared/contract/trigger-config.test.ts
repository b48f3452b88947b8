import { describe, expect, it } from 'vitest';
import { WorkspaceConfigSchema } from './config';
import { zodProblems } from './issues';
import { demoConfig } from '../../sim/demo-config';

const base = demoConfig('127.0.0.1', 5020);
const problems = (recording: unknown) => {
  const r = WorkspaceConfigSchema.safeParse({ ...base, recording });
  return r.success ? [] : zodProblems(r.error);
};

describe('recording.triggers / onChange / signals in the configuration', () => {
  it('existing recording sections stay valid; defaults fill in a trigger', () => {
    expect(problems({ enabled: true, line: 'L1', rule: { mode: 'coil', coilSignal: 'Coil ID' } })).toEqual([]);
    const r = WorkspaceConfigSchema.parse({ ...base, recording: { enabled: true, triggers: [{ name: 'Weld', start: { type: 'edge', signal: 'Weld Seam' } }] } });
    expect(r.recording?.triggers?.[0]).toEqual({ name: 'Weld', enabled: true, start: { type: 'edge', signal: 'Weld Seam', edge: 'rising', threshold: 0.5, hysteresis: 0, minDurationMs: 0 }, preMs: 0, postMs: 0, deadMs: 0 });
  });

  it('an unknown signal is an error at its field', () => {
    expect(
      problems({
        enabled: true,
        signals: ['Line Speed', 'Nope'],
        triggers: [{ name: 'A', start: { type: 'level', signal: 'Line Speed', threshold: 100 }, stop: { type: 'level', signal: 'Ghost', threshold: 1 } }],
        onChange: [{ signal: 'Phantom', deadband: 1 }],
      }),
    ).toEqual([
      { path: 'recording.signals[1]', message: 'no signal named "Nope"' },
      { path: 'recording.triggers[0].stop.signal', message: 'no signal named "Ghost"' },
      { path: 'recording.onChange[0].signal', message: 'no signal named "Phantom"' },
    ]);
  });

  it('a formula that does not compile is an error at its field, with the position in the formula', () => {
    const p = problems({ enabled: true, triggers: [{ name: 'F', start: { type: 'formula', formula: '[Line Speed] > > 3' } }] });
    expect(p).toHaveLength(1);
    expect(p[0]?.path).toBe('recording.triggers[0].start.formula');
    expect(p[0]?.message).toMatch(/^formula: .* at 15$/);
    const unknown = problems({ enabled: true, triggers: [{ name: 'F', start: { type: 'formula', formula: 'Nope > 3' } }] });
    expect(unknown[0]).toMatchObject({ path: 'recording.triggers[0].start.formula' });
    expect(problems({ enabled: true, triggers: [{ name: 'F', start: { type: 'formula', formula: '[Line Speed] > 100 and [Exit Tension] > 5' } }] })).toEqual([]);
  });

  it('bad numbers and duplicate names are located', () => {
    const p = problems({
      enabled: true,
      triggers: [
        { name: 'A', start: { type: 'level', signal: 'Line Speed', threshold: 1 }, preMs: -5 },
        { name: 'B', start: { type: 'edge', signal: 'Weld Seam' } },
        { name: 'B', start: { type: 'edge', signal: 'Weld Seam' } },
      ],
    });
    expect(p).toEqual([
      { path: 'recording.triggers[0].preMs', message: 'must not be negative' },
      { path: 'recording.triggers[2].name', message: 'duplicate trigger name "B"' },
    ]);
    expect(problems({ enabled: true, triggers: [{ name: 'B', start: { type: 'edge', signal: 'Weld Seam' } }, { name: 'B', start: { type: 'edge', signal: 'Weld Seam' } }] })).toEqual([
      { path: 'recording.triggers[1].name', message: 'duplicate trigger name "B"' },
    ]);
  });
});
