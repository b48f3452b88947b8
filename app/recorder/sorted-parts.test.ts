import fs from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, queryRows, type DuckDBConnection } from '../../native/duckdb';
import { tempDir } from '../testing/helpers';
import { BatchWriter } from './batch-writer';
import type { BatchDescriptor } from './format';
import { PartFileWriter } from './part-file';
import { listParts, partCheckpoint } from './staging';
import { readWithHyparquet, readWithParquetWasm } from './testing/readers';
import { descriptor, T0 } from './testing/samples';

describe('staging parts written from typed arrays', () => {
  it('are Parquet that DuckDB, hyparquet and parquet-wasm read alike, with the checkpoint in their metadata', async () => {
    const dir = await tempDir('parx-part-');
    const file = path.join(dir, 'p.parquet');
    const n = 50;
    const cols = {
      ts: Float64Array.from({ length: n }, (_, i) => T0 + i * 0.5),
      signal: Uint32Array.from({ length: n }, (_, i) => (i % 7) * 100_000),
      value: Float64Array.from({ length: n }, (_, i) => (i === 3 ? NaN : i * 1.25 - 7)),
      quality: Int32Array.from({ length: n }, (_, i) => i % 4),
    };
    const w = await PartFileWriter.create(file);
    await w.rowGroup(cols, 30);
    await w.rowGroup({ ts: cols.ts.subarray(30), signal: cols.signal.subarray(30), value: cols.value.subarray(30), quality: cols.quality.subarray(30) }, 20);
    await w.finish({ 'parx.checkpoint': JSON.stringify({ seq: 7, resume: 'r' }) });

    const db = await openDuckDB();
    try {
      const rows = await queryRows(db.connection, `SELECT ts, signal, value, quality, typeof(signal) AS st, typeof(quality) AS qt FROM read_parquet('${file}')`);
      expect(rows).toHaveLength(n);
      expect(rows[1]).toEqual({ ts: T0 + 0.5, signal: 100_000, value: 1.25 - 7, quality: 1, st: 'UINTEGER', qt: 'UTINYINT' });
      expect(Number.isNaN(rows[3]?.value)).toBe(true);
      expect(rows.map((r) => r.ts)).toEqual(Array.from(cols.ts));
      expect(await partCheckpoint(db.connection, file)).toEqual({ seq: 7, resume: 'r' });
    } finally {
      db.close();
    }
    const hy = await readWithHyparquet(file);
    expect(hy.rows.map((r) => r.signal)).toEqual(Array.from(cols.signal));
    expect(hy.rows.map((r) => r.quality)).toEqual(Array.from(cols.quality));
    const wasm = await readWithParquetWasm(file, { ts: 'f64', value: 'f64' });
    expect(wasm.numRows).toBe(n);
    expect(wasm.columns.ts).toEqual(Array.from(cols.ts));
  });
});

/** A batch's samples as the collector could send them: polls of several timebases, in arrival chunks. */
const arrivals = fc.record({
  // Sparse ids (not 0..n), each with its own timebase; some signals silent.
  signals: fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 12 }),
  polls: fc.integer({ min: 0, max: 120 }),
  chunk: fc.integer({ min: 1, max: 400 }),
  memoryRows: fc.integer({ min: 1, max: 300 }),
  // A few samples whose time goes backwards within a signal: the close must sort then.
  backwards: fc.boolean(),
  checkpointEvery: fc.integer({ min: 0, max: 5 }),
});

