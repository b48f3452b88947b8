import { describe, expect, it } from 'vitest';
import { RecordingSchema } from '../../../app/shared/contract';
import { TriggerSchema } from '../../../app/shared/contract/trigger-config';
import { formFields } from '../forms/schema-fields';
import { CONDITION_TYPES, conditionSchema, newBand, newTrigger, problemsUnder, RULE_MODES, tuneFields, unplaced } from './storage-rules-model';

describe('storage rules model', () => {
  const problems = [
    { path: 'recording.triggers[0].preMs', message: 'must not be negative' },
    { path: 'recording.triggers[0].start.formula', message: 'formula: unexpected > at 4' },
    { path: 'recording.triggers[1].name', message: 'duplicate trigger name "A"' },
    { path: 'recording.line', message: 'must not be empty' },
    { path: 'signals[3].name', message: 'duplicate signal name' },
  ];

  it('sorts the engine problems to the form and field that show them', () => {
    expect(problemsUnder(problems, 'recording.triggers[0]')).toEqual({ preMs: 'must not be negative', start: 'formula: unexpected > at 4' });
    expect(problemsUnder(problems, 'recording.triggers[0].start')).toEqual({ formula: 'formula: unexpected > at 4' });
    expect(problemsUnder(problems, 'recording')).toMatchObject({ line: 'must not be empty', triggers: 'must not be negative' });
    expect(unplaced(problems, ['recording'])).toEqual([{ path: 'signals[3].name', message: 'duplicate signal name' }]);
  });

  it('new items carry the schema defaults and pass it', () => {
    expect(RULE_MODES).toEqual(['continuous', 'coil', 'manual', 'shift']);
    expect(CONDITION_TYPES).toEqual(['level', 'edge', 'formula']);
    const t = newTrigger(1, 'Weld Seam');
    expect(TriggerSchema.safeParse(t).success).toBe(true);
    expect(t).toMatchObject({ name: 'Trigger 1', enabled: true, preMs: 0, postMs: 0, deadMs: 0, start: { type: 'edge', signal: 'Weld Seam', edge: 'rising' } });
    expect(RecordingSchema.safeParse({ triggers: [t], onChange: [newBand('Line Speed')] }).success).toBe(true);
  });

  it('signal fields become a list of the configured signals; labels in plant words', () => {
    const f = tuneFields(formFields(conditionSchema('level')), ['Line Speed', 'Weld Seam']);
    expect(f.find((x) => x.key === 'signal')).toMatchObject({ kind: 'select', options: ['Line Speed', 'Weld Seam'] });
    expect(f.find((x) => x.key === 'minDurationMs')?.label).toBe('Min. duration (ms)');
    expect(tuneFields(formFields(conditionSchema('level')), []).find((x) => x.key === 'signal')?.kind).toBe('text');
  });
});
