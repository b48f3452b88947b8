/**
 * Coils written by the real recorder (BatchWriter), for tests and the e2e journey: a line
 * speed ramp that gives a length index, a tension, a thickness and a digital strip-break
 * signal, with a gap and a bad period in each coil. Also a truncated file, on request.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { openDuckDB } from '../../../native/duckdb';
import { BatchWriter } from '../../recorder/batch-writer';
import type { BatchDescriptor } from '../../recorder/format';

export const COIL_SIGNALS = [
  { name: 'Line Speed', unit: 'm/min', description: 'strip speed at the exit bridle' },
  { name: 'Entry Tension', unit: 'kN', description: 'tension before the mill stand' },
  { name: 'Exit Thickness', unit: 'mm', description: 'X-ray gauge after the stand' },
  { name: 'Strip Break', unit: '', description: 'digital: strip break detected' },
] as const;

export interface CoilsOptions {
  coils?: number;
  /** Samples per signal and coil, every 10 ms. */
  samples?: number;
  start?: number;
}

/** Value of signal s at sample i of coil c: deterministic, so tests can recompute it. */
export function coilValue(s: number, c: number, i: number): number {
  switch (s) {
    case 0:
      return 100 + 50 * Math.min(1, i / 200) + c; // ramp up, then steady
    case 1:
      return 20 + 2 * Math.sin(i / 30 + c) + c / 10;
    case 2:
      return 2.5 + 0.01 * Math.sin(i / 7) + c / 100;
    default:
      return i % 400 > 390 ? 1 : 0;
  }
}

export async function writeCoils(dir: string, opts: CoilsOptions = {}): Promise<string[]> {
  const coils = opts.coils ?? 3;
  const n = opts.samples ?? 1000;
  const t0 = opts.start ?? Date.UTC(2026, 2, 29, 6, 0, 0);
  const db = await openDuckDB();
  const files: string[] = [];
  let seq = 0;
  try {
    for (let c = 0; c < coils; c++) {
      const start = t0 + c * (n * 10 + 5000);
      const d: BatchDescriptor = {
        id: new Date(start).toISOString().replace(/:/g, '-'),
        line: 'Mill 1',
        coil: String(4711 + c),
        start,
        openedBy: `coil id changed to ${4711 + c}`,
        signals: COIL_SIGNALS.map((s, id) => ({ ...s, id, source: { connection: 'PLC', address: `hr:${id}` }, data_type: 'double' as const, scale: 1, offset: 0, timebase_ms: 10 })),
        lengthIndex: { from: 'speed', signal: 'Line Speed' },
        compression: 'zstd',
      };
      const w = await BatchWriter.open(db.connection, dir, d, () => ++seq);
      const k = COIL_SIGNALS.length;
      const b = { signal: new Uint32Array(n * k), ts: new Float64Array(n * k), value: new Float64Array(n * k), quality: new Uint8Array(n * k) };
      for (let i = 0; i < n; i++) {
        for (let s = 0; s < k; s++) {
          const r = i * k + s;
          b.signal[r] = s;
          b.ts[r] = start + i * 10;
          b.value[r] = coilValue(s, c, i);
          // Tension: a gap at 40 % and a bad period at 60–62 % of the coil.
          if (s === 1 && i === Math.floor(n * 0.4)) b.value[r] = NaN;
          if (s === 1 && i >= Math.floor(n * 0.6) && i < Math.floor(n * 0.62)) b.quality[r] = 3;
        }
      }
      await w.append(b);
      const info = await w.close({ end: start + n * 10, closedBy: `coil id changed to ${4712 + c}` });
      files.push(info.file);
    }
  } finally {
    db.close();
  }
  return files;
}

/** A file cut in half: what a copy interrupted by a full disk leaves. */
export async function writeTruncated(file: string, from: string): Promise<void> {
  const bytes = await fs.readFile(from);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
}
