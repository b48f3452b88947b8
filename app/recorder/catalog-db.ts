/**
 * The catalog: one DuckDB file in the workspace indexing every batch file — who, when, how
 * big, and per signal min/max/mean/count — so the app lists a thousand coils in one query
 * and SQL runs across batches without opening them. Runs only inside the catalog worker,
 * which owns the file (see STACK-FACTS: one DuckDB instance per file per process).
 * The folder stays the truth: `reconcile` adds files the catalog does not know and drops
 * entries whose file is gone.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { openDuckDB, queryRows, type DuckDBConnection } from '../../native/duckdb';
import type { BatchFileInfo, SignalStats } from './batch-file';
import { sqlString } from './copy-sql';
import { BATCH_EXTENSIONS, STAGING_DIR, type BatchFormat } from './format';
import { readBatchFile } from './catalog-read';

export interface CatalogBatch {
  readonly id: string;
  readonly file: string;
  readonly format: string;
  readonly line: string;
  readonly coil: string | null;
  readonly shift: string | null;
  readonly start: number;
  readonly end: number;
  readonly durationS: number;
  readonly bytes: number;
  readonly rows: number;
  readonly status: string;
  readonly openedBy: string;
  readonly closedBy: string;
}

export interface BatchFilter {
  readonly line?: string;
  /** A substring of the coil id, case-insensitive. */
  readonly coil?: string;
  /** ms: batches overlapping [from, to]. */
  readonly from?: number;
  readonly to?: number;
  readonly offset?: number;
  readonly limit?: number;
}

export interface ReconcileReport {
  readonly added: string[];
  readonly removed: string[];
  readonly problems: { readonly file: string; readonly message: string }[];
}

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS batches (
     file VARCHAR PRIMARY KEY, batch_id VARCHAR NOT NULL, format VARCHAR NOT NULL, line VARCHAR NOT NULL, coil_id VARCHAR, shift VARCHAR,
     start TIMESTAMPTZ NOT NULL, "end" TIMESTAMPTZ NOT NULL, duration_s DOUBLE NOT NULL, bytes BIGINT NOT NULL, rows BIGINT NOT NULL,
     status VARCHAR NOT NULL, opened_by VARCHAR NOT NULL, closed_by VARCHAR NOT NULL, indexed_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
  `CREATE TABLE IF NOT EXISTS signal_stats (
     file VARCHAR NOT NULL, signal VARCHAR NOT NULL, count BIGINT NOT NULL, min DOUBLE, max DOUBLE, mean DOUBLE, PRIMARY KEY (file, signal))`,
  'CREATE INDEX IF NOT EXISTS batches_start ON batches (start)',
];

const lit = (v: number | null): string => (v === null || !Number.isFinite(v) ? 'NULL' : String(v));
const ts = (ms: number): string => `make_timestamptz(${Math.round(ms * 1000)}::BIGINT)`;
const str = (s: string | null | undefined): string => (s === null || s === undefined ? 'NULL' : sqlString(s));

/** The shift a shift rule opened the batch for (`shift change at …`), else null. */
export function shiftOf(openedBy: string): string | null {
  const m = /shift (?:change )?at (\S+)/i.exec(openedBy);
  return m?.[1] ?? null;
}

const COLUMNS = `file, batch_id AS id, format, line, coil_id AS coil, shift, epoch_ms(start)::DOUBLE AS start, epoch_ms("end")::DOUBLE AS "end",
  duration_s AS durationS, bytes::DOUBLE AS bytes, rows::DOUBLE AS rows, status, opened_by AS openedBy, closed_by AS closedBy`;

/**
 * Closed batch files under `folder`: only in the documented `line=…/date=…` layout, never in
 * staging or another hidden folder, never a half-written .tmp. The layout rule matters because
 * retention deletes what this lists: a workspace kept inside the recordings folder (`parx
 * record … --out DIR` keeps it in DIR/.parx) holds catalog.duckdb, which is no batch.
 */
export async function batchFilesIn(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  const exts = Object.values(BATCH_EXTENSIONS);
  return entries
    .filter((e) => e.isFile() && exts.some((x) => e.name.endsWith(x)))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => {
      const dirs = path.relative(folder, f).split(path.sep).slice(0, -1);
      return dirs.some((d) => d.startsWith('line=')) && !dirs.some((d) => d === STAGING_DIR || d.startsWith('.'));
    })
    .sort();
}

export class Catalog {
  private constructor(
    private readonly connection: DuckDBConnection,
    private readonly closeDb: () => void,
  ) {}

