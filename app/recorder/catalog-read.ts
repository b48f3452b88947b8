/**
 * What the catalog learns from a batch file it was not told about (copied in, recovered
 * while the catalog was down, written by an older ParX): the parx.* metadata where the
 * format carries it (Parquet key-value metadata, the DuckDB `metadata` table), the folder
 * layout and the rows themselves otherwise (CSV).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { queryRows, type DuckDBConnection } from '../../native/duckdb';
import type { BatchFileInfo, SignalStats } from './batch-file';
import { sqlString } from './copy-sql';
import type { BatchFormat, BatchStatus } from './format';

const USABLE = 'quality <> 3 AND isfinite(value)';
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'bigint' ? Number(v) : null);

async function stats(connection: DuckDBConnection, relation: string): Promise<SignalStats[]> {
  const rows = await queryRows(
    connection,
    `SELECT signal, count(*)::DOUBLE AS n, min(value) FILTER (WHERE ${USABLE}) AS lo, max(value) FILTER (WHERE ${USABLE}) AS hi, avg(value) FILTER (WHERE ${USABLE}) AS mean
     FROM ${relation} GROUP BY signal ORDER BY signal`,
  );
  return rows.map((r) => ({ signal: String(r.signal), count: Number(r.n), min: num(r.lo), max: num(r.hi), mean: num(r.mean) }));
}

/** `line=<line>/date=<d>/<id>[_coil-<coil>].<ext>` — the names the writer gives (format.ts). */
function fromPath(folder: string, file: string): { id: string; coil: string | null; line: string } {
  const parts = path.relative(folder, file).split(path.sep);
  const line = parts.find((p) => p.startsWith('line='))?.slice(5) ?? '';
  const stem = path.basename(file, path.extname(file));
  const at = stem.indexOf('_coil-');
  return at >= 0 ? { id: stem.slice(0, at), coil: stem.slice(at + 6), line } : { id: stem, coil: null, line };
}

function fromMeta(meta: Record<string, string>, fallback: ReturnType<typeof fromPath>, span: { lo: number; hi: number }) {
  const when = (k: string, d: number): number => {
    const t = Date.parse(meta[k] ?? '');
    return Number.isFinite(t) ? t : d;
  };
  return {
    id: meta['parx.batch_id'] || fallback.id,
    coil: meta['parx.coil_id'] !== undefined ? meta['parx.coil_id'] || null : fallback.coil,
    line: meta['parx.line'] || fallback.line,
    start: when('parx.start', span.lo),
    end: when('parx.end', span.hi),
    status: (meta['parx.status'] === 'recovered' ? 'recovered' : 'complete') as BatchStatus,
    openedBy: meta['parx.opened_by'] ?? '',
    closedBy: meta['parx.closed_by'] ?? '',
  };
}

async function span(connection: DuckDBConnection, relation: string): Promise<{ rows: number; lo: number; hi: number }> {
  const [r] = await queryRows(connection, `SELECT count(*)::DOUBLE AS n, epoch_ms(min(ts))::DOUBLE AS lo, epoch_ms(max(ts))::DOUBLE AS hi FROM ${relation}`);
  return { rows: Number(r?.n ?? 0), lo: num(r?.lo) ?? 0, hi: num(r?.hi) ?? 0 };
}

let attached = 0;

export async function readBatchFile(connection: DuckDBConnection, folder: string, file: string): Promise<BatchFileInfo> {
  const { size } = await fs.stat(file);
  const guess = fromPath(folder, file);
  const f = sqlString(file);
  const ext = path.extname(file);
  const format: BatchFormat = ext === '.csv' ? 'csv' : ext === '.duckdb' ? 'duckdb' : 'parquet';
  if (format === 'parquet') {
    const meta = Object.fromEntries((await queryRows(connection, `SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata(${f})`)).map((r) => [String(r.k), String(r.v)]));
    const rel = `read_parquet(${f})`;
    const s = await span(connection, rel);
    return { ...fromMeta(meta, guess, s), file, rows: s.rows, bytes: size, format, signals: await stats(connection, rel) };
  }
  if (format === 'duckdb') {
    const db = `parx_read_${++attached}`;
    await connection.run(`ATTACH ${f} AS ${db} (READ_ONLY)`);
    try {
      const meta = Object.fromEntries((await queryRows(connection, `SELECT key, value FROM ${db}.metadata`)).map((r) => [String(r.key), String(r.value)]));
      const s = await span(connection, `${db}.samples`);
      return { ...fromMeta(meta, guess, s), file, rows: s.rows, bytes: size, format, signals: await stats(connection, `${db}.samples`) };
    } finally {
      await connection.run(`DETACH DATABASE IF EXISTS ${db}`);
    }
  }
  // CSV: wide, `name [unit]` columns; back to long rows to count and summarise (empty cells are no sample).
  const long = `(SELECT ts::TIMESTAMPTZ AS ts, regexp_replace(signal, ' \\[[^\\]]*\\]$', '') AS signal, value::DOUBLE AS value, 0 AS quality
     FROM (UNPIVOT (SELECT * EXCLUDE (length_m) FROM read_csv(${f}, header = true, all_varchar = true, hive_partitioning = false)) ON COLUMNS(* EXCLUDE (ts)) INTO NAME signal VALUE value) WHERE value <> '')`;
  const withoutLength = long.replace(' EXCLUDE (length_m)', '');
  const columns = (await queryRows(connection, `DESCRIBE SELECT * FROM read_csv(${f}, header = true, all_varchar = true, hive_partitioning = false)`)).map((r) => String(r.column_name));
  const rel = columns.includes('length_m') ? long : withoutLength;
  const s = await span(connection, rel);
  return { ...fromMeta({}, guess, s), file, rows: s.rows, bytes: size, format, signals: await stats(connection, rel) };
}
