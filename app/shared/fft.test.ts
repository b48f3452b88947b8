import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { amplitudeSpectrum, fftInPlace } from './fft';

function peak(a: Float64Array): number {
  let best = 1;
  for (let k = 1; k < a.length; k++) if ((a[k] as number) > (a[best] as number)) best = k;
  return best;
}

describe('amplitudeSpectrum', () => {
  it('finds a 50 Hz sine of amplitude 3 sampled at 1 kHz, at 50 Hz and about 3', () => {
    const rate = 1000;
    const x = Float64Array.from({ length: 4096 }, (_, i) => 10 + 3 * Math.sin(2 * Math.PI * 50 * (i / rate)));
    const s = amplitudeSpectrum(x, rate);
    const k = peak(s.amplitude);
    expect(Math.abs((s.freq[k] as number) - 50)).toBeLessThan(rate / 4096);
    expect(s.amplitude[k]).toBeGreaterThan(2.5);
    expect(s.amplitude[k]).toBeLessThan(3.1);
    expect(s.amplitude[0]).toBeCloseTo(10, 1);
  });

  it('separates two tones with their relative amplitudes', () => {
    const rate = 200;
    const x = Float64Array.from({ length: 2048 }, (_, i) => Math.sin(2 * Math.PI * 12.5 * (i / rate)) + 0.25 * Math.sin(2 * Math.PI * 40 * (i / rate)));
    const s = amplitudeSpectrum(x, rate);
    const at = (f: number): number => {
      const size = (s.freq.length - 1) * 2;
      const k = Math.round((f * size) / rate);
      return Math.max(...[k - 1, k, k + 1].map((j) => s.amplitude[j] as number));
    };
    expect(at(12.5)).toBeGreaterThan(0.85);
    expect(at(40)).toBeGreaterThan(0.2);
    expect(at(40)).toBeLessThan(0.27);
    expect(at(70)).toBeLessThan(0.01);
  });

  it('FFT matches a direct DFT', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 16, maxLength: 16 }), (values) => {
        const re = Float64Array.from(values);
        const im = new Float64Array(16);
        fftInPlace(re, im);
        for (let k = 0; k < 16; k++) {
          let r = 0;
          let i = 0;
          values.forEach((v, n) => {
            r += v * Math.cos((-2 * Math.PI * k * n) / 16);
            i += v * Math.sin((-2 * Math.PI * k * n) / 16);
          });
          expect(re[k]).toBeCloseTo(r, 6);
          expect(im[k]).toBeCloseTo(i, 6);
        }
      }),
    );
  });
});
