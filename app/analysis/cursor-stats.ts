/**
 * What the cursor table shows, from raw samples (never decimated ones): the value at each
 * cursor and min/max/mean/std between them. Only usable samples count (finite value,
 * quality ≠ bad), as for the length index.
 */
import { lowerBound, upperBound, type Trace } from './m4';

export interface RangeStats {
  readonly count: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  /** Population standard deviation (÷ n): the spread of the samples themselves. */
  readonly std: number | null;
}

export interface CursorValue {
  /** The sample shown: the last usable one at or before the cursor (zero-order hold). */
  readonly x: number;
  readonly value: number;
}

const usable = (t: Trace, i: number): boolean => Number.isFinite(t.value[i]!) && t.quality[i] !== 3;

/** Statistics of the samples with from ≤ x ≤ to (x sorted). Welford's update, so large offsets keep precision. */
export function rangeStats(t: Trace, from: number, to: number): RangeStats {
  const lo = lowerBound(t.x, Math.min(from, to));
  const hi = upperBound(t.x, Math.max(from, to), lo);
  let n = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = lo; i < hi; i++) {
    if (!usable(t, i)) continue;
    const v = t.value[i]!;
    n++;
    const d = v - mean;
    mean += d / n;
    m2 += d * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n === 0) return { count: 0, min: null, max: null, mean: null, std: null };
  return { count: n, min, max, mean, std: Math.sqrt(m2 / n) };
}

/** The value a cursor at `at` reads: the last usable sample at or before it; null before the first. */
export function valueAt(t: Trace, at: number): CursorValue | null {
  for (let i = upperBound(t.x, at) - 1; i >= 0; i--) if (usable(t, i)) return { x: t.x[i]!, value: t.value[i]! };
  return null;
}
