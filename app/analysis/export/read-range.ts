/**
 * Raw samples of chosen signals over a time range, straight from ParX batch files:
 * `WHERE signal IN (…) AND ts BETWEEN …` — the files are sorted by signal then time, so
 * DuckDB skips row groups of other signals. One typed-array triple per signal.
 */
import { openDuckDB, type DuckDBConnection } from '../../../native/duckdb';
import { sqlString } from '../../recorder/copy-sql';
import { batchFiles, fileList, listBatches, SourceError, type BatchInfo, type SkippedFile } from './source';

export interface SignalSamples {
  readonly name: string;
  readonly unit: string;
  /** ms since the epoch, ascending. */
  readonly ts: Float64Array;
  readonly value: Float64Array;
  readonly quality: Uint8Array;
}

export interface RangeQuery {
  /** An absolute source path (file or folder). */
  readonly source: string;
  readonly signals: readonly string[];
  readonly from?: number;
  readonly to?: number;
  readonly batches?: readonly string[];
}

export interface RangeResult {
  readonly signals: SignalSamples[];
  readonly batches: BatchInfo[];
  /** Files of the source that could not be read and were left out. */
  readonly skipped: SkippedFile[];
  /** The range actually covered: the query's bounds, or the data's where open. */
  readonly from: number;
  readonly to: number;
}

/** Chunks so a progress bar moves and a cancel is honoured between them. */
export interface ReadHooks {
  readonly signal?: AbortSignal;
  readonly progress?: (done: number, total: number) => void;
}

const tsLiteral = (ms: number): string => `make_timestamptz(${Math.round(ms * 1000)}::BIGINT)`;

export async function readRange(q: RangeQuery, hooks: ReadHooks = {}): Promise<RangeResult> {
  const db = await openDuckDB(':memory:');
  try {
    return await readRangeOn(db.connection, q, hooks);
  } finally {
    db.close();
  }
}

export async function readRangeOn(connection: DuckDBConnection, q: RangeQuery, hooks: ReadHooks = {}): Promise<RangeResult> {
  const skipped: SkippedFile[] = [];
  let batches = await listBatches(connection, await batchFiles(q.source), skipped);
  let files = batches.map((b) => b.file);
  if (q.batches && q.batches.length > 0) {
    const wanted = new Set(q.batches);
    batches = batches.filter((b) => wanted.has(b.batchId));
    const missing = q.batches.filter((id) => !batches.some((b) => b.batchId === id));
    if (missing.length > 0) throw new SourceError(`no batch ${missing.slice(0, 3).join(', ')} in ${q.source}`);
    files = batches.map((b) => b.file);
  }
  const units = new Map<string, string>();
  for (const b of batches) for (const s of b.signals) if (!units.has(s.name)) units.set(s.name, s.unit);
  const where = [`signal IN (${q.signals.map(sqlString).join(', ')})`];
  if (q.from !== undefined) where.push(`ts >= ${tsLiteral(q.from)}`);
  if (q.to !== undefined) where.push(`ts <= ${tsLiteral(q.to)}`);
  const out: SignalSamples[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < q.signals.length; i++) {
    if (hooks.signal?.aborted) throw new DOMException('cancelled', 'AbortError');
    const name = q.signals[i] as string;
    const sql = `SELECT epoch_us(ts) / 1000.0 AS t, value, quality FROM read_parquet(${fileList(files)}, union_by_name = true) WHERE signal = ${sqlString(name)}${where.slice(1).map((w) => ` AND ${w}`).join('')} ORDER BY ts`;
    let cols: unknown[][];
    try {
      cols = (await connection.runAndReadAll(sql)).getColumnsJS() as unknown[][];
    } catch (e) {
      throw new SourceError(`cannot read ${name} from ${q.source}: ${(e as Error).message.split('\n')[0]}`);
    }
    const t = Float64Array.from((cols[0] ?? []) as number[]);
    const value = Float64Array.from(((cols[1] ?? []) as (number | null)[]).map((v) => (v === null ? Number.NaN : v)));
    const quality = Uint8Array.from(((cols[2] ?? []) as (number | null)[]).map((v) => v ?? 0));
    if (t.length > 0) {
      lo = Math.min(lo, t[0] as number);
      hi = Math.max(hi, t[t.length - 1] as number);
    }
    out.push({ name, unit: units.get(name) ?? '', ts: t, value, quality });
    hooks.progress?.(i + 1, q.signals.length);
  }
  const unknown = out.filter((s) => s.ts.length === 0 && !units.has(s.name)).map((s) => s.name);
  if (unknown.length === out.length) throw new SourceError(`no samples of ${unknown.join(', ')} in ${q.source}${q.from !== undefined || q.to !== undefined ? ' in that range' : ''}`);
  return { signals: out, batches, skipped, from: q.from ?? (Number.isFinite(lo) ? lo : 0), to: q.to ?? (Number.isFinite(hi) ? hi : 0) };
}
