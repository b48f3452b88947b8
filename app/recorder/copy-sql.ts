/**
 * The SQL that turns staged samples (ts DOUBLE ms, signal UINTEGER id, value, quality) into
 * a batch file: names for ids, the length index, the sort, the metadata. Pure text so it can
 * be read and tested; DuckDB does the heavy lifting vectorised.
 */
import type { BatchClose, BatchDescriptor, Compression } from './format';
import { batchMetadata } from './format';

/** The staged columns, in table order; the appender and every staging part use exactly these. */
export const STAGE_COLUMNS = 'ts DOUBLE, signal UINTEGER, value DOUBLE, quality UTINYINT';

export const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

const COMPRESSION: Record<Compression, string> = { zstd: 'zstd', snappy: 'snappy', none: 'uncompressed' };

/** `[ 'a', 'b', NULL, … ]` indexed by id + 1: a projection, not a join, so it keeps the sort. */
function nameList(d: BatchDescriptor): string {
  const max = d.signals.reduce((m, s) => Math.max(m, s.id), -1);
  const names: (string | null)[] = Array.from({ length: max + 1 }, () => null);
  for (const s of d.signals) names[s.id] = s.name;
  return `(CAST([${names.map((n) => (n === null ? 'NULL' : sqlString(n))).join(', ')}] AS VARCHAR[]))`;
}

/** A sample counts for the length index when it has a finite value and is not bad. */
const USABLE = 'quality <> 3 AND isfinite(value)';

function lengthCtes(d: BatchDescriptor): { ctes: string; join: string; column: string } {
  const li = d.lengthIndex;
  const ref = li ? d.signals.find((s) => s.name === li.signal) : undefined;
  if (!li || !ref) return { ctes: '', join: '', column: '' };
  if (li.from === 'length') {
    // Zero-order hold: the latest usable length reading at or before the row's time.
    return {
      ctes: `, len AS (SELECT ts, value AS l FROM src WHERE signal = ${ref.id} AND ${USABLE})`,
      join: 'ASOF LEFT JOIN len ON src.ts >= len.ts',
      column: ', len.l AS length_m',
    };
  }
  // Speed in m/min, held until the next usable reading, integrated from 0 at the first one:
  // l(t) = L(t_k) + v_k · (t − t_k) / 60000 for the last reading k at or before t.
  return {
    ctes:
      `, spd0 AS (SELECT ts, value AS v, lag(value) OVER w * (ts - lag(ts) OVER w) / 60000.0 AS dl FROM src WHERE signal = ${ref.id} AND ${USABLE} WINDOW w AS (ORDER BY ts))` +
      `, spd AS (SELECT ts, v, coalesce(sum(dl) OVER (ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS l FROM spd0)`,
    join: 'ASOF LEFT JOIN spd ON src.ts >= spd.ts',
    column: ', spd.l + spd.v * (src.ts - spd.ts) / 60000.0 AS length_m',
  };
}

/** 2^44 µs ≈ 203 days: a batch shorter than that sorts on one 64-bit key (signal << 44 | µs since its first sample); signal ids below 2^20. */
const KEY_SPAN_US = 2 ** 44;

/**
 * The COPY statement. `source` is a relation with the staged columns; `spanUs` the batch's
 * time span (max − min ts, in µs) and `minTs` its first ts, which choose the sort key.
 */
export function copyBatchSql(source: string, target: string, d: BatchDescriptor, c: BatchClose, span: Span): string {
  const meta = Object.entries(batchMetadata(d, c))
    .map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`)
    .join(', ');
  return `COPY (\n${batchSelectSql(source, d, span)}\n) TO ${sqlString(target)} (FORMAT parquet, COMPRESSION ${COMPRESSION[d.compression]}, KV_METADATA {${meta}})`;
}

/** The batch's first time and span; `presorted` when the source rows already are in the file's order. */
export interface Span {
  readonly minTs: number;
  readonly spanUs: number;
  readonly presorted?: boolean;
}

/** The rows of a batch file in the long layout (ts, signal name, value, quality, length_m?), sorted by signal then time: every format writes these. */
export function batchSelectSql(source: string, d: BatchDescriptor, span: Span): string {
  const length = lengthCtes(d);
  // Rows already in order go through as they are: DuckDB keeps a scan's order (preserve_insertion_order).
  // The length index's ASOF join need not keep it, so a batch with one is sorted anyway.
  if (span.presorted && !length.join) {
    return `  SELECT make_timestamptz(CAST(round(src.ts * 1000) AS BIGINT)) AS ts,
         coalesce(${nameList(d)}[src.signal + 1], '#' || src.signal) AS signal,
         src.value AS value,
         src.quality AS quality
  FROM ${source} AS src`;
  }
  // One rounding microsecond of slack: the key is built from each row's rounded time.
  if (span.spanUs + 2 < KEY_SPAN_US) return keyedSelectSql(source, d, span.minTs, length);
  return `  WITH src AS (SELECT * FROM ${source})${length.ctes}
  SELECT make_timestamptz(CAST(round(src.ts * 1000) AS BIGINT)) AS ts,
         coalesce(${nameList(d)}[src.signal + 1], '#' || src.signal) AS signal,
         src.value AS value,
         src.quality AS quality${length.column}
  FROM src ${length.join}
  ORDER BY src.signal, src.ts`;
}

/**
 * The sort carries only one 64-bit key (signal << 44 | µs since the first sample) and the
 * value and quality: time and signal come back out of the key after it, and the name is
 * looked up on the sorted rows (a projection keeps their order). A narrow sort is about twice
 * as fast as sorting whole rows and needs about half the memory, which is what a close costs.
 * The key's time is each row's own rounded µs minus the first one's (computed the same way,
 * as DOUBLE), so the written time equals `round(ts · 1000)` µs exactly.
 */
function keyedSelectSql(source: string, d: BatchDescriptor, minTs: number, length: { ctes: string; join: string; column: string }): string {
  const minUs = `CAST(round(CAST(${minTs} AS DOUBLE) * 1000) AS BIGINT)`;
  const key = `(CAST(src.signal AS UBIGINT) << 44) + CAST(CAST(round(src.ts * 1000) AS BIGINT) - ${minUs} AS UBIGINT)`;
  const lengthColumn = length.column ? ', length_m' : '';
  return `  WITH src AS (SELECT * FROM ${source})${length.ctes}
  SELECT make_timestamptz(CAST(k & ${KEY_SPAN_US - 1} AS BIGINT) + ${minUs}) AS ts,
         coalesce(${nameList(d)}[CAST(k >> 44 AS BIGINT) + 1], '#' || (k >> 44)) AS signal,
         value,
         quality${lengthColumn}
  FROM (SELECT k, value, quality${lengthColumn} FROM (SELECT ${key} AS k, src.value AS value, src.quality AS quality${length.column} FROM src ${length.join}) ORDER BY k)`;
}
