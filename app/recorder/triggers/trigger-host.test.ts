import { describe, expect, it } from 'vitest';
import { TriggerSchema } from '../../shared/contract/trigger-config';
import { TriggerHost } from './trigger-host';

const signals = [{ id: 7, name: 'Weld', unit: '', timebaseMs: 10 }];

describe('trigger worker', () => {
  it('judges batches in its thread; a refused configuration comes back as a located error', async () => {
    const bad = await TriggerHost.start({ signals, onChange: [], triggers: [TriggerSchema.parse({ name: 'F', start: { type: 'formula', formula: 'Weld >' } })] });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid-config', path: 'recording.triggers[0].start.formula' } });

    const started = await TriggerHost.start({ signals, onChange: [{ signal: 'Weld', deadband: 0, deadbandType: 'absolute', maxIntervalMs: 1000 }], triggers: [TriggerSchema.parse({ name: 'W', start: { type: 'edge', signal: 'Weld' }, preMs: 10, postMs: 20 })] });
    if (!started.ok) throw new Error(started.error.message);
    const { host, names } = started.value;
    expect(names).toEqual(['W']);
    const r = await host.feed({ signal: Uint32Array.from([7, 7, 7, 7, 7]), ts: Float64Array.from([0, 10, 20, 30, 60]), value: Float64Array.from([0, 0, 1, 1, 1]), quality: new Uint8Array(5) });
    await host.stop();
    expect(r.ok && [...(r.value.keep ?? [])]).toEqual([1, 0, 1, 0, 0]);
    expect(r.ok && r.value.events.map((e) => [e.kind, e.at])).toEqual([
      ['start', 20],
      ['stop', 20],
      ['close', 40],
    ]);
    expect(r.ok && r.value.status[0]).toMatchObject({ name: 'W', state: 'armed', batches: 1, lastStart: { at: 20, reason: 'Weld rising through 0.5' } });
    expect(await host.feed({ signal: new Uint32Array(0), ts: new Float64Array(0), value: new Float64Array(0), quality: new Uint8Array(0) })).toMatchObject({ ok: false, error: { message: 'trigger worker is not running' } });
  });
});
