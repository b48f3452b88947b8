/**
 * Recording end to end in the engine: the demo line over Modbus → collector → journal →
 * pump → recorder worker → Parquet batch files, read back by hyparquet (not DuckDB).
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResultOf, WorkspaceConfig } from '../shared/contract';
import type { Result } from '../shared/result';
import { Engine } from '../engine/engine';
import { demoConfig } from '../sim/demo-config';
import { startDemoLine, type DemoLine } from '../sim/demo-line';
import { tempDir } from '../testing/helpers';
import { parquetFiles, readWithHyparquet } from './testing/readers';
import { readResume } from './staging';

describe('recording in the engine', () => {
  let engine: Engine | undefined;
  let line: DemoLine | undefined;
  afterEach(async () => {
    await engine?.stop();
    await line?.stop();
    engine = undefined;
    line = undefined;
  });

  async function start(recording: WorkspaceConfig['recording'], fastCoils = false) {
    line = await startDemoLine({ seed: 9, ...(fastCoils ? { coilLengthM: 25, phaseDurationsS: { thread: 0.5, accelerate: 1, decelerate: 1, tailout: 0.5 } } : {}) });
    const workspace = await tempDir('parx-rec-engine-');
    engine = await Engine.start({ workspace, mode: 'node' });
    const session = engine.connect({ emit: () => undefined, busy: () => false });
    const saved = await session.call('config.save', { config: { ...demoConfig('127.0.0.1', line.modbus.port), recording } });
    expect(saved.ok).toBe(true);
    const status = async () => (await session.call('recording.status', {})) as { ok: true; value: ResultOf<'recording.status'> };
    return { workspace, session, status };
  }

  it('continuous with rotation: self-describing files with a length index, and the open batch closed on stop', async () => {
    const { workspace, status } = await start({ enabled: true, line: 'Pickling 2', rule: { mode: 'continuous', rotateEveryMs: 2000 }, speedSignal: 'Line Speed', compression: 'zstd' });
    let s = await status();
    // Two files: at least one whole 2 s window, whatever moment the first one started in.
    for (let i = 0; i < 100 && s.value.files < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      s = await status();
    }
    expect(s.value.enabled).toBe(true);
    expect(s.value.files).toBeGreaterThanOrEqual(2);
    await engine?.stop();
    engine = undefined;

    const files = await parquetFiles(path.join(workspace, 'recordings'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(files.every((f) => f.includes(`${path.sep}line=Pickling 2${path.sep}date=`) || f.includes('line=Pickling_2'))).toBe(true);
    // Rotation is aligned to 2 s boundaries, so the first file may be short: check them all.
    const all = await Promise.all(files.map((f) => readWithHyparquet(f)));
    for (const { meta } of all) {
      expect(meta['parx.format_version']).toBe('1');
      expect(meta['parx.line']).toBe('Pickling 2');
    }
    const { rows, meta } = all.reduce((a, b) => (b.rows.length > a.rows.length ? b : a));
    expect(meta['parx.status']).toBe('complete');
    const signals = JSON.parse(meta['parx.signals'] ?? '[]') as { name: string; unit: string; source: { address: string } }[];
    expect(signals.find((x) => x.name === 'Line Speed')).toMatchObject({ unit: 'm/min', source: { address: 'hr:0:uint16' } });
    const speed = all.flatMap((f) => f.rows.filter((r) => r.signal === 'Line Speed'));
    expect(speed.length).toBeGreaterThan(20);
    expect(speed.every((r) => typeof r.value === 'number' && (r.value as number) >= 0 && (r.value as number) < 1000)).toBe(true);
    expect('length_m' in (rows[0] ?? {})).toBe(true);
    const last = await readWithHyparquet(files.at(-1) as string);
    expect(last.meta['parx.closed_by']).toMatch(/ParX stopped/);
  }, 60_000);

  it('coil batching: one file per coil, named and tagged with the coil id', async () => {
    const { workspace, status } = await start({ enabled: true, line: 'L1', rule: { mode: 'coil', coilSignal: 'Coil ID' }, lengthSignal: 'Coil Length', compression: 'zstd' }, true);
    let s = await status();
    for (let i = 0; i < 300 && s.value.files < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      s = await status();
    }
    expect(s.value.files).toBeGreaterThanOrEqual(2);
    const files = await parquetFiles(path.join(workspace, 'recordings'));
    const coils = await Promise.all(files.map(async (f) => (await readWithHyparquet(f)).meta['parx.coil_id']));
    const known = coils.filter((c): c is string => typeof c === 'string' && c !== '');
    // Every closed coil file knows its coil (the first one learns it after opening).
    expect(known).toHaveLength(files.length);
    expect(new Set(known).size).toBe(files.length);
    expect(files.some((f) => known.some((c) => path.basename(f).includes(c)))).toBe(true);
  }, 60_000);

  it('manual recording: nothing until started, a batch between start and stop', async () => {
    const { workspace, session } = await start({ enabled: true, line: 'L1', rule: { mode: 'manual' }, compression: 'snappy' });
    await new Promise((r) => setTimeout(r, 800));
    expect(await parquetFiles(path.join(workspace, 'recordings'))).toEqual([]);
    expect(await session.call('recording.command', { action: 'start', reason: 'test' })).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 1200));
    expect(await session.call('recording.command', { action: 'stop', reason: 'test' })).toMatchObject({ ok: true });
    const files = await parquetFiles(path.join(workspace, 'recordings'));
    expect(files).toHaveLength(1);
    const { rows, meta } = await readWithHyparquet(files[0] as string);
    expect(rows.length).toBeGreaterThan(50);
    expect(meta['parx.opened_by']).toMatch(/started by test/);
    expect(meta['parx.closed_by']).toMatch(/stopped by test/);
    // The stop records where the journal was, so a crash now resumes there (not at the journal's end).
    const resume = await readResume(path.join(workspace, 'recordings'));
    expect(resume?.resume).toEqual(expect.stringContaining('{'));
    expect(JSON.parse(resume?.resume ?? 'null')).not.toBeNull();
  }, 60_000);
});

describe('retro-capture', () => {
  let engine: Engine | undefined;
  let line: DemoLine | undefined;
  afterEach(async () => {
    await engine?.stop();
    await line?.stop();
  });

  it('saves the last seconds from the disk buffer as a batch of their own, with or without recording on', async () => {
    line = await startDemoLine({ seed: 12 });
    const workspace = await tempDir('parx-retro-');
    engine = await Engine.start({ workspace, mode: 'node' });
    const session = engine.connect({ emit: () => undefined, busy: () => false });
    await session.call('config.save', { config: demoConfig('127.0.0.1', line.modbus.port) });
    await new Promise((r) => setTimeout(r, 3000));
    const r = (await session.call('recording.capture', { minutes: 0.05, reason: 'weld break at stand 2' })) as Result<ResultOf<'recording.capture'>>;
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.rows).toBeGreaterThan(50);
    const { rows, meta } = await readWithHyparquet(r.value.file);
    expect(rows.length).toBe(r.value.rows);
    expect(meta['parx.opened_by']).toMatch(/retro-capture of the last 0.05 min: weld break at stand 2/);
    const ts = rows.map((x) => Number(x.ts instanceof Date ? x.ts.getTime() : x.ts));
    expect(Math.min(...ts)).toBeGreaterThanOrEqual(r.value.end - 3000 - 1);

    // With recording on, it goes through the running recorder.
    await session.call('config.save', { config: { ...demoConfig('127.0.0.1', line.modbus.port), recording: { enabled: true, line: 'L1', rule: { mode: 'manual' }, compression: 'zstd' } } });
    const again = (await session.call('recording.capture', { minutes: 0.05 })) as Result<ResultOf<'recording.capture'>>;
    expect(again).toMatchObject({ ok: true });
    expect(again.ok && again.value.rows).toBeGreaterThan(10);
    const bad = await session.call('recording.capture', { minutes: 0 });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid-request', path: 'minutes' } });
  }, 60_000);
});
