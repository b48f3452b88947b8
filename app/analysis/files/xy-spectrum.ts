/**
 * The X/Y and spectrum panes' data, computed where the samples are (the engine), so the
 * renderer gets at most a few tens of thousands of points as flat Float64Arrays.
 */
import { amplitudeSpectrum } from '../../shared/fft';
import { holdOnto, makeGrid, type Series } from '../export/align';

export interface XY {
  readonly x: Float64Array<ArrayBuffer>;
  readonly y: Float64Array<ArrayBuffer>;
  readonly t: Float64Array<ArrayBuffer>;
  readonly total: number;
}

/**
 * Y against X: both held (zero-order) onto the times of the faster one, rows where either is
 * missing dropped, then every k-th point so at most `maxPoints` remain (a scatter shows the
 * shape; k-th sampling keeps the density honest, unlike min/max which favours outliers).
 */
export function alignXY(x: Series, y: Series, maxPoints: number): XY {
  const base = x.ts.length >= y.ts.length ? x.ts : y.ts;
  const hx = holdOnto(x, base).value;
  const hy = holdOnto(y, base).value;
  const keep: number[] = [];
  for (let i = 0; i < base.length; i++) if (Number.isFinite(hx[i] as number) && Number.isFinite(hy[i] as number)) keep.push(i);
  const step = Math.max(1, Math.ceil(keep.length / maxPoints));
  const n = Math.ceil(keep.length / step);
  const out = { x: new Float64Array(n), y: new Float64Array(n), t: new Float64Array(n), total: keep.length };
  for (let k = 0; k < n; k++) {
    const i = keep[k * step] as number;
    out.x[k] = hx[i] as number;
    out.y[k] = hy[i] as number;
    out.t[k] = base[i] as number;
  }
  return out;
}

/** The median step between samples, in ms (robust against gaps). */
export function medianStepMs(ts: Float64Array): number {
  const d: number[] = [];
  for (let i = 1; i < ts.length; i++) {
    const s = (ts[i] as number) - (ts[i - 1] as number);
    if (s > 0) d.push(s);
  }
  d.sort((a, b) => a - b);
  return d[Math.floor(d.length / 2)] ?? Number.NaN;
}

export interface SpectrumResult {
  readonly freq: Float64Array<ArrayBuffer>;
  readonly amplitude: Float64Array<ArrayBuffer>;
  readonly rateHz: number;
  readonly samples: number;
  readonly from: number;
  readonly to: number;
}

/**
 * Resample to a uniform rate (the signal's own median rate unless given) by zero-order hold,
 * then the Hann-window amplitude spectrum; more than `maxSamples` points are split into
 * segments whose spectra are averaged (Welch without overlap), so memory stays bounded.
 */
export function signalSpectrum(s: Series, maxSamples: number, rateHz?: number): SpectrumResult {
  if (s.ts.length < 4) throw new Error(`too few samples for a spectrum (${s.ts.length}); choose a longer range`);
  const rate = rateHz ?? 1000 / medianStepMs(s.ts);
  if (!Number.isFinite(rate) || rate <= 0) throw new Error('cannot tell the sample rate: all samples have the same time');
  const from = s.ts[0] as number;
  const to = s.ts[s.ts.length - 1] as number;
  const grid = makeGrid(from, to, 1000 / rate);
  const values = holdOnto(s, grid).value;
  const seg = Math.min(values.length, maxSamples);
  let acc: Float64Array<ArrayBuffer> | null = null;
  let freq: Float64Array<ArrayBuffer> = new Float64Array(0);
  let count = 0;
  for (let start = 0; start + seg <= values.length; start += seg) {
    const sp = amplitudeSpectrum(values.subarray(start, start + seg), rate);
    if (!acc) acc = new Float64Array(sp.amplitude.length);
    for (let k = 0; k < acc.length; k++) acc[k] = (acc[k] as number) + (sp.amplitude[k] as number);
    freq = sp.freq;
    count++;
  }
  const amplitude = acc ?? new Float64Array(0);
  for (let k = 0; k < amplitude.length; k++) amplitude[k] = (amplitude[k] as number) / Math.max(1, count);
  return { freq, amplitude, rateHz: rate, samples: values.length, from, to };
}
