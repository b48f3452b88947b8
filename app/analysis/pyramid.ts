/**
 * A multi-resolution min/max pyramid of one batch file: per signal, levels of buckets of
 * 32 · 8^k consecutive samples, each holding its time span, first/last/min/max (with their
 * times), the first gap, the sample count and the worst quality. A trend whose pixel column
 * is wider than a level's buckets is drawn from that level's M4 points instead of the raw
 * samples, so a cold full-range trend touches kilobytes, not the file's row groups.
 *
 * Timestamps other than a bucket's start are kept as Float32 offsets from it (a bucket spans
 * seconds to hours; sub-microsecond exact for spans under ~2 min, within 0.1 ms for a day),
 * values as Float64 (the points drawn are real samples, exactly).
 */
import type { Decimated } from './m4';

/** Samples per bucket of level 0, and the factor between levels. */
export const PYRAMID_BASE = 32;
export const PYRAMID_FACTOR = 8;
export const PYRAMID_LEVELS = 5;

export interface PyramidLevel {
  /** Samples per bucket (nominal: a signal's first and last bucket may hold fewer). */
  readonly size: number;
  /** Buckets of signal s are [offsets[s], offsets[s+1]). */
  readonly offsets: Uint32Array;
  /** Longest bucket time span of each signal, ms: the level serves pixels at least this wide. */
  readonly span: Float64Array;
  readonly t0: Float64Array;
  readonly first: Float64Array;
  readonly last: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  /** Offsets from t0 (ms); NaN where the bucket has no such point. */
  readonly t1: Float32Array;
  readonly firstTs: Float32Array;
  readonly lastTs: Float32Array;
  readonly minTs: Float32Array;
  readonly maxTs: Float32Array;
  readonly gapTs: Float32Array;
  readonly count: Uint32Array;
  readonly worst: Uint8Array;
}

export interface FilePyramid {
  readonly signals: string[];
  /** Signals whose rows are not in time order in the file: always answered from raw samples. */
  readonly unsorted: string[];
  readonly levels: PyramidLevel[];
}

/** Level-0 buckets with absolute times, as the build query returns them (one row per bucket, by signal then time). */
export interface AbsBuckets {
  signal: Float64Array;
  group: Float64Array;
  t0: Float64Array;
  t1: Float64Array;
  firstTs: Float64Array;
  first: Float64Array;
  lastTs: Float64Array;
  last: Float64Array;
  minTs: Float64Array;
  min: Float64Array;
  maxTs: Float64Array;
  max: Float64Array;
  gapTs: Float64Array;
  count: Float64Array;
  worst: Float64Array;
}

export const ABS_COLUMNS = ['signal', 'group', 't0', 't1', 'firstTs', 'first', 'lastTs', 'last', 'minTs', 'min', 'maxTs', 'max', 'gapTs', 'count', 'worst'] as const;

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * One scan of the file for every signal: DuckDB groups `file_row_number // 32` per signal
 * (rows are sorted by signal then time, so a group is 32 consecutive samples of one signal).
 * Columns in ABS_COLUMNS order, all DOUBLE (NaN for none); signal is the 1-based position in `signals`.
 */
