import { describe, expect, it } from 'vitest';
import { RecentSamples } from './recent-samples';

const batch = (signal: number[], ts: number[], value: number[]) => ({
  signal: Uint32Array.from(signal),
  ts: Float64Array.from(ts),
  value: Float64Array.from(value),
  quality: new Uint8Array(signal.length),
});

describe('RecentSamples', () => {
  it('keeps each signal’s samples in order and answers time windows', () => {
    const r = new RecentSamples();
    r.keep([1, 2]);
    r.add(batch([1, 2, 1, 1], [10, 11, 20, 30], [1, 100, 2, 3]));
    expect(Array.from(r.window(1).t)).toEqual([10, 20, 30]);
    expect(Array.from(r.window(1, 15, 30).v)).toEqual([2, 3]);
    expect(Array.from(r.window(2).v)).toEqual([100]);
    expect(r.window(9).t.length).toBe(0);
  });

  it('grows, then drops the oldest once a signal reaches its share of the budget', () => {
    const r = new RecentSamples();
    r.keep(Array.from({ length: 4000 }, (_, i) => i)); // 4M / 4000 = 1000 → at least 1024 each
    const n = 5000;
    r.add(batch(new Array(n).fill(7), Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, (_, i) => i * 2)));
    const w = r.window(7);
    expect(w.t.length).toBe(1024);
    expect(w.t[0]).toBe(n - 1024);
    expect(w.v[1023]).toBe((n - 1) * 2);
    // A time going backwards (a reconnect) is dropped: the window stays ascending.
    r.add(batch([7], [10], [0]));
    expect(r.window(7).t.at(-1)).toBe(n - 1);
  });
});
