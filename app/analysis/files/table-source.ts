/**
 * A foreign table, CSV or Parquet, as a header, a preview and a stream of rows with their
 * line numbers. CSV through papaparse (streamed, so a large file does not block the engine);
 * Parquet through DuckDB, with timestamps turned into ms and numbers into doubles.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { openDuckDB, queryRows, type DuckDBConnection } from '../../../native/duckdb';
import { sqlString } from '../../recorder/copy-sql';
import type { Cell } from './detect';

export class TableError extends Error {
  override readonly name = 'TableError';
}

export type TableFormat = 'csv' | 'parquet';

export interface TableHead {
  readonly format: TableFormat;
  readonly header: string[];
  /** Column types the file declares (Parquet), by name. */
  readonly declared: Record<string, string>;
  readonly preview: Cell[][];
  readonly rows: number;
  /** The file's own parx.* metadata, when it has some (a ParX batch file). */
  readonly parx: boolean;
}

export interface RowSink {
  /** `line`: 1-based line (CSV, header = 1) or row number + 1 (Parquet). */
  row(cells: Cell[], line: number): void;
  progress(done: number, total: number): void;
  /** A row that could not be parsed at all (CSV: unbalanced quotes …). */
  bad(line: number, reason: string): void;
}

export function formatOf(file: string): TableFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.parquet' || ext === '.parq') return 'parquet';
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv' || ext === '.dat') return 'csv';
  throw new TableError(`${path.basename(file)}: only CSV (.csv, .txt, .tsv) and Parquet (.parquet) files can be opened`);
}

async function checkFile(file: string): Promise<number> {
  const st = await fsp.stat(file).catch(() => null);
  if (!st) throw new TableError(`${file} does not exist`);
  if (!st.isFile()) throw new TableError(`${file} is a folder: name a file (open a folder of ParX files with Open instead)`);
  return st.size;
}

export async function readHead(file: string): Promise<TableHead> {
  const size = await checkFile(file);
  return formatOf(file) === 'csv' ? csvHead(file, size) : parquetHead(file, size);
}

export async function readRows(file: string, sink: RowSink, signal?: AbortSignal): Promise<void> {
  const size = await checkFile(file);
  return formatOf(file) === 'csv' ? csvRows(file, size, sink, signal) : parquetRows(file, sink, signal);
}

// ---------- CSV ----------

async function csvHead(file: string, size: number): Promise<TableHead> {
  if (size === 0) throw new TableError(`${path.basename(file)} is empty (0 bytes): nothing to load`);
  const h = await fsp.open(file, 'r');
  let text: string;
  try {
    const buf = Buffer.alloc(Math.min(size, 256 * 1024));
    await h.read(buf, 0, buf.length, 0);
    text = buf.toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    await h.close();
  }
  // Drop a partial last line when we only read the start of the file.
  if (size > text.length) text = text.slice(0, text.lastIndexOf('\n') + 1);
  const parsed = Papa.parse<string[]>(text, { preview: 201, skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  if (!header || header.every((h) => h.trim() === '')) throw new TableError(`${path.basename(file)} has no header line`);
  return { format: 'csv', header: header.map((h, i) => h.trim() || `column ${i + 1}`), declared: {}, preview: rows.slice(0, 200), rows: Math.max(0, (await countLines(file)) - 1), parx: false };
}

/** Non-empty lines, counted on bytes (fast, no parsing). */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  let lastWasNewline = true;
  let content = false;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === 10) {
        if (content) lines++;
        content = false;
        lastWasNewline = true;
      } else if (b !== 13 && b !== 32) {
        content = true;
        lastWasNewline = false;
      }
    }
  }
  if (content && !lastWasNewline) lines++;
  return lines;
}

function csvRows(file: string, size: number, sink: RowSink, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let line = 0;
    let header = true;
    let lastProgress = 0;
    const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 18 });
    const onAbort = (): void => {
      stream.destroy();
      reject(new DOMException('cancelled', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    Papa.parse<string[]>(stream as unknown as NodeJS.ReadableStream, {
      skipEmptyLines: false,
      step: (r) => {
        line++;
        const cells = r.data;
        if (cells.length === 1 && (cells[0] ?? '').trim() === '') return;
        if (header) {
          header = false;
          return;
        }
        if (r.errors.length > 0 && r.errors.some((e) => e.type === 'Quotes')) {
          sink.bad(line, r.errors[0]?.message ?? 'unreadable row');
          return;
        }
        sink.row(cells, line);
        const at = r.meta.cursor;
        if (at - lastProgress > 1 << 20) {
          lastProgress = at;
          sink.progress(Math.min(at, size), size);
        }
      },
      complete: () => {
        signal?.removeEventListener('abort', onAbort);
        sink.progress(size, size);
        resolve();
      },
      error: (e: Error) => reject(new TableError(`${path.basename(file)}: ${e.message}`)),
    });
  });
}

