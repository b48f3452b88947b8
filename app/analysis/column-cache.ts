/**
 * Raw samples of one signal in one batch file, as typed arrays, loaded once from DuckDB and
 * kept (least recently used first out, bounded in bytes). Every trend query, cursor statistic
 * and envelope then runs over memory: M4 over a million samples is a few milliseconds, while
 * asking DuckDB again costs tens (measured in bench/analysis.bench.ts).
 */
import type { DuckDBConnection } from '../../native/duckdb';
import { queryDoubleColumns } from '../../native/duckdb-columns';
import type { Trace } from './m4';

export interface Column extends Trace {
  /** Strip length per sample, when the file has `length_m`. */
  readonly length: Float64Array | null;
  readonly sorted: boolean;
}

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

const bytesOf = (c: Column): number => c.x.byteLength + c.value.byteLength + c.quality.byteLength + (c.length?.byteLength ?? 0);

export class ColumnCache {
  private readonly entries = new Map<string, Column>();
  private readonly loading = new Map<string, Promise<Column>>();
  private bytes = 0;

  constructor(
    private readonly db: DuckDBConnection,
    private readonly budget = Number(process.env.PARX_ANALYSIS_CACHE_MB ?? 768) * 1024 * 1024,
  ) {}

  get sizeBytes(): number {
    return this.bytes;
  }

  async get(file: string, signal: string, hasLength: boolean): Promise<Column> {
    const [c] = await this.getMany([{ file, signal, hasLength }]);
    return c!;
  }

  /**
   * Several (file, signal) columns; the missing ones are read in ONE DuckDB query (opening a
   * Parquet file per query costs ~30 ms, so 8 signals × 10 files one by one took seconds).
   */
  async getMany(wanted: { file: string; signal: string; hasLength: boolean }[]): Promise<Column[]> {
    const keyOf = (w: { file: string; signal: string }): string => `${w.file}\u0000${w.signal}`;
    const missing = wanted.filter((w, i) => !this.entries.has(keyOf(w)) && !this.loading.has(keyOf(w)) && wanted.findIndex((x) => keyOf(x) === keyOf(w)) === i);
    if (missing.length > 0) {
      const p = this.load(missing);
      for (const w of missing) this.loading.set(keyOf(w), p.then((m) => m.get(keyOf(w))!));
      try {
        const loaded = await p;
        for (const [k, c] of loaded) this.put(k, c);
      } finally {
        for (const w of missing) this.loading.delete(keyOf(w));
      }
    }
    return Promise.all(
      wanted.map(async (w) => {
        const k = keyOf(w);
        const hit = this.entries.get(k);
        if (hit) {
          this.entries.delete(k);
          this.entries.set(k, hit);
          return hit;
        }
        const pending = this.loading.get(k);
        if (pending) return pending;
        // Evicted between load and use (a tiny budget): read it again on its own.
        const again = await this.load([w]);
        return again.get(k)!;
      }),
    );
  }

  private put(key: string, c: Column): void {
    this.entries.set(key, c);
    this.bytes += bytesOf(c);
    for (const [k, old] of this.entries) {
      if (this.bytes <= this.budget || k === key) break;
      this.entries.delete(k);
      this.bytes -= bytesOf(old);
    }
  }

  dropFile(file: string): void {
    for (const [k, c] of this.entries) {
      if (!k.startsWith(`${file}\u0000`)) continue;
      this.entries.delete(k);
      this.bytes -= bytesOf(c);
    }
  }

  private async load(wanted: { file: string; signal: string; hasLength: boolean }[]): Promise<Map<string, Column>> {
    const files = [...new Set(wanted.map((w) => w.file))];
    const signals = [...new Set(wanted.map((w) => w.signal))];
    const withLength = wanted.some((w) => w.hasLength);
    // Files are sorted by signal then time, so `signal = '…'` skips other row groups by their
    // statistics — but `signal IN (…)` does not (measured: slower than a full scan), hence one
    // UNION ALL branch per signal. Signal and file become 1-based positions: every column is a DOUBLE.
    const fileList = `[${files.map(quote).join(', ')}]`;
    const branches = signals.map((signal, k) => {
      const mine = [...new Set(wanted.filter((w) => w.signal === signal).map((w) => w.file))];
      const length = withLength ? `, coalesce(length_m, 'NaN'::DOUBLE)` : '';
      return `SELECT list_position(${fileList}, filename)::DOUBLE, ${k + 1}::DOUBLE, epoch_us(ts) / 1000.0, coalesce(value, 'NaN'::DOUBLE), coalesce(quality, 0)::DOUBLE${length}
       FROM read_parquet([${mine.map(quote).join(', ')}], filename = true${withLength ? ', union_by_name = true' : ''}) WHERE signal = ${quote(signal)}`;
    });
    const cols = await queryDoubleColumns(this.db, branches.join('\nUNION ALL\n'));
    const [fi, si, ts, value, q, length] = cols as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array | undefined];
    // Counting sort by (file, signal): O(n) with typed arrays, no per-row JS objects.
    const nGroups = files.length * signals.length;
    const starts = new Int32Array(nGroups + 1);
    for (let i = 0; i < fi.length; i++) starts[(fi[i]! - 1) * signals.length + (si[i]! - 1) + 1]!++;
    for (let g = 0; g < nGroups; g++) starts[g + 1]! += starts[g]!;
    const order = new Int32Array(fi.length);
    const fill = starts.slice(0, nGroups);
    for (let i = 0; i < fi.length; i++) order[fill[(fi[i]! - 1) * signals.length + (si[i]! - 1)]!++] = i;
    const out = new Map<string, Column>();
    for (const w of wanted) {
      const g = files.indexOf(w.file) * signals.length + signals.indexOf(w.signal);
      let rows = order.subarray(starts[g]!, starts[g + 1]!);
      let sorted = true;
      for (let k = 1; k < rows.length; k++) if (ts[rows[k]!]! < ts[rows[k - 1]!]!) sorted = false;
      // The format's order is by time; a hand-made file may differ (stable: equal times keep file order).
      if (!sorted) rows = Int32Array.from(rows).sort((a, b) => ts[a]! - ts[b]! || a - b);
      out.set(`${w.file}\u0000${w.signal}`, {
        x: Float64Array.from(rows, (i) => ts[i]!),
        value: Float64Array.from(rows, (i) => value[i]!),
        quality: Uint8Array.from(rows, (i) => q[i]!),
        length: w.hasLength && length ? Float64Array.from(rows, (i) => length[i]!) : null,
        sorted: true,
      });
    }
    return out;
  }
}
