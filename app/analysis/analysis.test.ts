/**
 * The analysis area through the engine's contract, over coils written by the real recorder:
 * opening (with a truncated file beside them), M4 queries against the raw file read by
 * hyparquet, cursor statistics, the length axis, the envelope and the saved layout.
 */
import path from 'node:path';
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, type ClientSession } from '../engine/engine';
import { recordingClient } from '../testing/engine-client';
import { tempDir } from '../testing/helpers';
import { readWithHyparquet } from '../recorder/testing/readers';
import type { AnalysisSource } from '../shared/contract/analysis';
import { coilValue, writeCoils, writeTruncated } from './testing/coils';
import { analysisOf } from './engine-analysis';

let engine: Engine;
let session: ClientSession;
let dir: string;
let files: string[];
let src: AnalysisSource;

async function call<T>(method: string, params: unknown): Promise<T> {
  const r = await session.call(method, params);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as T;
}

beforeAll(async () => {
  dir = await tempDir('parx-analysis-');
  files = await writeCoils(path.join(dir, 'recordings'), { coils: 3, samples: 2000 });
  await writeTruncated(path.join(dir, 'recordings', 'broken', 'cut.parquet'), files[0]!);
  engine = await Engine.start({ workspace: path.join(dir, 'ws'), mode: 'node', buffer: false });
  session = engine.connect(recordingClient().client);
}, 60_000);

afterAll(async () => {
  await analysisOf(engine).host.stop();
  await engine.stop();
});

