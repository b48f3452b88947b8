/**
 * A file's pyramid built a slice of signals at a time, yielding to the event loop between
 * slices: the build runs in the analysis worker beside trend queries, and building all of a
 * 100M-sample file in one go held the worker's thread for seconds (measured: ~1.1 s per 10M
 * samples on a loaded 2-core machine). A signal's levels depend on its own buckets only, so
 * slices built separately and joined are exactly the pyramid built in one piece; only the
 * number of levels is decided over all signals, as buildPyramid does.
 */
import type { DuckDBConnection } from '../../native/duckdb';
import { queryDoubleColumns } from '../../native/duckdb-columns';
import { ABS_COLUMNS, buildPyramid, level0Sql, type AbsBuckets, type FilePyramid, type PyramidLevel } from './pyramid';

/** Level-0 buckets per slice (≈ 0.5M samples): tens of ms of work between two yields. */
export const SLICE_BUCKETS = 16_384;

const yieldNow = (): Promise<void> => new Promise((r) => setImmediate(r));

/** `cancelled`: asked between slices; when true the build throws instead of going on (the worker is stopping). */
export async function buildFilePyramid(db: DuckDBConnection, file: string, signals: string[], sliceBuckets = SLICE_BUCKETS, cancelled: () => boolean = () => false): Promise<FilePyramid> {
  const cols = await queryDoubleColumns(db, level0Sql(file, signals), { yieldEveryRows: sliceBuckets });
  return buildInSlices(signals, Object.fromEntries(ABS_COLUMNS.map((c, i) => [c, cols[i]!])) as unknown as AbsBuckets, sliceBuckets, cancelled);
}

export class BuildCancelled extends Error {
  constructor() {
    super('pyramid build cancelled: the analysis worker is stopping');
  }
}

/** buildPyramid(signals, b), in slices of whole signals of about `sliceBuckets` buckets (a longer signal is one slice). */
export async function buildInSlices(signals: string[], b: AbsBuckets, sliceBuckets = SLICE_BUCKETS, cancelled: () => boolean = () => false): Promise<FilePyramid> {
  const n = b.t0.length;
  if (n <= sliceBuckets) return buildPyramid(signals, b);
  // Rows come by signal (1-based position in `signals`) then time.
  const parts: { first: number; p: FilePyramid }[] = [];
  for (let a = 0; a < n; ) {
    let e = Math.min(n, a + sliceBuckets);
    while (e < n && b.signal[e] === b.signal[e - 1]) e++;
    const first = b.signal[a]! - 1;
    const last = b.signal[e - 1]! - 1;
    const sub = Object.fromEntries(ABS_COLUMNS.map((c) => [c, b[c].subarray(a, e)])) as unknown as AbsBuckets;
    sub.signal = Float64Array.from(sub.signal, (k) => k - first);
    parts.push({ first, p: buildPyramid(signals.slice(first, last + 1), sub, 0) });
    a = e;
    await yieldNow();
    if (cancelled()) throw new BuildCancelled();
  }
  // As many levels as the one-piece build: up to the first with at most one bucket per signal.
  let levels = 0;
  while (levels < parts[0]!.p.levels.length) {
    const total = parts.reduce((s, { p }) => s + p.levels[levels]!.t0.length, 0);
    levels++;
    if (total <= signals.length) break;
  }
  const out: PyramidLevel[] = [];
  for (let L = 0; L < levels; L++) {
    out.push(await join(signals.length, parts.map(({ first, p }) => ({ first, level: p.levels[L]! }))));
  }
  return { signals, unsorted: parts.flatMap(({ p }) => p.unsorted), levels: out };
}

type Column = Exclude<keyof PyramidLevel, 'size' | 'offsets' | 'span'>;
const COLUMNS: Column[] = ['t0', 'first', 'last', 'min', 'max', 't1', 'firstTs', 'lastTs', 'minTs', 'maxTs', 'gapTs', 'count', 'worst'];

/** One level of every signal from the slices' levels (in signal order; signals in no slice have no buckets), yielding between columns. */
async function join(S: number, parts: { first: number; level: PyramidLevel }[]): Promise<PyramidLevel> {
  const offsets = new Uint32Array(S + 1);
  const span = new Float64Array(S);
  for (const { first, level } of parts) {
    const k = level.span.length;
    span.set(level.span, first);
    for (let j = 0; j < k; j++) offsets[first + j + 1] = level.offsets[j + 1]! - level.offsets[j]!;
  }
  for (let s = 0; s < S; s++) offsets[s + 1]! += offsets[s]!;
  const total = offsets[S]!;
  const l: Record<string, unknown> = { size: parts[0]!.level.size, offsets, span };
  for (const c of COLUMNS) {
    const T = parts[0]!.level[c].constructor as new (n: number) => Float64Array;
    const arr = new T(total);
    let at = 0;
    for (const { level } of parts) {
      arr.set(level[c] as Float64Array, at);
      at += level[c].length;
    }
    l[c] = arr;
    await yieldNow();
  }
  return l as unknown as PyramidLevel;
}
