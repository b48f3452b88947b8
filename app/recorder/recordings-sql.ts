/**
 * SQL across every recorded batch. With a catalog (<workspace>/catalog.duckdb) `batches` is
 * the catalog's table (every format, with duration, bytes, rows, shift) and `signal_stats`
 * its per-signal min/max/mean/count. Without one, straight on the Parquet files: two
 * views over the recordings folder —
 *   samples  one row per sample: ts, signal, value, quality, length_m?, plus line and date
 *            from the folder layout;
 *   batches  one row per file from its parx.* metadata: batch_id, coil_id, line, start, end,
 *            status, opened_by, closed_by, file.
 * Read-only: the files are opened for reading, so this runs while the engine records.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { openDuckDB, queryRows, type DuckDBConnection } from '../../native/duckdb';

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

/** Attaches the catalog read-only; a running engine holds it only briefly, so a locked file is retried for a few seconds. */
async function attachCatalog(connection: DuckDBConnection, catalog: string): Promise<void> {
  const until = Date.now() + 5000;
  for (;;) {
    try {
      await connection.run(`ATTACH ${quote(catalog)} AS catalog (READ_ONLY)`);
      return;
    } catch (e) {
      if (Date.now() > until || !/lock/i.test((e as Error).message)) throw new RecordingsQueryError(`cannot read the catalog ${catalog}: ${(e as Error).message.split('\n')[0]}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function queryRecordings(recordings: string, sql: string, options: { catalog?: string } = {}): Promise<QueryResult> {
  const catalog = options.catalog && (await fs.stat(options.catalog).then((s) => s.isFile(), () => false)) ? options.catalog : undefined;
  const parquet = await hasBatchFiles(recordings);
  if (!parquet && !catalog) throw new RecordingsQueryError(`no batch files in ${recordings} yet: record first (see "recording" in the workspace configuration)`);
  const glob = quote(path.join(recordings, '**', '*.parquet'));
  const db = await openDuckDB(':memory:');
  try {
    if (parquet) await db.connection.run(`CREATE VIEW samples AS SELECT * FROM read_parquet(${glob}, hive_partitioning = true, union_by_name = true)`);
    if (catalog) {
      await attachCatalog(db.connection, catalog);
      await db.connection.run('CREATE VIEW batches AS SELECT * FROM catalog.batches');
      await db.connection.run('CREATE VIEW signal_stats AS SELECT * FROM catalog.signal_stats');
    } else {
      const pivots = META.map((k) => `max(CASE WHEN decode(key) = 'parx.${k}' THEN decode(value) END) AS "${k}"`).join(', ');
      await db.connection.run(`CREATE VIEW batches AS SELECT ${pivots}, file_name AS file FROM parquet_kv_metadata(${glob}) GROUP BY file_name`);
    }
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
