import { describe, expect, it } from 'vitest';
import { alignXY, signalSpectrum } from './xy-spectrum';

const series = (ts: number[], value: number[]) => ({ ts: Float64Array.from(ts), value: Float64Array.from(value), quality: new Uint8Array(ts.length) });

describe('alignXY', () => {
  it('holds the slower signal onto the faster one and drops rows before both exist', () => {
    const x = series([0, 10, 20, 30, 40], [0, 1, 2, 3, 4]);
    const y = series([15, 35], [100, 200]);
    const xy = alignXY(x, y, 100);
    expect([...xy.x]).toEqual([2, 3, 4]);
    expect([...xy.y]).toEqual([100, 100, 200]);
    expect(xy.total).toBe(3);
  });

  it('decimates to at most maxPoints', () => {
    const n = 100_000;
    const ts = Array.from({ length: n }, (_, i) => i);
    const xy = alignXY(series(ts, ts), series(ts, ts.map((v) => 2 * v)), 20_000);
    expect(xy.x.length).toBeLessThanOrEqual(20_000);
    expect(xy.total).toBe(n);
    for (let i = 0; i < xy.x.length; i += 997) expect(xy.y[i]).toBe(2 * (xy.x[i] as number));
  });
});

describe('signalSpectrum', () => {
  it('finds a 5 Hz vibration sampled every 10 ms (with jitter) at the right frequency and amplitude', () => {
    const ts: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const t = i * 10 + (i % 3 === 0 ? 0.4 : 0);
      ts.push(1e12 + t);
      v.push(50 + 2 * Math.sin(2 * Math.PI * 5 * (t / 1000)));
    }
    const s = signalSpectrum(series(ts, v), 1 << 16);
    expect(s.rateHz).toBeCloseTo(100, 0);
    let best = 1;
    for (let k = 1; k < s.amplitude.length; k++) if ((s.amplitude[k] as number) > (s.amplitude[best] as number)) best = k;
    expect(s.freq[best]).toBeCloseTo(5, 1);
    expect(s.amplitude[best]).toBeGreaterThan(1.6);
    expect(s.amplitude[best]).toBeLessThan(2.1);
  });

  it('averages segments when there are more samples than maxSamples', () => {
    const ts = Array.from({ length: 10_000 }, (_, i) => i);
    const v = ts.map((t) => Math.sin(2 * Math.PI * 100 * (t / 1000)));
    const s = signalSpectrum(series(ts, v), 1024);
    expect(s.freq.length).toBe(513);
    let best = 1;
    for (let k = 1; k < s.amplitude.length; k++) if ((s.amplitude[k] as number) > (s.amplitude[best] as number)) best = k;
    expect(s.freq[best]).toBeCloseTo(100, 0);
  });
});