describe('analysis', () => {
  it('opens a folder: batches from their metadata, signals, and the truncated file as a problem', async () => {
    src = await call<AnalysisSource>('analysis.open', { path: path.join(dir, 'recordings') });
    expect(src.batches.map((b) => b.coil)).toEqual(['4711', '4712', '4713']);
    expect(src.batches[0]!.rows).toBe(8000);
    expect(src.batches[0]!.lengthIndex).toEqual({ from: 'speed', signal: 'Line Speed' });
    expect(src.batches[0]!.lengthM).toBeGreaterThan(0);
    expect(src.signals.find((s) => s.name === 'Entry Tension')).toMatchObject({ unit: 'kN', description: 'tension before the mill stand' });
    expect(src.problems).toHaveLength(1);
    expect(src.problems[0]!.file).toContain('cut.parquet');
    expect(src.problems[0]!.message).toMatch(/truncated or corrupt/);
    expect(await call<string[]>('analysis.recent', {})).toEqual([src.id]);
    expect((await call<AnalysisSource[]>('analysis.sources', {})).map((s) => s.id)).toEqual([src.id]);
  }, 30_000);

  it('refuses a path that does not exist, saying which', async () => {
    const r = await session.call('analysis.open', { path: path.join(dir, 'nope') });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/nope.*no such file or folder/);
  });

  it('decimates to ≤ 4 points per pixel keeping the raw extremes, and returns raw samples when zoomed in', async () => {
    const q = await call<{ from: number; to: number; series: { signal: string; x: Float64Array; value: Float64Array; quality: Uint8Array; raw: boolean; samples: number }[] }>('analysis.query', {
      source: src.id,
      signals: ['Entry Tension', 'Line Speed'],
      pixels: 100,
    });
    const tension = q.series[0]!;
    expect(tension.x).toBeInstanceOf(Float64Array);
    expect(tension.raw).toBe(false);
    expect(tension.samples).toBe(6000);
    expect(tension.x.length).toBeLessThanOrEqual(400);
    // Extremes against the file itself, read by another reader.
    const rows: number[] = [];
    for (const f of files) rows.push(...(await readWithHyparquet(f)).rows.filter((r) => r.signal === 'Entry Tension').map((r) => Number(r.value)).filter(Number.isFinite));
    const finite = [...tension.value].filter(Number.isFinite);
    expect(Math.max(...finite)).toBe(Math.max(...rows));
    expect(Math.min(...finite)).toBe(Math.min(...rows));
    // A bad period shows in the quality of the decimated points.
    expect([...tension.quality].some((q) => q === 3)).toBe(true);
    const b = src.batches[0]!;
    const zoom = await call<{ series: { x: Float64Array; raw: boolean; samples: number }[] }>('analysis.query', { source: src.id, signals: ['Exit Thickness'], from: b.start, to: b.start + 500, pixels: 1000 });
    expect(zoom.series[0]!.raw).toBe(true);
    expect(zoom.series[0]!.samples).toBe(51);
  });

  it('reads exact statistics and values at the cursors', async () => {
    const b = src.batches[1]!;
    const [s] = await call<{ count: number; min: number; max: number; mean: number; a: { x: number; value: number }; b: { value: number } }[]>('analysis.stats', {
      source: src.id,
      signals: ['Exit Thickness'],
      a: b.start + 105,
      b: b.start + 1000,
    });
    const expected = Array.from({ length: 90 }, (_, k) => coilValue(2, 1, 11 + k));
    expect(s!.count).toBe(90);
    expect(s!.min).toBeCloseTo(Math.min(...expected), 12);
    expect(s!.mean).toBeCloseTo(expected.reduce((x, y) => x + y, 0) / 90, 12);
    expect(s!.a).toEqual({ x: b.start + 100, value: coilValue(2, 1, 10) });
    expect(s!.b.value).toBeCloseTo(coilValue(2, 1, 100), 12);
  });

  it('puts strip length on x for one coil, matching the recorder’s length_m', async () => {
    const b = src.batches[0]!;
    const q = await call<{ to: number; series: { x: Float64Array }[] }>('analysis.query', { source: src.id, signals: ['Line Speed'], batch: b.key, axis: 'length', pixels: 5000 });
    const x = q.series[0]!.x;
    expect(x[0]).toBe(0);
    expect(x[x.length - 1]).toBeCloseTo(b.lengthM!, 6);
    const integrated = await call<{ series: { x: Float64Array }[] }>('analysis.query', { source: src.id, signals: ['Line Speed'], batch: b.key, axis: 'length', pixels: 5000, lengthFrom: { from: 'speed', signal: 'Line Speed' } });
    expect(integrated.series[0]!.x[x.length - 1]).toBeCloseTo(b.lengthM!, 6);
  });

  it('draws a golden envelope of coils aligned at the head', async () => {
    const e = await call<{ x: Float64Array; mean: Float64Array; lower: Float64Array; upper: Float64Array; count: Uint8Array }>('analysis.envelope', {
      source: src.id,
      signal: 'Line Speed',
      batches: src.batches.map((b) => b.key),
      k: 2,
      points: 101,
    });
    expect(e.x[0]).toBe(0);
    expect(e.count[0]).toBe(3);
    // Coil c runs at 100 + c m/min at its head: mean 101, σ = sqrt(2/3).
    expect(e.mean[0]).toBeCloseTo(101, 9);
    expect(e.upper[0]! - e.mean[0]!).toBeCloseTo(2 * Math.sqrt(2 / 3), 9);
  });

  it('saves and restores the analysis layout in the workspace', async () => {
    expect(await call('analysis.layout.get', {})).toEqual({ layout: null });
    const saved = await call<{ file: string }>('analysis.layout.save', { layout: { dock: { grid: 1 }, sources: [src.id] } });
    expect(JSON.parse(await fs.readFile(saved.file, 'utf8'))).toEqual({ dock: { grid: 1 }, sources: [src.id] });
    expect(await call('analysis.layout.get', {})).toEqual({ layout: { dock: { grid: 1 }, sources: [src.id] } });
  });

  it('closes a source', async () => {
    expect(await call('analysis.close', { source: src.id })).toEqual({ closed: true });
    const r = await session.call('analysis.query', { source: src.id, signals: ['Line Speed'], pixels: 10 });
    expect(r.ok).toBe(false);
  });
});
