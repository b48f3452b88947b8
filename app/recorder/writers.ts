/**
 * The three batch file types, each written from the same staged rows (batchSelectSql) to
 * `<file>.tmp` and then published (fsync + rename) by the caller, so every format is whole
 * or absent and recovery works the same for all of them (docs/file-format.md).
 */
import type { DuckDBConnection } from '../../native/duckdb';
import { batchSelectSql, copyBatchSql, sqlString } from './copy-sql';
import { batchMetadata, type BatchClose, type BatchDescriptor } from './format';

type Span = { minTs: number; spanUs: number; presorted?: boolean };

export async function writeParquet(connection: DuckDBConnection, source: string, tmp: string, d: BatchDescriptor, c: BatchClose, span: Span): Promise<void> {
  await connection.run(copyBatchSql(source, tmp, d, c, span));
}

const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** `Strip Speed [m/min]`: the column header a spreadsheet user reads. */
export const csvHeader = (name: string, unit: string): string => (unit ? `${name} [${unit}]` : name);

/**
 * CSV for spreadsheets: wide, one row per sample time, one column per signal headed
 * `name [unit]`, ISO-8601 UTC timestamps with microseconds. A cell is empty where the signal
 * has no sample at that time or the sample is bad (Parquet and DuckDB keep every quality code).
 */
export async function writeCsv(connection: DuckDBConnection, source: string, tmp: string, d: BatchDescriptor, span: Span): Promise<void> {
  const columns = d.signals.map(
    (s) => `max(CASE WHEN quality <> 3 AND isfinite(value) THEN value END) FILTER (WHERE signal = ${sqlString(s.name)}) AS ${ident(csvHeader(s.name, s.unit))}`,
  );
  if (d.lengthIndex) columns.push('max(length_m) AS length_m');
  const select = `SELECT strftime(make_timestamp(epoch_us(ts)), '%Y-%m-%dT%H:%M:%S.%fZ') AS ts${columns.length ? `, ${columns.join(', ')}` : ''}
  FROM (${batchSelectSql(source, d, span)}) GROUP BY epoch_us(ts), ts ORDER BY epoch_us(ts)`;
  await connection.run(`COPY (${select}) TO ${sqlString(tmp)} (FORMAT csv, HEADER true)`);
}

let attached = 0;

/**
 * One DuckDB database per batch: table `samples` in the long layout of the Parquet file and
 * table `metadata` (key, value) with the same parx.* keys. Detached before the rename, so no
 * other connection ever sees it half-written.
 */
export async function writeDuckDb(connection: DuckDBConnection, source: string, tmp: string, d: BatchDescriptor, c: BatchClose, span: Span): Promise<void> {
  const db = `parx_out_${++attached}`;
  await connection.run(`ATTACH ${sqlString(tmp)} AS ${db}`);
  try {
    await connection.run(`CREATE TABLE ${db}.samples AS ${batchSelectSql(source, d, span)}`);
    const rows = Object.entries(batchMetadata(d, c)).map(([k, v]) => `(${sqlString(k)}, ${sqlString(v)})`);
    await connection.run(`CREATE TABLE ${db}.metadata (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`);
    await connection.run(`INSERT INTO ${db}.metadata VALUES ${rows.join(', ')}`);
  } finally {
    await connection.run(`DETACH DATABASE IF EXISTS ${db}`);
  }
}
