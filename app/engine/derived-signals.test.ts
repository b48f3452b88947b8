import { afterEach, describe, expect, it } from 'vitest';
import type { LiveSamples, SignalInfo } from '../shared/contract';
import { startDemoLine, type DemoLine } from '../sim/demo-line';
import { demoConfig } from '../sim/demo-config';
import { tempDir, waitFor } from '../testing/helpers';
import { recordingClient } from '../testing/engine-client';
import { readWithHyparquet } from '../recorder/testing/readers';
import { Engine } from './engine';

/** Per signal id: the (ts, value) pairs received, in order. */
function series(samples: LiveSamples[], id: number): { t: number[]; v: number[] } {
  const t: number[] = [];
  const v: number[] = [];
  for (const b of samples)
    for (let i = 0; i < b.signal.length; i++)
      if (b.signal[i] === id) {
        t.push(b.ts[i]!);
        v.push(b.value[i]!);
      }
  return { t, v };
}

/** Zero-order hold: the last value at or before `at`, NaN before the first. */
function hold(s: { t: number[]; v: number[] }, at: number): number {
  let v = NaN;
  for (let i = 0; i < s.t.length && s.t[i]! <= at; i++) v = s.v[i]!;
  return v;
}

describe('derived signals on the demo line over Modbus TCP', () => {
  let engine: Engine | undefined;
  let line: DemoLine | undefined;
  afterEach(async () => {
    await engine?.stop();
    await line?.stop();
    engine = undefined;
    line = undefined;
  });

  it('arrive through live.subscribe with values equal to a hand computation, on the finest input timebase', async () => {
    line = await startDemoLine({ seed: 11 });
    engine = await Engine.start({ workspace: await tempDir(), mode: 'node' });
    const rec = recordingClient();
    const session = engine.connect(rec.client);
    const config = {
      ...demoConfig('127.0.0.1', line.modbus.port),
      derived: [
        { name: 'Tension Sum', unit: 'kN', description: 'entry + 2 × exit', formula: '[Entry Tension] + 2 * [Exit Tension]' },
        { name: 'Speed per Width', unit: '', description: '', formula: '[Line Speed] / [Strip Width]' },
        // Listed before its input on purpose: evaluation follows the dependencies, not the list.
        { name: 'Sum Margin', unit: 'kN', description: 'a derived signal of a derived signal', formula: '[Tension Sum] - 100' },
      ],
    };
    config.derived.unshift(config.derived.pop()!);
    const saved = await session.call('config.save', { config });
    expect(saved).toMatchObject({ ok: true });
    const list = await session.call('signals.list', {});
    const infos = (list.ok ? list.value : []) as SignalInfo[];
    const sum = infos.find((s) => s.name === 'Tension Sum')!;
    expect(sum).toMatchObject({ connection: '(derived)', unit: 'kN', formula: '[Entry Tension] + 2 * [Exit Tension]', timebaseMs: 20 });
    expect(sum.status).toBeUndefined();

    const sub = await session.call('live.subscribe', { signals: ['Tension Sum', 'Speed per Width', 'Entry Tension', 'Exit Tension', 'Line Speed', 'Strip Width'], maxRate: 30 });
    expect(sub.ok).toBe(true);
    const ids = Object.fromEntries(infos.map((s) => [s.name, s.id]));
    expect(await session.call('live.subscribe', { signals: ['Sum Margin'], maxRate: 30 })).toMatchObject({ ok: true });
    await waitFor(
      () => series(rec.samples, ids['Tension Sum']!).t.length >= 60 && series(rec.samples, ids['Speed per Width']!).t.length >= 60 && series(rec.samples, ids['Sum Margin']!).t.length >= 60,
      'derived samples',
      20_000,
    );

    // Same timebase: exactly entry + 2·exit at each timestamp.
    const entry = series(rec.samples, ids['Entry Tension']!);
    const exit = series(rec.samples, ids['Exit Tension']!);
    const derived = series(rec.samples, ids['Tension Sum']!);
    let compared = 0;
    derived.t.forEach((t, i) => {
      const k = entry.t.indexOf(t);
      if (k < 0) return; // delivered before our subscription started
      expect(derived.v[i]).toBe(entry.v[k]! + 2 * exit.v[exit.t.indexOf(t)]!);
      compared++;
    });
    expect(compared).toBeGreaterThan(40);

    // The derived signal of a derived signal: exactly Tension Sum − 100 at each of its timestamps.
    const margin = series(rec.samples, ids['Sum Margin']!);
    let chained = 0;
    margin.t.forEach((t, i) => {
      const k = derived.t.indexOf(t);
      if (k < 0) return;
      expect(margin.v[i]).toBe(derived.v[k]! - 100);
      chained++;
    });
    expect(chained).toBeGreaterThan(40);
    expect(infos.find((s) => s.name === 'Sum Margin')).toMatchObject({ unit: 'kN', timebaseMs: 20 });

    // Mixed timebases: on Line Speed's 20 ms timebase, Strip Width (200 ms) held.
    const speed = series(rec.samples, ids['Line Speed']!);
    const width = series(rec.samples, ids['Strip Width']!);
    const ratio = series(rec.samples, ids['Speed per Width']!);
    let matched = 0;
    let checked = 0;
    ratio.t.forEach((t, i) => {
      const k = speed.t.indexOf(t);
      if (k < 0 || t < width.t[0]!) return;
      checked++;
      if (ratio.v[i] === speed.v[k]! / hold(width, t)) matched++;
    });
    expect(checked).toBeGreaterThan(40);
    // A master sample is released early only when the slow input lags by more than its latency bound.
    expect(matched / checked).toBeGreaterThan(0.95);
  }, 40_000);

  it('flags a derived signal whose input was renamed, keeps the configuration, and records persisted ones', async () => {
    line = await startDemoLine({ seed: 3 });
    const workspace = await tempDir();
    engine = await Engine.start({ workspace, mode: 'node' });
    const session = engine.connect(recordingClient().client);
    const base = demoConfig('127.0.0.1', line.modbus.port);
    const config = {
      ...base,
      signals: base.signals.map((s) => (s.name === 'Main Drive Current' ? { ...s, name: 'Drive Current' } : s)),
      derived: [
        { name: 'Drive Power', unit: 'kW', formula: '[Main Drive Current] * 0.4' },
        { name: 'Speed x2', unit: 'm/min', formula: '[Line Speed] * 2', persist: true },
      ],
    };
    const saved = await session.call('config.save', { config });
    expect(saved).toMatchObject({ ok: true });
    const list = await session.call('signals.list', {});
    const infos = (list.ok ? list.value : []) as SignalInfo[];
    expect(infos.find((s) => s.name === 'Drive Power')).toMatchObject({ connection: '(derived)', status: 'missing input: Main Drive Current' });
    // Subscribing to a flagged signal works (it just stays silent) — the trend shows its status.
    expect(await session.call('live.subscribe', { signals: ['Drive Power'], maxRate: 10 })).toMatchObject({ ok: true });

    await waitFor(() => (engine!.journal?.stats().bytes ?? 0) > 0, 'journal data', 10_000);
    await new Promise((r) => setTimeout(r, 1500));
    const captured = await session.call('recording.capture', { minutes: 1, reason: 'test' });
    expect(captured).toMatchObject({ ok: true });
    const file = (captured as { ok: true; value: { file: string } }).value.file;
    const { rows, meta } = await readWithHyparquet(file);
    const names = new Set(rows.map((r) => r.signal));
    expect(names.has('Speed x2')).toBe(true);
    expect(names.has('Drive Power')).toBe(false);
    const described = JSON.parse(meta['parx.signals']!) as { name: string; source: { connection: string } }[];
    expect(described.find((s) => s.name === 'Speed x2')?.source.connection).toBe('(derived)');
    const speedRows = rows.filter((r) => r.signal === 'Line Speed');
    const doubled = rows.filter((r) => r.signal === 'Speed x2');
    expect(doubled.length).toBeGreaterThan(10);
    const key = (r: Record<string, unknown>): number => (r.ts instanceof Date ? r.ts.getTime() : Number(r.ts));
    const byTs = new Map(speedRows.map((r) => [key(r), r.value as number]));
    let same = 0;
    for (const r of doubled) {
      const v = byTs.get(key(r));
      if (v === undefined) continue;
      expect(r.value).toBe(v * 2);
      same++;
    }
    expect(same).toBeGreaterThan(10);
  }, 40_000);

  it('refuses a formula that does not compile, at derived.N.formula with the position', async () => {
    engine = await Engine.start({ workspace: await tempDir(), mode: 'node', buffer: false });
    const session = engine.connect(recordingClient().client);
    const base = demoConfig('127.0.0.1', 1);
    const bad = await session.call('config.save', { config: { ...base, derived: [{ name: 'X', formula: '[Line Speed] * (2 +' }] } });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid-config', path: "derived[0].formula" } });
    expect((bad as { ok: false; error: { message: string } }).error.message).toMatch(/at 19/);
    const dup = await session.call('config.save', { config: { ...base, derived: [{ name: 'Line Speed', formula: '[Line Speed] * 2' }] } });
    expect(dup).toMatchObject({ ok: false, error: { path: "derived[0].name" } });
    const cycle = await session.call('config.save', {
      config: { ...base, derived: [{ name: 'A', formula: '[B] + 1' }, { name: 'B', formula: '[Line Speed] * [A]' }] },
    });
    expect(cycle).toMatchObject({ ok: false, error: { kind: 'invalid-config' } });
    expect((cycle as { ok: false; error: { message: string } }).error.message).toMatch(/formula cycle: (A → B → A|B → A → B)/);
  });
});