export function level0Sql(file: string, signals: string[]): string {
  const list = `[${signals.map(quote).join(', ')}]`;
  const nan = `'NaN'::DOUBLE`;
  return `WITH names AS (SELECT unnest(${list}) AS signal, generate_subscripts(${list}, 1) AS k),
  s AS (SELECT signal, file_row_number // ${PYRAMID_BASE} AS g, epoch_us(ts) / 1000.0 AS t, value::DOUBLE AS v,
          coalesce(isfinite(value::DOUBLE), false) AS ok, coalesce(quality, 0) AS q
        FROM read_parquet(${quote(file)}, file_row_number = true) WHERE ts IS NOT NULL),
  b AS (SELECT signal, g, min(t) AS t0, max(t) AS t1,
          min(t) FILTER (ok) AS firstTs, arg_min(v, t) FILTER (ok) AS first,
          max(t) FILTER (ok) AS lastTs, arg_max(v, t) FILTER (ok) AS last,
          arg_min(t, v) FILTER (ok) AS minTs, min(v) FILTER (ok) AS mn,
          arg_max(t, v) FILTER (ok) AS maxTs, max(v) FILTER (ok) AS mx,
          min(t) FILTER (NOT ok) AS gapTs, count(*) AS n, max(q) AS worst
        FROM s GROUP BY signal, g)
  SELECT k::DOUBLE, g::DOUBLE, t0, t1, coalesce(firstTs, ${nan}), coalesce(first, ${nan}), coalesce(lastTs, ${nan}), coalesce(last, ${nan}),
         coalesce(minTs, ${nan}), coalesce(mn, ${nan}), coalesce(maxTs, ${nan}), coalesce(mx, ${nan}), coalesce(gapTs, ${nan}), n::DOUBLE, worst::DOUBLE
  FROM b JOIN names USING (signal) ORDER BY k, g`;
}

/**
 * Builds every level from the level-0 buckets (coarser levels merge 8 neighbours of one signal),
 * stopping after the first level with no more buckets than `stopAt` (one per signal by default;
 * 0 builds all PYRAMID_LEVELS, for slices joined later: pyramid-build.ts).
 */
export function buildPyramid(signals: string[], b: AbsBuckets, stopAt = signals.length): FilePyramid {
  const S = signals.length;
  const unsorted = new Set<number>();
  for (let i = 1; i < b.t0.length; i++) if (b.signal[i] === b.signal[i - 1] && b.t0[i]! < b.t1[i - 1]!) unsorted.add(b.signal[i]! - 1);
  const levels: PyramidLevel[] = [];
  let cur = b;
  for (let L = 0; L < PYRAMID_LEVELS; L++) {
    if (L > 0) cur = mergeUp(cur);
    levels.push(pack(cur, S, PYRAMID_BASE * PYRAMID_FACTOR ** L));
    if (cur.t0.length <= stopAt) break;
  }
  return { signals, unsorted: [...unsorted].map((s) => signals[s]!), levels };
}

function mergeUp(b: AbsBuckets): AbsBuckets {
  const n = b.t0.length;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || b.signal[i] !== b.signal[i - 1] || Math.floor(b.group[i]! / PYRAMID_FACTOR) !== Math.floor(b.group[i - 1]! / PYRAMID_FACTOR)) idx.push(i);
  const m = idx.length;
  const out = Object.fromEntries(ABS_COLUMNS.map((c) => [c, new Float64Array(m)])) as unknown as AbsBuckets;
  for (let k = 0; k < m; k++) {
    const a = idx[k]!;
    const e = k + 1 < m ? idx[k + 1]! : n;
    out.signal[k] = b.signal[a]!;
    out.group[k] = Math.floor(b.group[a]! / PYRAMID_FACTOR);
    out.t0[k] = b.t0[a]!;
    out.t1[k] = b.t1[e - 1]!;
    let firstTs = NaN, first = NaN, lastTs = NaN, last = NaN, minTs = NaN, min = NaN, maxTs = NaN, max = NaN, gapTs = NaN, count = 0, worst = 0;
    for (let i = a; i < e; i++) {
      if (Number.isNaN(firstTs) && !Number.isNaN(b.firstTs[i]!)) {
        firstTs = b.firstTs[i]!;
        first = b.first[i]!;
      }
      if (!Number.isNaN(b.lastTs[i]!)) {
        lastTs = b.lastTs[i]!;
        last = b.last[i]!;
      }
      if (!Number.isNaN(b.min[i]!) && !(b.min[i]! >= min)) {
        min = b.min[i]!;
        minTs = b.minTs[i]!;
      }
      if (!Number.isNaN(b.max[i]!) && !(b.max[i]! <= max)) {
        max = b.max[i]!;
        maxTs = b.maxTs[i]!;
      }
      if (Number.isNaN(gapTs)) gapTs = b.gapTs[i]!;
      count += b.count[i]!;
      worst = Math.max(worst, b.worst[i]!);
    }
    out.firstTs[k] = firstTs;
    out.first[k] = first;
    out.lastTs[k] = lastTs;
    out.last[k] = last;
    out.minTs[k] = minTs;
    out.min[k] = min;
    out.maxTs[k] = maxTs;
    out.max[k] = max;
    out.gapTs[k] = gapTs;
    out.count[k] = count;
    out.worst[k] = worst;
  }
  return out;
}

