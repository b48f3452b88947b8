/**
 * Amplitude spectrum of a uniformly sampled signal: Hann window, radix-2 FFT. Written here
 * (no dependency) because it is small and the renderer may use it too. Scaled so that a sine
 * of amplitude A shows a peak of about A at its frequency (coherent gain of the window removed).
 */

/** In-place iterative radix-2 FFT; `re.length` must be a power of two. */
export function fftInPlace(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (n !== im.length || (n & (n - 1)) !== 0) throw new Error(`FFT length must be a power of two, got ${n}`);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i] as number;
      re[i] = re[j] as number;
      re[j] = tr;
      const ti = im[i] as number;
      im[i] = im[j] as number;
      im[j] = ti;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    const half = len >> 1;
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < half; k++) {
        const a = i + k;
        const b = a + half;
        const xr = (re[b] as number) * cr - (im[b] as number) * ci;
        const xi = (re[b] as number) * ci + (im[b] as number) * cr;
        re[b] = (re[a] as number) - xr;
        im[b] = (im[a] as number) - xi;
        re[a] = (re[a] as number) + xr;
        im[a] = (im[a] as number) + xi;
        const nr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = nr;
      }
    }
  }
}

export const nextPow2 = (n: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

export interface Spectrum {
  /** Hz, from 0 to the Nyquist frequency. */
  readonly freq: Float64Array<ArrayBuffer>;
  /** Peak amplitude in the signal's unit. */
  readonly amplitude: Float64Array<ArrayBuffer>;
}

/**
 * The one-sided amplitude spectrum of `samples` taken at `rateHz`. The mean is removed first
 * (a DC offset would leak through the window and hide small peaks); samples are zero-padded
 * to a power of two. NaN samples count as the mean.
 */
export function amplitudeSpectrum(samples: Float64Array, rateHz: number): Spectrum {
  const n = samples.length;
  if (n < 2) return { freq: new Float64Array(0), amplitude: new Float64Array(0) };
  let sum = 0;
  let finite = 0;
  for (const v of samples)
    if (Number.isFinite(v)) {
      sum += v;
      finite++;
    }
  const mean = finite > 0 ? sum / finite : 0;
  const size = nextPow2(n);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  let gain = 0;
  for (let i = 0; i < n; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
    gain += w;
    const v = samples[i] as number;
    re[i] = (Number.isFinite(v) ? v - mean : 0) * w;
  }
  fftInPlace(re, im);
  const bins = size / 2 + 1;
  const freq = new Float64Array(bins);
  const amplitude = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    freq[k] = (k * rateHz) / size;
    const mag = Math.hypot(re[k] as number, im[k] as number);
    amplitude[k] = ((k === 0 || k === size / 2 ? 1 : 2) * mag) / gain;
  }
  amplitude[0] = mean;
  return { freq, amplitude };
}
