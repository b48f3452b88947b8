/**
 * Strip length at any instant, by the rule of docs/file-format.md ("Length index"), for files
 * without a `length_m` column or when the user picks another speed/length signal. Only usable
 * readings count (finite value, quality ≠ bad).
 */
import { upperBound, type Trace } from './m4';

const usable = (t: Trace, i: number): boolean => Number.isFinite(t.value[i]!) && t.quality[i] !== 3;

function usableReadings(t: Trace): { ts: Float64Array; v: Float64Array } {
  const keep: number[] = [];
  for (let i = 0; i < t.x.length; i++) if (usable(t, i)) keep.push(i);
  return { ts: Float64Array.from(keep, (i) => t.x[i]!), v: Float64Array.from(keep, (i) => t.value[i]!) };
}

/**
 * From a speed signal in m/min: held from each usable reading to the next and integrated from
 * 0 at the first: length(t) = L(t_k) + v_k · (t − t_k) / 60000. NaN before the first reading.
 * `at` in ms, any order.
 */
export function lengthFromSpeed(speed: Trace, at: Float64Array): Float64Array {
  const { ts, v } = usableReadings(speed);
  const cum = new Float64Array(ts.length);
  for (let k = 1; k < ts.length; k++) cum[k] = cum[k - 1]! + (v[k - 1]! * (ts[k]! - ts[k - 1]!)) / 60000;
  const out = new Float64Array(at.length);
  for (let i = 0; i < at.length; i++) {
    const k = upperBound(ts, at[i]!) - 1;
    out[i] = k < 0 ? NaN : cum[k]! + (v[k]! * (at[i]! - ts[k]!)) / 60000;
  }
  return out;
}

/** From a length signal in metres: the latest usable reading at or before each instant; NaN before the first. */
export function lengthFromLength(length: Trace, at: Float64Array): Float64Array {
  const { ts, v } = usableReadings(length);
  const out = new Float64Array(at.length);
  for (let i = 0; i < at.length; i++) {
    const k = upperBound(ts, at[i]!) - 1;
    out[i] = k < 0 ? NaN : v[k]!;
  }
  return out;
}
