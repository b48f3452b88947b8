import { afterEach, describe, expect, it } from 'vitest';
import type { SignalInfo } from '../shared/contract';
import { startDemoLine, type DemoLine } from '../sim/demo-line';
import { demoConfig } from '../sim/demo-config';
import { tempDir, waitFor } from '../testing/helpers';
import { recordingClient } from '../testing/engine-client';
import { FUNCTION_LIBRARY } from '../shared/formula';
import { Engine, type ClientSession } from './engine';

describe('formulas.* and derived.* against the demo line', () => {
  let engine: Engine | undefined;
  let line: DemoLine | undefined;
  afterEach(async () => {
    await engine?.stop();
    await line?.stop();
    engine = undefined;
    line = undefined;
  });

  async function start(): Promise<ClientSession> {
    line = await startDemoLine({ seed: 5 });
    engine = await Engine.start({ workspace: await tempDir(), mode: 'node', buffer: false });
    const session = engine.connect(recordingClient().client);
    expect(await session.call('config.save', { config: demoConfig('127.0.0.1', line.modbus.port) })).toMatchObject({ ok: true });
    return session;
  }

  it('checks formulas: positions of errors, unit warnings, inferred unit', async () => {
    const session = await start();
    const good = await session.call('formulas.check', { formula: '[Line Speed] * 2' });
    expect(good).toEqual({ ok: true, value: { diagnostics: [], unit: 'm/min', inputs: ['Line Speed'] } });
    const typo = await session.call('formulas.check', { formula: '[Line Sped] * 2' });
    expect(typo).toMatchObject({ ok: true, value: { unit: null, diagnostics: [{ severity: 'error', start: 0, end: 11, message: expect.stringMatching(/unknown signal 'Line Sped'/) }] } });
    const mixed = await session.call('formulas.check', { formula: '[Line Speed] + [Entry Tension]' });
    expect(mixed).toMatchObject({ ok: true, value: { unit: 'm/min', diagnostics: [{ severity: 'warning', start: 0 }] } });
    const fns = await session.call('formulas.functions', {});
    expect(fns.ok && (fns.value as unknown[]).length).toBe(FUNCTION_LIBRARY.length);
  });

  it('previews a formula over the recent live samples, thinned to the points asked for', async () => {
    const session = await start();
    await waitFor(() => engine!.derived.recent.window(engine!.registry.byName('Line Speed')!.id).t.length > 100, 'recent samples', 15_000);
    const r = await session.call('formulas.preview', { formula: '[Line Speed] * 2', points: 40 });
    expect(r.ok).toBe(true);
    const v = (r as { ok: true; value: { t: Float64Array; v: Float64Array; unit: string; samples: number } }).value;
    expect(v.unit).toBe('m/min');
    expect(v.samples).toBeGreaterThan(100);
    expect(v.t.length).toBeLessThanOrEqual(40);
    expect(v.t.length).toBeGreaterThan(10);
    const raw = engine!.derived.recent.window(engine!.registry.byName('Line Speed')!.id);
    const i = raw.t.indexOf(v.t[5]!);
    expect(v.v[5]).toBe(raw.v[i]! * 2);
    const bad = await session.call('formulas.preview', { formula: 'sma([Line Speed], )', points: 10 });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'formula', path: 'formula' } });
  }, 30_000);

  it('saves, renames and removes derived signals with located validation', async () => {
    const session = await start();
    const saved = await session.call('derived.save', { derived: { name: 'Speed x2', unit: 'm/min', description: 'double', formula: '[Line Speed] * 2' } });
    expect(saved).toMatchObject({ ok: true });
    const names = async (): Promise<string[]> => ((await session.call('signals.list', {})) as { ok: true; value: SignalInfo[] }).value.map((s) => s.name);
    expect(await names()).toContain('Speed x2');
    const bad = await session.call('derived.save', { derived: { name: 'Y', formula: '[Line Speed] *' } });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'formula', path: 'derived.formula', position: 14 } });
    const noName = await session.call('derived.save', { derived: { name: '', formula: '[Line Speed]' } });
    expect(noName).toMatchObject({ ok: false, error: { path: 'derived.name' } });
    const clash = await session.call('derived.save', { derived: { name: 'Line Speed', formula: '[Coil Length]' } });
    expect(clash).toMatchObject({ ok: false, error: { kind: 'invalid-config', path: 'derived.name', message: expect.stringMatching(/duplicate signal name/) } });
    const renamed = await session.call('derived.save', { derived: { name: 'Speed Double', formula: '[Line Speed] * 2' }, replaces: 'Speed x2' });
    expect(renamed).toMatchObject({ ok: true });
    expect(await names()).toContain('Speed Double');
    expect(await names()).not.toContain('Speed x2');
    expect(await session.call('derived.remove', { name: 'Speed Double' })).toEqual({ ok: true, value: { removed: true } });
    expect(await names()).not.toContain('Speed Double');
    expect(await session.call('derived.remove', { name: 'Speed Double' })).toEqual({ ok: true, value: { removed: false } });
  }, 30_000);
});
