/**
 * Writes the final batch file from staged samples: COPY to `<file>.tmp`, fsync, rename.
 * Shared by a normal close and by recovery, so both produce the same format.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { queryRows, type DuckDBConnection } from '../../native/duckdb';
import { copyBatchSql } from './copy-sql';
import { batchPath, type BatchDescriptor, type BatchStatus } from './format';
import { publish } from './durable';

export interface BatchFileInfo {
  readonly id: string;
  readonly file: string;
  readonly coil: string | null;
  readonly rows: number;
  readonly start: number;
  readonly end: number;
  readonly status: BatchStatus;
  readonly bytes: number;
}

export interface FinalClose {
  readonly closedBy: string;
  readonly status: BatchStatus;
  /** ms; the last sample's time when omitted. */
  readonly end?: number;
  readonly coil?: string | null;
}

export async function writeBatchFile(connection: DuckDBConnection, recordings: string, d: BatchDescriptor, source: string, close: FinalClose): Promise<BatchFileInfo> {
  const [stats] = await queryRows(connection, `SELECT count(*) AS n, min(ts) AS lo, max(ts) AS hi FROM ${source}`);
  const rows = Number(stats?.n ?? 0);
  const lo = typeof stats?.lo === 'number' ? stats.lo : d.start;
  const hi = typeof stats?.hi === 'number' ? stats.hi : d.start;
  const coil = close.coil !== undefined ? close.coil : d.coil;
  const end = close.end ?? Math.max(hi, d.start);
  const file = batchPath(recordings, d, coil);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  await connection.run(copyBatchSql(source, tmp, d, { end, closedBy: close.closedBy, status: close.status, coil }, { minTs: lo, spanUs: (hi - lo) * 1000 }));
  await publish(tmp, file);
  const { size } = await fs.stat(file);
  return { id: d.id, file, coil, rows, start: d.start, end, status: close.status, bytes: size };
}