  static async open(file: string): Promise<Catalog> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const db = await openDuckDB(file);
    for (const sql of SCHEMA) await db.connection.run(sql);
    return new Catalog(db.connection, db.close);
  }

  /** Indexes batch files (replacing what was known about them), in one transaction of a few statements. */
  async add(infos: readonly BatchFileInfo[]): Promise<void> {
    if (infos.length === 0) return;
    const rows = infos.map((info) => {
      const openedBy = info.openedBy ?? '';
      const format: BatchFormat = info.format ?? 'parquet';
      return `(${sqlString(info.file)}, ${sqlString(info.id)}, ${sqlString(format)}, ${sqlString(info.line ?? '')}, ${str(info.coil)}, ${str(shiftOf(openedBy))},
        ${ts(info.start)}, ${ts(info.end)}, ${lit((info.end - info.start) / 1000)}, ${info.bytes}, ${info.rows}, ${sqlString(info.status)}, ${sqlString(openedBy)}, ${sqlString(info.closedBy ?? '')})`;
    });
    const stats = infos.flatMap((info) => (info.signals ?? []).map((s: SignalStats) => `(${sqlString(info.file)}, ${sqlString(s.signal)}, ${s.count}, ${lit(s.min)}, ${lit(s.max)}, ${lit(s.mean)})`));
    await this.connection.run('BEGIN TRANSACTION');
    try {
      await this.remove(infos.map((i) => i.file));
      await this.connection.run(`INSERT INTO batches (file, batch_id, format, line, coil_id, shift, start, "end", duration_s, bytes, rows, status, opened_by, closed_by) VALUES ${rows.join(', ')}`);
      for (let i = 0; i < stats.length; i += 5000) await this.connection.run(`INSERT INTO signal_stats VALUES ${stats.slice(i, i + 5000).join(', ')}`);
      await this.connection.run('COMMIT');
    } catch (e) {
      await this.connection.run('ROLLBACK');
      throw e;
    }
  }

  async remove(files: readonly string[]): Promise<void> {
    if (files.length === 0) return;
    const list = files.map(sqlString).join(', ');
    await this.connection.run(`DELETE FROM signal_stats WHERE file IN (${list})`);
    await this.connection.run(`DELETE FROM batches WHERE file IN (${list})`);
  }

  /** Makes the catalog match `folder`: files it does not know are read and added; entries whose file is gone are dropped. */
  async reconcile(folder: string): Promise<ReconcileReport> {
    const onDisk = await batchFilesIn(folder);
    const known = new Set((await queryRows(this.connection, 'SELECT file FROM batches')).map((r) => String(r.file)));
    const present = new Set(onDisk);
    const removed = [...known].filter((f) => !present.has(f) && (f === folder || f.startsWith(folder + path.sep)));
    await this.remove(removed);
    const added: string[] = [];
    const problems: { file: string; message: string }[] = [];
    for (const file of onDisk) {
      if (known.has(file)) continue;
      try {
        await this.add([await readBatchFile(this.connection, folder, file)]);
        added.push(file);
      } catch (e) {
        problems.push({ file, message: (e as Error).message.split('\n')[0] ?? 'unreadable' });
      }
    }
    return { added, removed, problems };
  }

  async list(filter: BatchFilter = {}): Promise<{ total: number; batches: CatalogBatch[] }> {
    const where: string[] = [];
    if (filter.line) where.push(`line = ${sqlString(filter.line)}`);
    if (filter.coil) where.push(`coil_id ILIKE ${sqlString(`%${filter.coil.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)} ESCAPE '\\'`);
    if (filter.from !== undefined) where.push(`"end" >= ${ts(filter.from)}`);
    if (filter.to !== undefined) where.push(`start <= ${ts(filter.to)}`);
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [count] = await queryRows(this.connection, `SELECT count(*)::DOUBLE AS n FROM batches ${w}`);
    const limit = Math.max(0, Math.min(filter.limit ?? 1000, 10_000));
    const rows = await queryRows(this.connection, `SELECT ${COLUMNS} FROM batches ${w} ORDER BY start DESC, file DESC LIMIT ${limit} OFFSET ${Math.max(0, filter.offset ?? 0)}`);
    return { total: Number(count?.n ?? 0), batches: rows as unknown as CatalogBatch[] };
  }

  /** One batch, by file or id, with its per-signal stats; null when unknown. */
  async get(key: string): Promise<{ batch: CatalogBatch; signals: SignalStats[] } | null> {
    const [row] = await queryRows(this.connection, `SELECT ${COLUMNS} FROM batches WHERE file = ${sqlString(key)} OR batch_id = ${sqlString(key)} ORDER BY start DESC LIMIT 1`);
    if (!row) return null;
    const signals = await queryRows(this.connection, `SELECT signal, count::DOUBLE AS count, min, max, mean FROM signal_stats WHERE file = ${sqlString(String(row.file))} ORDER BY signal`);
    return { batch: row as unknown as CatalogBatch, signals: signals as unknown as SignalStats[] };
  }

  close(): void {
    this.closeDb();
  }
}
