import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDB, queryRows, type DuckDBConnection } from '../../native/duckdb';
import { tempDir } from '../testing/helpers';
import { BatchWriter } from './batch-writer';
import { descriptor, polls, T0 } from './testing/samples';

describe('partitioned recordings', () => {
  let db: { connection: DuckDBConnection; close(): void };
  beforeEach(async () => {
    db = await openDuckDB();
  });
  afterEach(() => db.close());

  it('DuckDB reads every batch of every line and day as one table with line and date columns; staging is never picked up', async () => {
    const dir = await tempDir('parx-rec-');
    let seq = 0;
    const day = 86_400_000;
    const batches = [
      { line: 'Line 1', start: T0, coil: '1' },
      { line: 'Line 1', start: T0 + 60_000, coil: '2' },
      { line: 'Line 1', start: T0 + day, coil: '3' },
      { line: 'Pickling', start: T0, coil: '1' },
    ];
    for (const b of batches) {
      const w = await BatchWriter.open(db.connection, dir, descriptor({ id: `b-${b.line}-${b.coil}`, line: b.line, coil: b.coil, start: b.start }), () => ++seq);
      await w.append(polls(10, b.start));
      await w.close({ closedBy: 'test' });
    }
    // An open batch with a spilled part: must not show up in the dataset.
    const open = await BatchWriter.open(db.connection, dir, descriptor({ id: 'still-open' }), () => ++seq);
    await open.append(polls(10));
    await open.checkpoint(null);

    const rows = await queryRows(
      db.connection,
      `SELECT line, CAST(date AS VARCHAR) AS date, count(*)::INTEGER AS n, count(DISTINCT filename)::INTEGER AS files
       FROM read_parquet('${dir}/**/*.parquet', hive_partitioning = true, filename = true) GROUP BY ALL ORDER BY ALL`,
    );
    expect(rows).toEqual([
      { line: 'Line_1', date: '2026-03-29', n: 80, files: 2 },
      { line: 'Line_1', date: '2026-03-30', n: 40, files: 1 },
      { line: 'Pickling', date: '2026-03-29', n: 40, files: 1 },
    ]);
    // Partition pruning by the hive columns, and the per-file metadata alongside.
    const coils = await queryRows(db.connection, `SELECT DISTINCT decode(value) AS coil FROM parquet_kv_metadata('${dir}/line=Line_1/**/*.parquet') WHERE decode(key) = 'parx.coil_id' ORDER BY coil`);
    expect(coils.map((r) => r.coil)).toEqual(['1', '2', '3']);
    await open.discard();
  });
});
