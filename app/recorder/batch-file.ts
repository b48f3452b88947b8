/**
 * Writes the final batch file from staged samples: COPY to `<file>.tmp`, fsync, rename.
 * Shared by a normal close and by recovery, so both produce the same format.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { queryRows, type DuckDBConnection } from '../../native/duckdb';
import { batchPath, type BatchDescriptor, type BatchFormat, type BatchStatus } from './format';
import { publish } from './durable';
import { writeCsv, writeDuckDb, writeParquet } from './writers';
import type { KnownStats } from './sample-stats';

/** Per signal over a batch: samples written, and min/max/mean of the usable ones (finite, not bad). */
export interface SignalStats {
  readonly signal: string;
  readonly count: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
}

export interface BatchFileInfo {
  readonly id: string;
  readonly file: string;
  readonly coil: string | null;
  readonly rows: number;
  readonly start: number;
  readonly end: number;
  readonly status: BatchStatus;
  readonly bytes: number;
  /** Absent in results from before formats and stats existed; filled by every close now. */
  readonly format?: BatchFormat;
  readonly line?: string;
  readonly openedBy?: string;
  readonly closedBy?: string;
  readonly signals?: readonly SignalStats[];
}

export interface FinalClose {
  readonly closedBy: string;
  readonly status: BatchStatus;
  /** ms; the last sample's time when omitted. */
  readonly end?: number;
  readonly coil?: string | null;
}

/**
 * `known`: the figures gathered while the samples were appended (see sample-stats.ts); without
 * them (recovery, imports) two passes over `source` find them. `presorted`: `source` is already
 * in the file's order (signal, then time), so no sort is run (see sorted-parts.ts).
 */
export async function writeBatchFile(connection: DuckDBConnection, recordings: string, d: BatchDescriptor, source: string, close: FinalClose, known?: KnownStats | null, presorted = false): Promise<BatchFileInfo> {
  const [stats] = known ? [{ n: known.rows, lo: known.rows > 0 ? known.minTs : null, hi: known.rows > 0 ? known.maxTs : null }] : await queryRows(connection, `SELECT count(*) AS n, min(ts) AS lo, max(ts) AS hi FROM ${source}`);
  const rows = Number(stats?.n ?? 0);
  const lo = typeof stats?.lo === 'number' ? stats.lo : d.start;
  const hi = typeof stats?.hi === 'number' ? stats.hi : d.start;
  const coil = close.coil !== undefined ? close.coil : d.coil;
  const end = close.end ?? Math.max(hi, d.start);
  const file = batchPath(recordings, d, coil);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  const c = { end, closedBy: close.closedBy, status: close.status, coil };
  const span = { minTs: lo, spanUs: (hi - lo) * 1000, presorted };
  const format = d.format ?? 'parquet';
  await fs.rm(tmp, { force: true });
  if (format === 'csv') await writeCsv(connection, source, tmp, d, span);
  else if (format === 'duckdb') await writeDuckDb(connection, source, tmp, d, c, span);
  else await writeParquet(connection, source, tmp, d, c, span);
  const signals = known ? [...known.signals] : await signalStats(connection, source, d);
  await publish(tmp, file);
  const { size } = await fs.stat(file);
  return { id: d.id, file, coil, rows, start: d.start, end, status: close.status, bytes: size, format, line: d.line, openedBy: d.openedBy, closedBy: close.closedBy, signals };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'bigint' ? Number(v) : null);

/** One pass over the staged rows for the catalog, so it never has to re-read a file it was told about. */
export async function signalStats(connection: DuckDBConnection, source: string, d: BatchDescriptor): Promise<SignalStats[]> {
  const names = new Map(d.signals.map((s) => [s.id, s.name]));
  const rows = await queryRows(
    connection,
    `SELECT signal, count(*)::BIGINT AS n, min(value) FILTER (WHERE quality <> 3 AND isfinite(value)) AS lo,
            max(value) FILTER (WHERE quality <> 3 AND isfinite(value)) AS hi, avg(value) FILTER (WHERE quality <> 3 AND isfinite(value)) AS mean
     FROM ${source} GROUP BY signal ORDER BY signal`,
  );
  return rows.map((r) => ({ signal: names.get(Number(r.signal)) ?? `#${String(r.signal)}`, count: Number(r.n), min: num(r.lo), max: num(r.hi), mean: num(r.mean) }));
}