// ---------- Parquet ----------

/** What DuckDB says when a file is not (or no longer) a whole Parquet file, in words a user can act on. */
function parquetProblem(file: string, e: unknown): TableError {
  const msg = (e as Error).message.split('\n')[0] ?? '';
  const name = path.basename(file);
  if (/magic|too small|footer|metadata|Invalid Input|corrupt|truncated|out of range|Parquet/i.test(msg))
    return new TableError(`${name} is not a readable Parquet file — it looks truncated or corrupt (${msg.replace(/^.*Error:\s*/, '')}). Nothing could be loaded from it; if it was still being copied or written, copy it again.`);
  return new TableError(`${name}: ${msg}`);
}

const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

async function describe(c: DuckDBConnection, file: string): Promise<{ name: string; type: string }[]> {
  const rows = await queryRows(c, `DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`);
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}

/** Every column as a JS number or string: timestamps as ms, numbers as doubles. */
function projection(cols: { name: string; type: string }[]): string {
  return cols
    .map((c) => {
      const id = quoteIdent(c.name);
      if (/TIMESTAMP|DATE/i.test(c.type)) return `epoch_us(CAST(${id} AS TIMESTAMPTZ)) / 1000.0 AS ${id}`;
      if (/INT|DOUBLE|FLOAT|DECIMAL|REAL|NUMERIC|HUGEINT/i.test(c.type)) return `CAST(${id} AS DOUBLE) AS ${id}`;
      if (/BOOL/i.test(c.type)) return `CAST(${id} AS DOUBLE) AS ${id}`;
      return `CAST(${id} AS VARCHAR) AS ${id}`;
    })
    .join(', ');
}

const toCell = (v: unknown): Cell => (v === null || v === undefined ? null : typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : String(v));

async function parquetHead(file: string, size: number): Promise<TableHead> {
  if (size === 0) throw new TableError(`${path.basename(file)} is empty (0 bytes): nothing to load`);
  const db = await openDuckDB(':memory:');
  try {
    const src = `read_parquet(${sqlString(file)})`;
    let cols: { name: string; type: string }[];
    let rows: number;
    let parx = false;
    try {
      cols = await describe(db.connection, file);
      const [n] = await queryRows(db.connection, `SELECT num_rows FROM parquet_file_metadata(${sqlString(file)})`);
      rows = Number(n?.num_rows ?? 0);
      const kv = await queryRows(db.connection, `SELECT decode(key) AS k FROM parquet_kv_metadata(${sqlString(file)}) WHERE decode(key) = 'parx.format_version'`);
      parx = kv.length > 0;
    } catch (e) {
      throw parquetProblem(file, e);
    }
    let preview: Cell[][] = [];
    try {
      const r = await db.connection.runAndReadAll(`SELECT ${projection(cols)} FROM ${src} LIMIT 200`);
      preview = (r.getRows() as unknown[][]).map((row) => row.map(toCell));
    } catch (e) {
      throw parquetProblem(file, e);
    }
    const timeCols = new Set(cols.filter((c) => /TIMESTAMP|DATE/i.test(c.type)).map((c) => c.name));
    // The preview shows times as text; the import works on ms.
    preview = preview.map((row) => row.map((v, i) => (timeCols.has(cols[i]?.name ?? '') && typeof v === 'number' ? new Date(v).toISOString() : v)));
    return { format: 'parquet', header: cols.map((c) => c.name), declared: Object.fromEntries(cols.map((c) => [c.name, c.type])), preview, rows, parx };
  } finally {
    db.close();
  }
}

async function parquetRows(file: string, sink: RowSink, signal?: AbortSignal): Promise<void> {
  const db = await openDuckDB(':memory:');
  try {
    let total = 0;
    let result;
    try {
      const cols = await describe(db.connection, file);
      const [n] = await queryRows(db.connection, `SELECT num_rows FROM parquet_file_metadata(${sqlString(file)})`);
      total = Number(n?.num_rows ?? 0);
      result = await db.connection.stream(`SELECT ${projection(cols)} FROM read_parquet(${sqlString(file)})`);
    } catch (e) {
      throw parquetProblem(file, e);
    }
    let line = 1;
    for (;;) {
      if (signal?.aborted) throw new DOMException('cancelled', 'AbortError');
      let chunk;
      try {
        chunk = await result.fetchChunk();
      } catch (e) {
        // A file cut short mid-way: what came before is kept, and the user is told where it stopped.
        sink.bad(line + 1, `the file is damaged from row ${line} on: ${parquetProblem(file, e).message}`);
        return;
      }
      if (!chunk || chunk.rowCount === 0) break;
      for (const row of chunk.getRows() as unknown[][]) sink.row(row.map(toCell), ++line);
      sink.progress(line - 1, total);
      // Let other requests through between chunks.
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    db.close();
  }
}
