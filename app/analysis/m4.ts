/**
 * M4 decimation (Jugel et al., VLDB 2014): per pixel column keep the first, minimum, maximum
 * and last sample, so a line drawn from ≤ 4 points per pixel is the same picture as one drawn
 * from every sample. Pure, over flat typed arrays, so it runs in the query worker and in tests.
 *
 * x is time (ms) or strip length (m); samples are scanned in their stored order, and x need
 * not be sorted (a length index may stand still or step back), only `lo`/`hi` bound the scan.
 */

export interface Trace {
  readonly x: Float64Array;
  readonly value: Float64Array;
  readonly quality: Uint8Array;
}

/** Arrays this module makes own plain ArrayBuffers (what the contract's schemas and transfer need). */
export interface OwnedTrace {
  readonly x: Float64Array<ArrayBuffer>;
  readonly value: Float64Array<ArrayBuffer>;
  readonly quality: Uint8Array<ArrayBuffer>;
}

export interface Decimated extends OwnedTrace {
  /** True when every sample in the range is returned (fewer samples than pixels). */
  readonly raw: boolean;
  /** Samples in the range, before decimation. */
  readonly samples: number;
}

/** First index with x[i] >= t in a sorted array. */
export function lowerBound(x: Float64Array, t: number, lo = 0, hi = x.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with x[i] > t in a sorted array. */
export function upperBound(x: Float64Array, t: number, lo = 0, hi = x.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function take(t: Trace, idx: number[]): OwnedTrace {
  const x = new Float64Array(idx.length);
  const value = new Float64Array(idx.length);
  const quality = new Uint8Array(idx.length);
  idx.forEach((i, k) => {
    x[k] = t.x[i]!;
    value[k] = t.value[i]!;
    quality[k] = t.quality[i]!;
  });
  return { x, value, quality };
}

/**
 * Decimates the samples with from ≤ x ≤ to into `pixels` columns. `sorted`: x ascends, so the
 * range is found by binary search and one sample either side is kept (the line reaches the
 * edges when zoomed in). A non-finite value (a gap marker) in a column is kept as a point, so
 * the line breaks there; quality of a kept point is the worst quality in its column.
 */
export function m4(t: Trace, from: number, to: number, pixels: number, sorted = true): Decimated {
  const px = Math.max(1, Math.floor(pixels));
  let lo = 0;
  let hi = t.x.length;
  if (sorted) {
    lo = lowerBound(t.x, from);
    hi = upperBound(t.x, to, lo);
  }
  let samples = hi - lo;
  if (!sorted) {
    samples = 0;
    for (let i = lo; i < hi; i++) if (t.x[i]! >= from && t.x[i]! <= to) samples++;
  }
  const edges = (idx: number[]): number[] => {
    if (!sorted) return idx;
    // Always a new array: pushing the after-edge onto `idx` itself shifted the quality lane by one.
    const out = lo > 0 ? [lo - 1, ...idx] : [...idx];
    if (hi < t.x.length) out.push(hi);
    return out;
  };
  if (samples <= px) {
    const idx: number[] = [];
    for (let i = lo; i < hi; i++) if (sorted || (t.x[i]! >= from && t.x[i]! <= to)) idx.push(i);
    return { ...take(t, edges(idx)), raw: true, samples };
  }
  const width = (to - from) / px || 1;
  const first = new Int32Array(px).fill(-1);
  const last = new Int32Array(px).fill(-1);
  const min = new Int32Array(px).fill(-1);
  const max = new Int32Array(px).fill(-1);
  const gap = new Int32Array(px).fill(-1);
  const worst = new Uint8Array(px);
  for (let i = lo; i < hi; i++) {
    const xi = t.x[i]!;
    if (!sorted && (xi < from || xi > to)) continue;
    const b = Math.min(px - 1, Math.floor((xi - from) / width));
    const q = t.quality[i]!;
    if (q > worst[b]!) worst[b] = q;
    const v = t.value[i]!;
    if (!Number.isFinite(v)) {
      if (gap[b]! < 0) gap[b] = i;
      continue;
    }
    if (first[b]! < 0) {
      first[b] = i;
      min[b] = i;
      max[b] = i;
    } else {
      if (v < t.value[min[b]!]!) min[b] = i;
      if (v > t.value[max[b]!]!) max[b] = i;
    }
    last[b] = i;
  }
  const idx: number[] = [];
  const kept: number[] = [];
  const picks = new Int32Array(5);
  for (let b = 0; b < px; b++) {
    let n = 0;
    for (const i of [first[b]!, min[b]!, max[b]!, last[b]!, gap[b]!]) {
      if (i < 0) continue;
      // Insertion into stored order, each index once: the line visits them as the samples did.
      let k = n;
      while (k > 0 && picks[k - 1]! > i) {
        picks[k] = picks[k - 1]!;
        k--;
      }
      if (k > 0 && picks[k - 1] === i) {
        for (let j = k; j < n; j++) picks[j] = picks[j + 1]!;
        continue;
      }
      picks[k] = i;
      n++;
    }
    for (let k = 0; k < n; k++) {
      idx.push(picks[k]!);
      kept.push(b);
    }
  }
  const all = edges(idx);
  const out = take(t, all);
  // A kept point carries the worst quality of its column, so a bad period is not decimated away.
  const offset = sorted && lo > 0 ? 1 : 0; // the point before the range, when edges() added one
  kept.forEach((b, k) => {
    out.quality[offset + k] = worst[b]!;
  });
  return { ...out, raw: false, samples };
}
