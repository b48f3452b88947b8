/** Reads what a Parquet file says about itself: row count, columns, and the parx.* metadata. */
import fs from 'node:fs/promises';
import { openDuckDB, queryRows } from '../../native/duckdb';
import { err, ok, parxError, type Result } from '../shared/result';

export interface BatchFileSummary {
  readonly rows: number;
  readonly isParx: boolean;
  readonly columns: { name: string; type: string }[];
  readonly meta: Record<string, string>;
  readonly signals: { name: string; unit?: string; source?: { connection: string; address: string }; timebase_ms?: number }[];
}

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export async function inspectBatchFile(file: string): Promise<Result<BatchFileSummary>> {
  try {
    await fs.access(file);
  } catch {
    return err(parxError('not-found', `${file} does not exist`));
  }
  const db = await openDuckDB(':memory:');
  try {
    const f = quote(file);
    const meta = Object.fromEntries(
      (await queryRows(db.connection, `SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata(${f})`)).map((r) => [String(r.k), String(r.v)]),
    );
    const [count] = await queryRows(db.connection, `SELECT count(*)::BIGINT AS n FROM read_parquet(${f})`);
    const columns = (await queryRows(db.connection, `DESCRIBE SELECT * FROM read_parquet(${f})`)).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
    let signals: BatchFileSummary['signals'] = [];
    try {
      signals = JSON.parse(meta['parx.signals'] ?? '[]') as BatchFileSummary['signals'];
    } catch {
      signals = [];
    }
    return ok({ rows: Number(count?.n ?? 0), isParx: 'parx.format_version' in meta, columns, meta, signals });
  } catch (e) {
    return err(parxError('io', `${file} is not a readable Parquet file: ${(e as Error).message.split('\n')[0]}`));
  } finally {
    db.close();
  }
}