describe('a batch closed from signal-sorted parts', () => {
  let db: { connection: DuckDBConnection; close(): void };
  let dir: string;
  beforeAll(async () => {
    db = await openDuckDB();
    dir = await tempDir('parx-merge-');
  });
  afterAll(() => db.close());

  it('property: the file holds every sample once, sorted by signal then time, whatever the spills, checkpoints and ids', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(arrivals, async (a) => {
        const rows: { ts: number; signal: number; value: number; quality: number }[] = [];
        for (let k = 0; k < a.polls; k++) {
          a.signals.forEach((s, j) => {
            const every = (j % 3) + 1; // three timebases
            if (k % every !== 0) return;
            const back = a.backwards && k === Math.floor(a.polls / 2) && j === 0;
            rows.push({ ts: T0 + (back ? -5 : k * 10) + j * 0.001, signal: s, value: rows.length, quality: rows.length % 4 });
          });
        }
        const d: BatchDescriptor = { ...descriptor({ id: `m-${++run}`, coil: null }), signals: a.signals.slice(0, 3).map((id) => ({ ...(descriptor().signals[0] as BatchDescriptor['signals'][number]), id, name: `S${id}` })) };
        let seq = 0;
        const w = await BatchWriter.open(db.connection, dir, d, () => ++seq, { memoryRows: a.memoryRows });
        let chunks = 0;
        for (let at = 0; at < rows.length; at += a.chunk) {
          const part = rows.slice(at, at + a.chunk);
          await w.append({ ts: Float64Array.from(part, (r) => r.ts), signal: Uint32Array.from(part, (r) => r.signal), value: Float64Array.from(part, (r) => r.value), quality: Uint8Array.from(part, (r) => r.quality) });
          if (a.checkpointEvery > 0 && ++chunks % a.checkpointEvery === 0) await w.checkpoint(`c${chunks}`);
        }
        const info = await w.close({ closedBy: 'test' });
        const got = await queryRows(db.connection, `SELECT epoch_us(ts) AS us, signal, value, quality FROM read_parquet('${info.file}')`);
        const name = (id: number): string => (a.signals.slice(0, 3).includes(id) ? `S${id}` : `#${id}`);
        // Expected: stable by signal id, then time (the file's order is by id; equal times keep arrival order).
        const expected = rows
          .map((r, i) => ({ ...r, i }))
          .sort((x, y) => x.signal - y.signal || Math.round(x.ts * 1000) - Math.round(y.ts * 1000) || x.i - y.i)
          .map((r) => ({ us: BigInt(Math.round(r.ts * 1000)), signal: name(r.signal), value: r.value, quality: r.quality }));
        expect(got).toEqual(expected);
        await fs.rm(info.file);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('batches one after another reuse each other\'s buffers (of every size) and still write every sample', async () => {
    let seq = 0;
    // Sizes chosen so spare arrays of different lengths meet in one buffer: row buffer, sorted part and merge arrays.
    for (const [k, rows] of [1_300_000, 90_000, 700_000, 2_100_000, 5_000].entries()) {
      const w = await BatchWriter.open(db.connection, dir, descriptor({ id: `reuse-${k}`, coil: null }), () => ++seq, { memoryRows: 400_000 + k * 150_000 });
      for (let at = 0; at < rows; at += 100_000) {
        const n = Math.min(100_000, rows - at);
        const b = { ts: new Float64Array(n), signal: new Uint32Array(n), value: new Float64Array(n), quality: new Uint8Array(n) };
        for (let i = 0; i < n; i++) {
          b.signal[i] = (at + i) % 97;
          b.ts[i] = T0 + Math.floor((at + i) / 97);
          b.value[i] = at + i;
        }
        await w.append(b);
      }
      const info = await w.close({ closedBy: 'test' });
      const [r] = await queryRows(db.connection, `SELECT count(*)::INTEGER AS n, count(DISTINCT value)::INTEGER AS d, sum(value) AS s FROM read_parquet('${info.file}')`);
      expect(r).toEqual({ n: rows, d: rows, s: (rows * (rows - 1)) / 2 });
      await fs.rm(info.file);
    }
  }, 120_000);

  it('leaves parts of an open batch sorted by signal on disk, each with its checkpoint', async () => {
    let seq = 0;
    const w = await BatchWriter.open(db.connection, dir, descriptor({ id: 'open-one' }), () => ++seq, { memoryRows: 1_000_000 });
    await w.append({ ts: Float64Array.of(T0, T0, T0 + 1, T0 + 1), signal: Uint32Array.of(2, 0, 2, 0), value: Float64Array.of(1, 2, 3, 4), quality: new Uint8Array(4) });
    await w.checkpoint('cursor-a');
    const [part] = await listParts(path.join(dir, '.staging', 'open-one'));
    const rows = await queryRows(db.connection, `SELECT signal, value FROM read_parquet('${part}')`);
    expect(rows).toEqual([
      { signal: 0, value: 2 },
      { signal: 0, value: 4 },
      { signal: 2, value: 1 },
      { signal: 2, value: 3 },
    ]);
    expect(await partCheckpoint(db.connection, part as string)).toEqual({ seq: 1, resume: 'cursor-a' });
    await w.discard();
  });
});
