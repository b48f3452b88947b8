/**
 * The workspace's derived signals offline, through the engine's contract over coils written
 * by the real recorder: offered in the source's signal list (flagged when an input is not
 * recorded), queried raw and decimated against a hand computation, cursor statistics, a
 * configuration change reaching the worker, and an export read back with papaparse.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, type ClientSession } from '../engine/engine';
import { recordingClient } from '../testing/engine-client';
import { tempDir } from '../testing/helpers';
import type { AnalysisSeries, AnalysisSource, CursorStats } from '../shared/contract/analysis';
import { coilValue, writeCoils } from './testing/coils';
import { analysisOf } from './engine-analysis';
import { runExport } from './export/export';

const N = 2000;
const DERIVED = [
  { name: 'Tension x Speed', unit: 'kN·m/min', description: 'tension times speed', formula: '[Entry Tension] * [Line Speed] / 100' },
  { name: 'Flow x2', formula: '[Flow] * 2' },
  // A derived signal of a derived signal, with a window that needs lead-in through the chain.
  { name: 'Tension x Speed Lag', unit: 'kN·m/min', formula: 'delay([Tension x Speed], 5) - 1' },
  { name: 'Flow x4', formula: '[Flow x2] * 2' },
];

let engine: Engine;
let session: ClientSession;
let dir: string;
let src: AnalysisSource;

async function call<T>(method: string, params: unknown): Promise<T> {
  const r = await session.call(method, params);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as T;
}

/** Sample i of coil c by hand: tension has a NaN at 40 % and bad quality at 60–62 % (testing/coils.ts), both NaN in the result. */
function expected(c: number, i: number): number {
  const bad = i === Math.floor(N * 0.4) || (i >= Math.floor(N * 0.6) && i < Math.floor(N * 0.62));
  return bad ? Number.NaN : (coilValue(1, c, i) * coilValue(0, c, i)) / 100;
}

beforeAll(async () => {
  dir = await tempDir('parx-derived-offline-');
  await writeCoils(path.join(dir, 'recordings'), { coils: 2, samples: N });
  const ws = path.join(dir, 'ws');
  await fs.mkdir(ws, { recursive: true });
  await fs.writeFile(path.join(ws, 'config.json'), JSON.stringify({ version: 1, connections: [], signals: [], derived: DERIVED }));
  engine = await Engine.start({ workspace: ws, mode: 'node', buffer: false });
  session = engine.connect(recordingClient().client);
  src = await call<AnalysisSource>('analysis.open', { path: path.join(dir, 'recordings') });
}, 60_000);

afterAll(async () => {
  await analysisOf(engine).host.stop();
  await engine.stop();
});

