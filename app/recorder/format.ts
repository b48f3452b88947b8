/**
 * The ParX batch file format, version 1 (docs/file-format.md): what a batch file says about
 * itself, and where it lives. Pure: the writer and the recovery both build from here, so a
 * recovered file cannot describe itself differently from a normally closed one.
 */
import path from 'node:path';

export const FORMAT_VERSION = 1;

export type Compression = 'zstd' | 'snappy' | 'none';
/** The file a batch closes into; staging is Parquet whatever this says. */
export type BatchFormat = 'parquet' | 'csv' | 'duckdb';
export const BATCH_EXTENSIONS: Record<BatchFormat, string> = { parquet: '.parquet', csv: '.csv', duckdb: '.duckdb' };
export type BatchStatus = 'complete' | 'recovered';

/** One signal as a batch file describes it (`parx.signals`); snake_case because readers outside ParX see it. */
export interface SignalDescriptor {
  readonly name: string;
  readonly unit: string;
  readonly description: string;
  readonly source: { readonly connection: string; readonly address: string };
  readonly data_type: 'double';
  readonly scale: number;
  readonly offset: number;
  readonly timebase_ms: number;
}

/** How the `length_m` column is derived, when it is. */
export type LengthIndex = { readonly from: 'length'; readonly signal: string } | { readonly from: 'speed'; readonly signal: string };

/** Everything known when a batch opens; kept beside the staged data so a crash loses none of it. */
export interface BatchDescriptor {
  readonly id: string;
  readonly line: string;
  readonly coil: string | null;
  /** ms since the epoch. */
  readonly start: number;
  readonly openedBy: string;
  /** By the numeric id the samples carry. */
  readonly signals: readonly (SignalDescriptor & { readonly id: number })[];
  readonly lengthIndex: LengthIndex | null;
  readonly compression: Compression;
  /** Parquet when absent (descriptors staged before formats existed). */
  readonly format?: BatchFormat;
}

export interface BatchClose {
  readonly end: number;
  readonly closedBy: string;
  readonly status: BatchStatus;
  /** The coil id when it became known only after the batch opened. */
  readonly coil?: string | null;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/** The Parquet key-value metadata of a batch file: every value a string, JSON where structured. */
export function batchMetadata(d: BatchDescriptor, c: BatchClose): Record<string, string> {
  const coil = c.coil !== undefined ? c.coil : d.coil;
  return {
    'parx.format_version': String(FORMAT_VERSION),
    'parx.batch_id': d.id,
    'parx.coil_id': coil ?? '',
    'parx.line': d.line,
    'parx.start': iso(d.start),
    'parx.end': iso(c.end),
    'parx.opened_by': d.openedBy,
    'parx.closed_by': c.closedBy,
    'parx.status': c.status,
    'parx.signals': JSON.stringify(d.signals.map(({ id: _id, ...s }) => s)),
    'parx.length_index': d.lengthIndex ? JSON.stringify(d.lengthIndex) : '',
    'parx.quality_codes': JSON.stringify({ 0: 'good', 1: 'uncertain', 2: 'stale', 3: 'bad' }),
  };
}

/** A name safe in a path on every OS and in a hive partition value: anything else becomes `_`. */
export function safeName(s: string): string {
  const cleaned = s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return cleaned.length > 0 ? cleaned.slice(0, 120) : '_';
}

/** `2026-03-29T06-00-00.000Z`: sortable, readable, legal in file names (no colons). */
export function stamp(ms: number): string {
  return iso(ms).replace(/:/g, '-');
}

/** The file name of a closed batch: its id, and its coil when it has one. */
export function batchFileName(id: string, coil: string | null, format: BatchFormat = 'parquet'): string {
  return `${safeName(id)}${coil ? `_coil-${safeName(coil)}` : ''}${BATCH_EXTENSIONS[format]}`;
}

/**
 * `<recordings>/line=<line>/date=<YYYY-MM-DD>/<file>` — hive partitions, so
 * `read_parquet('<recordings>/**\/*.parquet', hive_partitioning=true)` reads every batch as
 * one table with `line` and `date` columns. The date is the UTC date of the batch start.
 */
export function batchPath(recordings: string, d: Pick<BatchDescriptor, 'id' | 'line' | 'start' | 'format'>, coil: string | null): string {
  return path.join(recordings, `line=${safeName(d.line)}`, `date=${iso(d.start).slice(0, 10)}`, batchFileName(d.id, coil, d.format));
}

/** Staging for open batches: outside the partitions, and its parts are not named *.parquet, so no glob picks them up. */
export const STAGING_DIR = '.staging';

export function stagingDir(recordings: string, id: string): string {
  return path.join(recordings, STAGING_DIR, safeName(id));
}