function pack(b: AbsBuckets, S: number, size: number): PyramidLevel {
  const n = b.t0.length;
  const offsets = new Uint32Array(S + 1);
  for (let i = 0; i < n; i++) offsets[b.signal[i]!]!++;
  for (let s = 0; s < S; s++) offsets[s + 1]! += offsets[s]!;
  const span = new Float64Array(S);
  const rel = (abs: Float64Array): Float32Array => Float32Array.from(abs, (v, i) => v - b.t0[i]!);
  for (let i = 0; i < n; i++) {
    const s = b.signal[i]! - 1;
    span[s] = Math.max(span[s]!, b.t1[i]! - b.t0[i]!);
  }
  return {
    size,
    offsets,
    span,
    t0: Float64Array.from(b.t0),
    first: Float64Array.from(b.first),
    last: Float64Array.from(b.last),
    min: Float64Array.from(b.min),
    max: Float64Array.from(b.max),
    t1: rel(b.t1),
    firstTs: rel(b.firstTs),
    lastTs: rel(b.lastTs),
    minTs: rel(b.minTs),
    maxTs: rel(b.maxTs),
    gapTs: rel(b.gapTs),
    count: Uint32Array.from(b.count),
    worst: Uint8Array.from(b.worst),
  };
}

/** One signal's buckets in one file at one level. */
export interface PyramidPart {
  readonly level: PyramidLevel;
  readonly from: number;
  readonly to: number;
}

/** What choosing a level needs: per level its signals' bucket ranges and longest spans. */
export interface PyramidHead {
  readonly signals: string[];
  readonly unsorted: string[];
  readonly levels: readonly Pick<PyramidLevel, 'size' | 'offsets' | 'span'>[];
}

/** The coarsest level whose buckets of `signal` all fit in `width` ms; null: raw samples needed; 'none': the file lacks the signal. */
export function chooseLevel(p: PyramidHead, signal: string, width: number): { level: number; signal: number } | null | 'none' {
  const s = p.signals.indexOf(signal);
  if (s < 0) return 'none';
  if (p.unsorted.includes(signal)) return null;
  for (let L = p.levels.length - 1; L >= 0; L--) if (p.levels[L]!.span[s]! <= width) return { level: L, signal: s };
  return null;
}

/** The signal's buckets at the level chooseLevel picks, from a pyramid in memory. */
export function partFor(p: FilePyramid, signal: string, width: number): PyramidPart | null | 'none' {
  const c = chooseLevel(p, signal, width);
  if (c === null || c === 'none') return c;
  const lv = p.levels[c.level]!;
  return { level: lv, from: lv.offsets[c.signal]!, to: lv.offsets[c.signal + 1]! };
}

/**
 * M4 over bucket points: per pixel column the first/min/max/last/gap points of the buckets
 * whose points fall in it. Every point is a real sample; where buckets align with pixel
 * columns each column's min and max equal the raw M4's, elsewhere a column's extremes never
 * exceed the true ones (a bucket straddling a column edge gives each side only its own points).
 * `parts` in time order (one per batch file). Null when the range holds too few samples.
 */
