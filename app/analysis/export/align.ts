/**
 * Putting signals of different rates side by side. Pure functions over typed arrays.
 * - raw: one row per distinct sample time of any signal; a cell is empty (NaN) where that
 *   signal has no sample at that exact time — nothing is invented;
 * - resampled: a regular grid, each signal's latest sample at or before the grid time
 *   (zero-order hold, what a PLC value does between polls); empty before its first sample.
 */

export interface Series {
  readonly ts: Float64Array;
  readonly value: Float64Array;
  readonly quality: Uint8Array;
}

export interface WideTable {
  readonly time: Float64Array;
  readonly columns: Float64Array[];
}

/** At most this many grid points: a typo in the step should fail, not fill the disk. */
export const MAX_GRID = 50_000_000;

export function makeGrid(from: number, to: number, stepMs: number): Float64Array {
  if (!(stepMs > 0)) throw new Error('the resampling step must be positive');
  const n = Math.floor((to - from) / stepMs) + 1;
  if (n > MAX_GRID) throw new Error(`resampling ${((to - from) / 1000).toFixed(0)} s every ${stepMs} ms gives ${n.toLocaleString('en')} rows (at most ${MAX_GRID.toLocaleString('en')}): choose a larger step or a shorter range`);
  const g = new Float64Array(Math.max(0, n));
  for (let i = 0; i < g.length; i++) g[i] = from + i * stepMs;
  return g;
}

/** Zero-order hold of one series onto ascending `grid` times. */
export function holdOnto(s: Series, grid: Float64Array): Series {
  const value = new Float64Array(grid.length).fill(Number.NaN);
  const quality = new Uint8Array(grid.length).fill(3);
  let j = -1;
  for (let i = 0; i < grid.length; i++) {
    const t = grid[i] as number;
    while (j + 1 < s.ts.length && (s.ts[j + 1] as number) <= t) j++;
    if (j >= 0) {
      value[i] = s.value[j] as number;
      quality[i] = s.quality[j] as number;
    }
  }
  return { ts: grid, value, quality };
}

/** The union of sample times (each distinct time once), every series placed at its own times. */
export function alignRaw(series: readonly Series[]): WideTable {
  const all: number[] = [];
  for (const s of series) for (const t of s.ts) all.push(t);
  const sorted = Float64Array.from(all).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i] as number;
  const time = sorted.slice(0, n);
  const columns = series.map((s) => {
    const col = new Float64Array(n).fill(Number.NaN);
    let k = 0;
    for (let i = 0; i < s.ts.length; i++) {
      const t = s.ts[i] as number;
      while ((time[k] as number) < t) k++;
      // Several samples at one time: the last one wins (a duplicate timestamp has one cell).
      col[k] = s.value[i] as number;
    }
    return col;
  });
  return { time, columns };
}

export function alignResampled(series: readonly Series[], grid: Float64Array): WideTable {
  return { time: grid, columns: series.map((s) => holdOnto(s, grid).value) };
}
