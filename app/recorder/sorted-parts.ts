/**
 * The batch file wants rows by signal, then time; samples arrive by time (every signal of a
 * poll together). Each staging part is therefore written sorted by signal with a stable
 * counting sort (O(n) over the typed arrays; arrival order is time order within a signal),
 * and the close only interleaves the parts: signal by signal, part after part — a gather of
 * byte ranges at known offsets, where DuckDB's ORDER BY cost more than the rest of the close.
 * Whether arrival order really was time order is checked on the way: if not, the close sorts.
 */
import fs from 'node:fs/promises';
import { COLUMN_BYTES, PART_COLUMNS, PartFileWriter, MAX_ROW_GROUP_ROWS, type ChunkLayout, type PartColumns } from './part-file';

/** Ids at or above this are not counting-sorted (the part stays in arrival order and the close sorts). */
export const MAX_SORTED_ID = 1 << 20;

/** A part on disk, sorted by signal when `starts` is set: rows of signal s are [starts[s], starts[s+1]). */
export interface StagedPart {
  readonly file: string;
  readonly layout: ChunkLayout | null;
  readonly starts: Uint32Array | null;
}

type Column = Float64Array | Uint32Array | Int32Array | Uint8Array;
type ColumnOf<T extends Column> = { new (n: number): T; new (b: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number };

/**
 * Column buffers of closed batches, kept for the next ones: a batch's buffers are tens of MB,
 * and the recorder opens a new batch every few seconds at full rate, so allocating them afresh
 * each time made the process's memory climb and fall in steps (freed only when GC ran), and
 * the allocator's scattered free blocks made RSS creep up over a long run. Spares are kept as
 * bytes, whatever column they held: a batch's time column can be the next one's quality.
 */
const spare: ArrayBuffer[] = [];
/** What one batch at full rate uses (row buffer, sorted part, a close's merge): more is let go. */
const SPARE_BYTES = 256 * 1024 * 1024;

/** An array of at least `length` elements: a view of a whole spare buffer (so often longer), or a new one. */
function take<T extends Column>(type: ColumnOf<T>, length: number): T {
  const bytes = length * type.BYTES_PER_ELEMENT;
  let best = -1;
  for (let i = 0; i < spare.length; i++) {
    const b = spare[i] as ArrayBuffer;
    if (b.byteLength >= bytes && (best < 0 || b.byteLength < (spare[best] as ArrayBuffer).byteLength)) best = i;
  }
  if (best < 0) return new type(length);
  const b = spare.splice(best, 1)[0] as ArrayBuffer;
  return new type(b, 0, Math.floor(b.byteLength / type.BYTES_PER_ELEMENT));
}

function give(...arrays: Column[]): void {
  for (const a of arrays) if (a.byteLength > 0 && !spare.includes(a.buffer as ArrayBuffer)) spare.push(a.buffer as ArrayBuffer);
  // Keep the largest ones, up to SPARE_BYTES.
  spare.sort((x, y) => y.byteLength - x.byteLength);
  let bytes = 0;
  let keep = 0;
  while (keep < spare.length && bytes + (spare[keep] as ArrayBuffer).byteLength <= SPARE_BYTES) bytes += (spare[keep++] as ArrayBuffer).byteLength;
  spare.length = keep;
}

const capacity = (c: { ts: Column; signal: Column; value: Column; quality: Column }): number => Math.min(c.ts.length, c.signal.length, c.value.length, c.quality.length);

/** Rows held in memory until the next part; grows by doubling. */
export class RowBuffer {
  rows = 0;
  ts = new Float64Array(0);
  signal = new Uint32Array(0);
  value = new Float64Array(0);
  quality = new Uint8Array(0);

  add(ts: Float64Array, signal: Uint32Array, value: Float64Array, quality: Uint8Array, from: number, to: number): void {
    const n = to - from;
    // Arrays from the spare list may be longer than asked for, each differently: the shortest counts.
    if (this.rows + n > capacity(this)) this.grow(this.rows + n);
    this.ts.set(ts.subarray(from, to), this.rows);
    this.signal.set(signal.subarray(from, to), this.rows);
    this.value.set(value.subarray(from, to), this.rows);
    this.quality.set(quality.subarray(from, to), this.rows);
    this.rows += n;
  }

  private grow(need: number): void {
    const size = Math.max(need, 2 * capacity(this), 65_536);
    const ts = take(Float64Array, size);
    const signal = take(Uint32Array, size);
    const value = take(Float64Array, size);
    const quality = take(Uint8Array, size);
    ts.set(this.ts.subarray(0, this.rows));
    signal.set(this.signal.subarray(0, this.rows));
    value.set(this.value.subarray(0, this.rows));
    quality.set(this.quality.subarray(0, this.rows));
    give(this.ts, this.signal, this.value, this.quality);
    Object.assign(this, { ts, signal, value, quality });
  }

  /** Hands the arrays on to the next batch; the buffer is empty and unusable afterwards. */
  release(): void {
    give(this.ts, this.signal, this.value, this.quality);
    this.rows = 0;
    Object.assign(this, { ts: new Float64Array(0), signal: new Uint32Array(0), value: new Float64Array(0), quality: new Uint8Array(0) });
  }
}

/**
 * Sorts a buffer's rows by signal into reused output arrays, keeping arrival order within a
 * signal, and watches that each signal's time never goes back across the whole batch.
 */
export class SignalSorter {
  /** False once a signal's time went backwards or an id is out of range: the close must sort. */
  ordered = true;
  private last = new Float64Array(0);
  private out: PartColumns = { ts: new Float64Array(0), signal: new Uint32Array(0), value: new Float64Array(0), quality: new Int32Array(0) };

  /** The rows sorted (or, when they cannot be, in arrival order) and the signal offsets. */
  sort(b: RowBuffer): { cols: PartColumns; starts: Uint32Array | null } {
    const n = b.rows;
    if (capacity(this.out) < n) {
      this.release();
      this.out = { ts: take(Float64Array, n), signal: take(Uint32Array, n), value: take(Float64Array, n), quality: take(Int32Array, n) };
    }
    const o = this.out;
    let maxId = -1;
    for (let i = 0; i < n; i++) if ((b.signal[i] as number) > maxId) maxId = b.signal[i] as number;
    if (maxId >= MAX_SORTED_ID) {
      this.ordered = false;
      o.ts.set(b.ts.subarray(0, n));
      o.signal.set(b.signal.subarray(0, n));
      o.value.set(b.value.subarray(0, n));
      o.quality.set(b.quality.subarray(0, n));
      return { cols: o, starts: null };
    }
    if (this.last.length <= maxId) {
      const bigger = new Float64Array(Math.max(1024, 2 ** Math.ceil(Math.log2(maxId + 1)))).fill(-Infinity);
      bigger.set(this.last);
      this.last = bigger;
    }
    const starts = new Uint32Array(maxId + 2);
    for (let i = 0; i < n; i++) {
      const k = (b.signal[i] as number) + 1;
      starts[k] = (starts[k] as number) + 1;
    }
    for (let s = 0; s <= maxId; s++) starts[s + 1] = (starts[s + 1] as number) + (starts[s] as number);
    const at = starts.slice(0, maxId + 1);
    const last = this.last;
    let ordered = this.ordered;
    for (let i = 0; i < n; i++) {
      const s = b.signal[i] as number;
      const t = b.ts[i] as number;
      // NaN compares false both ways: caught by the second test.
      if (!(t >= (last[s] as number))) ordered = false;
      last[s] = t;
      const j = at[s] as number;
      at[s] = j + 1;
      o.ts[j] = t;
      o.signal[j] = s;
      o.value[j] = b.value[i] as number;
      o.quality[j] = b.quality[i] as number;
    }
    this.ordered = ordered;
    return { cols: o, starts };
  }

  /** Hands the output arrays on to the next batch. */
  release(): void {
    give(this.out.ts, this.out.signal, this.out.value, this.out.quality);
    this.out = { ts: new Float64Array(0), signal: new Uint32Array(0), value: new Float64Array(0), quality: new Int32Array(0) };
  }
}

/** Writes a part file (one row group, or none when empty) to `file` and says where its columns are. */
export async function writeSortedPart(file: string, cols: PartColumns, rows: number, starts: Uint32Array | null, kv: Record<string, string>): Promise<StagedPart> {
  const w = await PartFileWriter.create(file);
  try {
    const layout = rows > 0 ? await w.rowGroup(cols, rows) : null;
    await w.finish(kv);
    return { file, layout, starts };
  } catch (e) {
    await w.abort();
    throw e;
  }
}

/** Rows of a signal group per row group of the merged file: bounds the merge's memory. */
const GROUP_ROWS = 1 << 20;

const rowsOf = (p: StagedPart, s: number): number => {
  const st = p.starts as Uint32Array;
  return s + 1 < st.length ? (st[s + 1] as number) - (st[s] as number) : 0;
};
const startOf = (p: StagedPart, s: number): number => {
  const st = p.starts as Uint32Array;
  return s < st.length ? (st[s] as number) : (p.layout?.rows ?? 0);
};

/** True when every part is sorted by signal, so `mergeSortedParts` can replace a sort. */
export function mergeable(parts: readonly StagedPart[]): boolean {
  if (parts.length === 0 || !parts.every((p) => p.starts !== null)) return false;
  const ids = Math.max(...parts.map((p) => (p.starts as Uint32Array).length - 1));
  for (let s = 0; s < ids; s++) if (parts.reduce((n, p) => n + rowsOf(p, s), 0) > MAX_ROW_GROUP_ROWS) return false;
  return true;
}

/**
 * Interleaves signal-sorted parts into one file sorted by signal, then time (parts are in time
 * order): for each group of signals, the group's byte range of each part is read once and its
 * signals' runs are laid out part after part. Row groups follow the signal groups.
 */
export async function mergeSortedParts(parts: readonly StagedPart[], file: string): Promise<number> {
  const ids = Math.max(...parts.map((p) => (p.starts as Uint32Array).length - 1));
  const handles = await Promise.all(parts.map((p) => fs.open(p.file, 'r')));
  const w = await PartFileWriter.create(file);
  let total = 0;
  try {
    let out: PartColumns | null = null;
    // From the spare arrays too: a close's reads are as large as its groups, every close.
    let scratch = take(Uint8Array, 0);
    for (let s0 = 0; s0 < ids; ) {
      let s1 = s0;
      let rows = 0;
      while (s1 < ids) {
        const n = parts.reduce((m, p) => m + rowsOf(p, s1), 0);
        if (rows > 0 && rows + n > GROUP_ROWS) break;
        rows += n;
        s1++;
      }
      if (rows > 0) {
        if (!out || capacity(out) < rows) {
          if (out) give(out.ts, out.signal, out.value, out.quality);
          out = { ts: take(Float64Array, Math.max(rows, GROUP_ROWS)), signal: take(Uint32Array, Math.max(rows, GROUP_ROWS)), value: take(Float64Array, Math.max(rows, GROUP_ROWS)), quality: take(Int32Array, Math.max(rows, GROUP_ROWS)) };
        }
        // Where each signal's run starts in the group, and how much of it earlier parts filled.
        const place = new Uint32Array(s1 - s0);
        for (let s = s0, at = 0; s < s1; s++) {
          place[s - s0] = at;
          at += parts.reduce((m, p) => m + rowsOf(p, s), 0);
        }
        for (const name of PART_COLUMNS) {
          const size = COLUMN_BYTES[name];
          const col = out[name];
          const dst = new Uint8Array(col.buffer, col.byteOffset, rows * size);
          const filled = place.slice();
          for (let k = 0; k < parts.length; k++) {
            const p = parts[k] as StagedPart;
            if (!p.layout) continue;
            const a = startOf(p, s0);
            const len = (startOf(p, s1) - a) * size;
            if (len === 0) continue;
            if (scratch.length < len) {
              give(scratch);
              scratch = take(Uint8Array, Math.max(len, 2 * scratch.length));
            }
            const h = handles[k] as fs.FileHandle;
            for (let got = 0; got < len; ) {
              const { bytesRead } = await h.read(scratch, got, len - got, p.layout.data[name] + a * size + got);
              if (bytesRead === 0) throw new Error(`staging part ${p.file} is shorter than its layout`);
              got += bytesRead;
            }
            for (let s = s0; s < s1; s++) {
              const n = rowsOf(p, s);
              if (n === 0) continue;
              const from = (startOf(p, s) - a) * size;
              dst.set(scratch.subarray(from, from + n * size), (filled[s - s0] as number) * size);
              filled[s - s0] = (filled[s - s0] as number) + n;
            }
          }
        }
        await w.rowGroup(out, rows);
        total += rows;
      }
      s0 = s1;
    }
    await w.finish();
    if (out) give(out.ts, out.signal, out.value, out.quality);
    give(scratch);
  } catch (e) {
    await w.abort();
    throw e;
  } finally {
    await Promise.all(handles.map((h) => h.close()));
  }
  return total;
}