export function m4Pyramid(parts: PyramidPart[], from: number, to: number, pixels: number): Decimated | null {
  const px = Math.max(1, Math.floor(pixels));
  const width = (to - from) / px || 1;
  const fx = new Float64Array(px).fill(NaN), fv = new Float64Array(px);
  const lx = new Float64Array(px).fill(NaN), lv = new Float64Array(px);
  const nx = new Float64Array(px).fill(NaN), nv = new Float64Array(px).fill(NaN);
  const xx = new Float64Array(px).fill(NaN), xv = new Float64Array(px).fill(NaN);
  const gx = new Float64Array(px).fill(NaN);
  const worst = new Uint8Array(px);
  let samples = 0;
  let before: { x: number; v: number; q: number } | null = null;
  let after: { x: number; v: number; q: number } | null = null;
  const pix = (x: number): number => Math.min(px - 1, Math.max(0, Math.floor((x - from) / width)));
  const point = (x: number, v: number, q: number): void => {
    if (Number.isNaN(x)) return;
    if (x < from) {
      if (!before || x > before.x) before = { x, v, q };
      return;
    }
    if (x > to) {
      if (!after || x < after.x) after = { x, v, q };
      return;
    }
    const b = pix(x);
    if (!Number.isFinite(v)) {
      if (!(gx[b]! <= x)) gx[b] = x;
      return;
    }
    if (!(fx[b]! <= x)) {
      fx[b] = x;
      fv[b] = v;
    }
    if (!(lx[b]! >= x)) {
      lx[b] = x;
      lv[b] = v;
    }
    if (!(v >= nv[b]!)) {
      nv[b] = v;
      nx[b] = x;
    }
    if (!(v <= xv[b]!)) {
      xv[b] = v;
      xx[b] = x;
    }
  };
  for (const { level: l, from: a, to: e } of parts) {
    // Buckets do not overlap in time, so their ends ascend: the first one reaching `from`.
    let lo = a;
    let hi = e;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (l.t0[mid]! + l.t1[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    if (lo > a) point(l.t0[lo - 1]! + l.lastTs[lo - 1]!, l.last[lo - 1]!, l.worst[lo - 1]!);
    for (let j = lo; j < e; j++) {
      const t0 = l.t0[j]!;
      const q = l.worst[j]!;
      if (t0 > to) {
        point(t0 + l.firstTs[j]!, l.first[j]!, q);
        break;
      }
      const t1 = t0 + l.t1[j]!;
      if (t0 >= from && t1 <= to) samples += l.count[j]!;
      else samples += Math.round((l.count[j]! * (Math.min(t1, to) - Math.max(t0, from) + 1)) / (t1 - t0 + 1));
      for (let b = pix(Math.max(t0, from)), z = pix(Math.min(t1, to)); b <= z; b++) if (q > worst[b]!) worst[b] = q;
      point(t0 + l.firstTs[j]!, l.first[j]!, q);
      point(t0 + l.minTs[j]!, l.min[j]!, q);
      point(t0 + l.maxTs[j]!, l.max[j]!, q);
      point(t0 + l.lastTs[j]!, l.last[j]!, q);
      point(t0 + l.gapTs[j]!, NaN, q);
    }
  }
  if (samples <= px) return null;
  const xs: number[] = [];
  const vs: number[] = [];
  const qs: number[] = [];
  const edge = (e: { x: number; v: number; q: number } | null): void => {
    if (!e) return;
    xs.push(e.x);
    vs.push(e.v);
    qs.push(e.q);
  };
  edge(before);
  const cand: [number, number][] = [];
  for (let b = 0; b < px; b++) {
    cand.length = 0;
    if (!Number.isNaN(fx[b]!)) cand.push([fx[b]!, fv[b]!], [nx[b]!, nv[b]!], [xx[b]!, xv[b]!], [lx[b]!, lv[b]!]);
    if (!Number.isNaN(gx[b]!)) cand.push([gx[b]!, NaN]);
    cand.sort((p, q) => p[0] - q[0]);
    for (let k = 0; k < cand.length; k++) {
      const [x, v] = cand[k]!;
      if (k > 0 && cand[k - 1]![0] === x && Object.is(cand[k - 1]![1], v)) continue;
      xs.push(x);
      vs.push(v);
      qs.push(worst[b]!);
    }
  }
  edge(after);
  return { x: Float64Array.from(xs), value: Float64Array.from(vs), quality: Uint8Array.from(qs), raw: false, samples };
}