describe('derived signals offline', () => {
  it('offers the derived signals with the source, flagging one whose input is not recorded', () => {
    expect(src.signals.find((s) => s.name === 'Tension x Speed')).toMatchObject({ unit: 'kN·m/min', formula: DERIVED[0]!.formula });
    expect(src.signals.find((s) => s.name === 'Tension x Speed')!.status).toBeUndefined();
    expect(src.signals.find((s) => s.name === 'Flow x2')).toMatchObject({ status: 'missing input: Flow' });
    expect(src.signals.find((s) => s.name === 'Line Speed')!.formula).toBeUndefined();
  });

  it('queries a raw range equal to the hand computation, bad input samples as NaN with bad quality', async () => {
    const b = src.batches[0]!;
    const q = await call<{ series: AnalysisSeries[] }>('analysis.query', { source: src.id, signals: ['Tension x Speed'], from: b.start + 7000, to: b.start + 13000, pixels: 5000 });
    const s = q.series[0]!;
    expect(s.raw).toBe(true);
    expect(s.samples).toBe(601);
    const want = Array.from({ length: 601 }, (_, k) => expected(0, 700 + k));
    expect([...s.x]).toEqual(want.map((_, k) => b.start + (700 + k) * 10));
    for (let k = 0; k < want.length; k++) {
      if (Number.isNaN(want[k]!)) expect(s.value[k]).toBeNaN();
      else expect(s.value[k]).toBeCloseTo(want[k]!, 9);
    }
    expect(s.quality[800 - 700]).toBe(3);
    expect(s.quality[1210 - 700]).toBe(3);
    expect(s.quality[0]).toBe(0);
  });

  it('computes a derived signal that reads another derived signal, and flags one whose input is flagged', async () => {
    expect(src.signals.find((s) => s.name === 'Tension x Speed Lag')).toMatchObject({ unit: 'kN·m/min' });
    expect(src.signals.find((s) => s.name === 'Tension x Speed Lag')!.status).toBeUndefined();
    expect(src.signals.find((s) => s.name === 'Flow x4')!.status).toMatch(/input "Flow x2" gives no data \(missing input: Flow\)/);
    const b = src.batches[0]!;
    const q = await call<{ series: AnalysisSeries[] }>('analysis.query', { source: src.id, signals: ['Tension x Speed Lag'], from: b.start + 7000, to: b.start + 8000, pixels: 5000 });
    const s = q.series[0]!;
    expect(s.samples).toBe(101);
    for (let k = 0; k < 101; k++) {
      const want = expected(0, 700 + k - 5) - 1;
      if (Number.isNaN(want)) expect(s.value[k]).toBeNaN();
      else expect(s.value[k]).toBeCloseTo(want, 9);
    }
  });

  it('decimates a derived signal over both coils like any signal (M4 keeps the extremes)', async () => {
    const q = await call<{ series: AnalysisSeries[] }>('analysis.query', { source: src.id, signals: ['Tension x Speed', 'Line Speed'], pixels: 100 });
    const s = q.series[0]!;
    expect(s.raw).toBe(false);
    expect(s.samples).toBe(2 * N);
    const all = [0, 1].flatMap((c) => Array.from({ length: N }, (_, i) => expected(c, i))).filter(Number.isFinite);
    const finite = [...s.value].filter(Number.isFinite);
    expect(Math.max(...finite)).toBeCloseTo(Math.max(...all), 9);
    expect(Math.min(...finite)).toBeCloseTo(Math.min(...all), 9);
  });

  it('gives exact statistics between the cursors', async () => {
    const b = src.batches[1]!;
    const [s] = await call<CursorStats[]>('analysis.stats', { source: src.id, signals: ['Tension x Speed'], a: b.start + 7005, b: b.start + 9000 });
    const vals = Array.from({ length: 900 - 701 + 1 }, (_, k) => expected(1, 701 + k)).filter(Number.isFinite);
    expect(s!.count).toBe(vals.length);
    expect(s!.min).toBeCloseTo(Math.min(...vals), 9);
    expect(s!.max).toBeCloseTo(Math.max(...vals), 9);
    expect(s!.mean).toBeCloseTo(vals.reduce((x, y) => x + y, 0) / vals.length, 9);
    expect(s!.a!.x).toBe(b.start + 7000);
    expect(s!.a!.value).toBeCloseTo(expected(1, 700), 9);
    expect(s!.b!.value).toBeCloseTo(expected(1, 900), 9);
  });

  it('reports a derived signal with a missing input instead of returning it empty', async () => {
    const r = await session.call('analysis.query', { source: src.id, signals: ['Flow x2'], pixels: 100 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toMatch(/Flow x2.*missing input: Flow/);
      expect(r.error.path).toBe('signals');
    }
  });

  it('places a derived signal on the strip (length axis) where its inputs are, and draws its envelope', async () => {
    const b = src.batches[0]!;
    const q = await call<{ series: AnalysisSeries[] }>('analysis.query', { source: src.id, signals: ['Entry Tension', 'Tension x Speed'], pixels: 20_000, axis: 'length', batch: b.key });
    const [tension, derived] = q.series as [AnalysisSeries, AnalysisSeries];
    expect(derived.raw).toBe(true);
    expect(derived.samples).toBe(tension.samples);
    // Same timestamps as its inputs, so the same metres along the strip.
    expect([...derived.x]).toEqual([...tension.x]);
    const first = N - derived.samples; // samples before the first length reading have no place on the strip
    for (let k = 0; k < derived.samples; k += 97) {
      const want = expected(0, first + k);
      if (Number.isNaN(want)) expect(derived.value[k]).toBeNaN();
      else expect(derived.value[k]).toBeCloseTo(want, 9);
    }
    const e = await call<{ mean: Float64Array; count: Uint8Array }>('analysis.envelope', { source: src.id, signal: 'Tension x Speed', batches: src.batches.map((x) => x.key), k: 2, points: 51 });
    expect(e.count[10]).toBe(2);
    const at = Math.floor((10 / 50) * (N - 1)); // x = 20% of the span on a 10 ms timebase: the sample at or before it
    const both = [expected(0, at), expected(1, at)];
    if (both.every(Number.isFinite)) expect(e.mean[10]).toBeCloseTo((both[0]! + both[1]!) / 2, 6);
  });

  it('picks up a derived signal saved after the source was opened (configuration change)', async () => {
    // derived.save in a workspace that acquires nothing: its inputs come from a recording.
    await call('derived.save', { derived: { name: 'Speed x2', unit: 'm/min', formula: '[Line Speed] * 2' } });
    const [s] = await call<AnalysisSource[]>('analysis.sources', {});
    expect(s!.signals.find((x) => x.name === 'Speed x2')).toMatchObject({ unit: 'm/min', formula: '[Line Speed] * 2' });
    const b = src.batches[0]!;
    const q = await call<{ series: AnalysisSeries[] }>('analysis.query', { source: src.id, signals: ['Speed x2'], from: b.start, to: b.start + 100, pixels: 500 });
    expect([...q.series[0]!.value]).toEqual(Array.from({ length: 11 }, (_, i) => 2 * coilValue(0, 0, i)));
  });

  it('exports a derived signal like any signal, with its unit: CSV read back with papaparse', async () => {
    const b = src.batches[0]!;
    const out = path.join(dir, 'out', 'derived.csv');
    await runExport({ source: src.id, signals: ['Line Speed', 'Tension x Speed', 'Tension x Speed Lag'], from: b.start + 7000, to: b.start + 8500, format: 'csv', out, derived: DERIVED });
    const text = await fs.readFile(out, 'utf8');
    const parsed = Papa.parse<Record<string, string>>(text.split(/\r?\n\r?\n/)[0]!.trim(), { header: true });
    expect(parsed.meta.fields).toContain('Tension x Speed [kN·m/min]');
    expect(parsed.data).toHaveLength(151);
    parsed.data.forEach((row, k) => {
      expect(Number(row.ts_ms)).toBe(b.start + (700 + k) * 10);
      const want = expected(0, 700 + k);
      const cell = row['Tension x Speed [kN·m/min]']!;
      if (Number.isNaN(want)) expect(['', 'NaN']).toContain(cell);
      else expect(Number(cell)).toBeCloseTo(want, 9);
      // The chained one: its delay reaches 5 samples before the range, through the lead-in.
      const lag = expected(0, 700 + k - 5) - 1;
      const lagCell = row['Tension x Speed Lag [kN·m/min]']!;
      if (Number.isNaN(lag)) expect(['', 'NaN']).toContain(lagCell);
      else expect(Number(lagCell)).toBeCloseTo(lag, 9);
    });
    await expect(runExport({ source: src.id, signals: ['Flow x4'], format: 'csv', out: path.join(dir, 'out', 'flow4.csv'), derived: DERIVED })).rejects.toThrow(/Flow x4.*Flow x2.*missing input: Flow/);
    await expect(runExport({ source: src.id, signals: ['Flow x2'], format: 'csv', out: path.join(dir, 'out', 'flow.csv'), derived: DERIVED })).rejects.toThrow(/missing input: Flow/);
  });
});
