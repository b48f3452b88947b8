/**
 * SQL across every recorded batch, straight on the Parquet files (no catalog needed): two
 * views over the recordings folder —
 *   samples  one row per sample: ts, signal, value, quality, length_m?, plus line and date
 *            from the folder layout;
 *   batches  one row per file from its parx.* metadata: batch_id, coil_id, line, start, end,
 *            status, opened_by, closed_by, file.
 * Read-only: the files are opened for reading, so this runs while the engine records.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { openDuckDB, queryRows } from '../../native/duckdb';

const META = ['batch_id', 'coil_id', 'line', 'start', 'end', 'status', 'opened_by', 'closed_by', 'format_version'] as const;

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

async function hasBatchFiles(dir: string): Promise<boolean> {
  const entries = await fs.readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.some((e) => e.endsWith('.parquet') && !e.includes(`${path.sep}.staging${path.sep}`));
}

export interface QueryResult {
  readonly columns: string[];
  readonly rows: Record<string, unknown>[];
}

export class RecordingsQueryError extends Error {
  override readonly name = 'RecordingsQueryError';
}

export async function queryRecordings(recordings: string, sql: string): Promise<QueryResult> {
  if (!(await hasBatchFiles(recordings))) throw new RecordingsQueryError(`no batch files in ${recordings} yet: record first (see "recording" in the workspace configuration)`);
  const glob = quote(path.join(recordings, '**', '*.parquet'));
  const db = await openDuckDB(':memory:');
  try {
    await db.connection.run(`CREATE VIEW samples AS SELECT * FROM read_parquet(${glob}, hive_partitioning = true, union_by_name = true)`);
    const pivots = META.map((k) => `max(CASE WHEN decode(key) = 'parx.${k}' THEN decode(value) END) AS "${k}"`).join(', ');
    await db.connection.run(`CREATE VIEW batches AS SELECT ${pivots}, file_name AS file FROM parquet_kv_metadata(${glob}) GROUP BY file_name`);
    let rows: Record<string, unknown>[];
    try {
      rows = await queryRows(db.connection, sql);
    } catch (e) {
      throw new RecordingsQueryError(`SQL failed: ${(e as Error).message.split('\n')[0]}`);
    }
    return { columns: rows[0] ? Object.keys(rows[0]) : [], rows };
  } finally {
    db.close();
  }
}
