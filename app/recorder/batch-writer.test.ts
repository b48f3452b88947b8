import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDB, queryRows, type DuckDBConnection } from '../../native/duckdb';
import { tempDir } from '../testing/helpers';
import { BatchWriter } from './batch-writer';
import type { SignalDescriptor } from './format';
import { descriptor, polls, T0 } from './testing/samples';
import { readWithHyparquet, readWithParquetWasm } from './testing/readers';

describe('BatchWriter', () => {
  let db: { connection: DuckDBConnection; close(): void };
  let dir: string;
  let seq = 0;
  const next = () => ++seq;
  beforeEach(async () => {
    db = await openDuckDB();
    dir = await tempDir('parx-rec-');
  });
  afterEach(() => db.close());

  it('writes one sorted, self-describing file at the partition path, read alike by DuckDB, hyparquet and parquet-wasm', async () => {
    const w = await BatchWriter.open(db.connection, dir, descriptor(), next, { memoryRows: 1000 });
    // 3 appends crossing two spills, so the file is built from parts and memory.
    await w.append(polls(200));
    await w.append(polls(200, T0 + 4000));
    await w.append(polls(100, T0 + 8000));
    const info = await w.close({ closedBy: 'coil id changed to 4712', end: T0 + 10_000 });
    expect(info.rows).toBe(2000);
    expect(path.relative(dir, info.file)).toBe(path.join('line=Line_1', 'date=2026-03-29', 'L1-2026-03-29T06-00-00.000Z_coil-4711.parquet'));
    expect(await fs.readdir(path.join(dir, '.staging'))).toEqual([]);

    const rows = await queryRows(db.connection, `SELECT epoch_ms(ts) AS t, signal, value, quality FROM read_parquet('${info.file}')`);
    expect(rows).toHaveLength(2000);
    // Sorted by signal, then time.
    expect(rows.slice(0, 500).every((r) => r.signal === 'Line Speed')).toBe(true);
    const tension = rows.filter((r) => r.signal === 'Entry Tension').map((r) => Number(r.t));
    expect(tension).toEqual([...tension].sort((a, b) => a - b));
    expect(tension[0]).toBe(T0);

    const hy = await readWithHyparquet(info.file);
    expect(hy.rows).toHaveLength(2000);
    expect(hy.meta['parx.format_version']).toBe('1');
    expect(hy.meta['parx.batch_id']).toBe('L1-2026-03-29T06-00-00.000Z');
    expect(hy.meta['parx.coil_id']).toBe('4711');
    expect(hy.meta['parx.line']).toBe('Line 1');
    expect(hy.meta['parx.start']).toBe('2026-03-29T06:00:00.000Z');
    expect(hy.meta['parx.end']).toBe('2026-03-29T06:00:10.000Z');
    expect(hy.meta['parx.status']).toBe('complete');
    expect(hy.meta['parx.closed_by']).toBe('coil id changed to 4712');
    const described = JSON.parse(hy.meta['parx.signals'] as string) as SignalDescriptor[];
    expect(described[0]).toEqual({ name: 'Line Speed', unit: 'm/min', description: 'Line Speed of the demo line', source: { connection: 'Demo Line', address: 'hr:0:int16' }, data_type: 'double', scale: 0.1, offset: 0, timebase_ms: 20 });
    const first = hy.rows.find((r) => r.signal === 'Entry Tension');
    expect(first).toMatchObject({ signal: 'Entry Tension', value: 2000, quality: 0 });
    expect((first?.ts as Date).getTime()).toBe(T0);
    const tensionValues = hy.rows.filter((r) => r.signal === 'Entry Tension').map((r) => r.value);
    expect(tensionValues).toEqual([...Array.from({ length: 200 }, (_, k) => 2000 + k), ...Array.from({ length: 200 }, (_, k) => 2000 + k), ...Array.from({ length: 100 }, (_, k) => 2000 + k)]);

    const wasm = await readWithParquetWasm(info.file, { ts: 'i64', signal: 'utf8', value: 'f64', quality: 'u8' });
    expect(wasm.numRows).toBe(2000);
    expect(wasm.meta['parx.coil_id']).toBe('4711');
    expect(wasm.meta['parx.status']).toBe('complete');
    expect(wasm.columns.signal?.slice(0, 2)).toEqual(['Line Speed', 'Line Speed']);
    expect(wasm.columns.ts?.[0]).toBe(BigInt(T0) * 1000n); // µs since the epoch, UTC
    expect(wasm.columns.value?.slice(1000, 1003)).toEqual([2000, 2001, 2002]);
    expect(wasm.columns.quality?.filter((q) => q === 3)).toHaveLength(40);
  });

  it('writes Snappy and uncompressed files too, and a batch with no samples', async () => {
    for (const compression of ['snappy', 'none'] as const) {
      const w = await BatchWriter.open(db.connection, dir, descriptor({ id: `b-${compression}`, compression }), next);
      await w.append(polls(10));
      const info = await w.close({ closedBy: 'manual stop' });
      const hy = await readWithHyparquet(info.file);
      expect(hy.rows).toHaveLength(40);
      expect(info.end).toBe(T0 + 9 * 20);
      const [codec] = await queryRows(db.connection, `SELECT compression FROM parquet_metadata('${info.file}') WHERE path_in_schema = 'value' LIMIT 1`);
      expect(codec?.compression).toBe(compression === 'none' ? 'UNCOMPRESSED' : 'SNAPPY');
    }
    const empty = await BatchWriter.open(db.connection, dir, descriptor({ id: 'empty', coil: null }), next);
    const info = await empty.close({ closedBy: 'manual stop' });
    expect(info.rows).toBe(0);
    expect(path.basename(info.file)).toBe('empty.parquet');
    expect((await readWithHyparquet(info.file)).meta['parx.coil_id']).toBe('');
  });

  it('adds length_m by zero-order hold of a length signal', async () => {
    const w = await BatchWriter.open(db.connection, dir, descriptor({ lengthIndex: { from: 'length', signal: 'Coil Length' } }), next);
    await w.append(polls(100));
    const info = await w.close({ closedBy: 'test' });
    const rows = await queryRows(db.connection, `SELECT epoch_ms(ts) AS t, signal, length_m FROM read_parquet('${info.file}') WHERE signal = 'Entry Tension' ORDER BY t`);
    // Coil Length = k · 0.2 at poll k; poll 49 is bad, so it holds poll 48's value.
    expect(rows[10]?.length_m).toBeCloseTo(2.0, 9);
    expect(rows[49]?.length_m).toBeCloseTo(48 * 0.2, 9);
    expect(rows[50]?.length_m).toBeCloseTo(50 * 0.2, 9);
    const hy = await readWithHyparquet(info.file);
    expect(JSON.parse(hy.meta['parx.length_index'] as string)).toEqual({ from: 'length', signal: 'Coil Length' });
  });

  it('adds length_m integrated from a speed signal in m/min', async () => {
    const w = await BatchWriter.open(db.connection, dir, descriptor({ lengthIndex: { from: 'speed', signal: 'Line Speed' } }), next);
    await w.append(polls(100));
    const info = await w.close({ closedBy: 'test' });
    const rows = await queryRows(db.connection, `SELECT epoch_ms(ts) AS t, length_m FROM read_parquet('${info.file}') WHERE signal = 'Entry Tension' ORDER BY t`);
    // 600 m/min = 10 m/s = 0.2 m per 20 ms poll, held across the bad poll.
    expect(rows[0]?.length_m).toBe(0);
    expect(rows[10]?.length_m).toBeCloseTo(2.0, 9);
    expect(rows[99]?.length_m).toBeCloseTo(99 * 0.2, 9);
  });
});
