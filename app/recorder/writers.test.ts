import fs from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDB, queryRows, type DuckDBConnection } from '../../native/duckdb';
import { tempDir } from '../testing/helpers';
import { BatchWriter } from './batch-writer';
import { recoverBatches } from './recovery';
import { descriptor, polls, T0 } from './testing/samples';

describe('CSV and DuckDB batch files', () => {
  let db: { connection: DuckDBConnection; close(): void };
  let dir: string;
  let seq = 0;
  const next = () => ++seq;
  beforeEach(async () => {
    db = await openDuckDB();
    dir = await tempDir('parx-writers-');
  });
  afterEach(() => db.close());

  it('CSV: one wide file per batch, `name [unit]` headers, ISO-8601 UTC times, bad samples empty; papaparse reads it', async () => {
    const w = await BatchWriter.open(db.connection, dir, descriptor({ format: 'csv' }), next, { memoryRows: 300 });
    await w.append(polls(100));
    await w.append(polls(100, T0 + 2000));
    const info = await w.close({ closedBy: 'stopped by operator', end: T0 + 4000 });
    expect(path.relative(dir, info.file)).toBe(path.join('line=Line_1', 'date=2026-03-29', 'L1-2026-03-29T06-00-00.000Z_coil-4711.csv'));
    expect(info).toMatchObject({ rows: 800, format: 'csv', line: 'Line 1', status: 'complete' });
    const parsed = Papa.parse<Record<string, string>>(await fs.readFile(info.file, 'utf8'), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual(['ts', 'Line Speed [m/min]', 'Coil Length [m]', 'Entry Tension [kN]', 'Coil ID']);
    expect(parsed.data).toHaveLength(200);
    expect(parsed.data[0]).toEqual({ ts: '2026-03-29T06:00:00.000000Z', 'Line Speed [m/min]': '600.0', 'Coil Length [m]': '0.0', 'Entry Tension [kN]': '2000.0', 'Coil ID': '3000.0' });
    expect(parsed.data[1]?.ts).toBe('2026-03-29T06:00:00.020000Z');
    expect(new Date(parsed.data[199]?.ts ?? '').getTime()).toBe(T0 + 2000 + 99 * 20);
    // Poll 49 is bad: every cell of that row is empty, the time stays.
    expect(parsed.data[49]).toEqual({ ts: '2026-03-29T06:00:00.980000Z', 'Line Speed [m/min]': '', 'Coil Length [m]': '', 'Entry Tension [kN]': '', 'Coil ID': '' });
    expect(Number(parsed.data[150]?.['Entry Tension [kN]'])).toBe(2050);
  });

  it('DuckDB: one database per batch with tables samples (long layout) and metadata, read by a separate connection', async () => {
    const w = await BatchWriter.open(db.connection, dir, descriptor({ format: 'duckdb' }), next);
    await w.append(polls(100));
    const info = await w.close({ closedBy: 'coil id changed to 4712', end: T0 + 2000 });
    expect(path.basename(info.file)).toBe('L1-2026-03-29T06-00-00.000Z_coil-4711.duckdb');
    expect(info.signals?.find((s) => s.signal === 'Entry Tension')).toEqual({ signal: 'Entry Tension', count: 100, min: 2000, max: 2098, mean: 2049 }); // polls 49 and 99 are bad: not in min/max/mean
    const names = await fs.readdir(path.dirname(info.file));
    expect(names).toEqual([path.basename(info.file)]); // no .tmp, no .wal left beside it
    const reader = await openDuckDB(info.file);
    try {
      const meta = Object.fromEntries((await queryRows(reader.connection, 'SELECT key, value FROM metadata')).map((r) => [r.key, r.value]));
      expect(meta).toMatchObject({ 'parx.format_version': '1', 'parx.coil_id': '4711', 'parx.status': 'complete', 'parx.closed_by': 'coil id changed to 4712' });
      const rows = await queryRows(reader.connection, "SELECT epoch_ms(ts)::DOUBLE AS t, value, quality FROM samples WHERE signal = 'Entry Tension' ORDER BY ts");
      expect(rows).toHaveLength(100);
      expect(rows[0]).toEqual({ t: T0, value: 2000, quality: 0 });
      expect(rows[49]?.quality).toBe(3);
    } finally {
      reader.close();
    }
  });

  it('recovery closes an interrupted CSV or DuckDB batch in its own format, marked recovered', async () => {
    for (const format of ['csv', 'duckdb'] as const) {
      const d = descriptor({ id: `crash-${format}`, format });
      const w = await BatchWriter.open(db.connection, dir, d, next);
      await w.append(polls(60));
      await w.checkpoint('cursor-1');
      // The process "dies" here: the writer is never closed.
    }
    const report = await recoverBatches(db.connection, dir);
    expect(report.recovered.map((r) => [path.extname(r.file), r.status, r.rows])).toEqual([
      ['.csv', 'recovered', 240],
      ['.duckdb', 'recovered', 240],
    ]);
    const csv = Papa.parse<Record<string, string>>(await fs.readFile(report.recovered[0]?.file ?? '', 'utf8'), { header: true, skipEmptyLines: true });
    expect(csv.data).toHaveLength(60);
    const reader = await openDuckDB(report.recovered[1]?.file);
    try {
      expect(await queryRows(reader.connection, "SELECT value FROM metadata WHERE key = 'parx.status'")).toEqual([{ value: 'recovered' }]);
    } finally {
      reader.close();
    }
    // A second start finds both closed and writes nothing twice.
    expect((await recoverBatches(db.connection, dir)).recovered).toEqual([]);
  });
});
