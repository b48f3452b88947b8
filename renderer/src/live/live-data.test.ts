import { describe, expect, it } from 'vitest';
import { LiveData } from './live-data';

const batch = (signal: number[], ts: number[], value: number[]) => ({
  subscription: 's',
  signal: Uint32Array.from(signal),
  ts: Float64Array.from(ts),
  value: Float64Array.from(value),
  quality: new Uint8Array(signal.length),
  dropped: 0,
});

describe('LiveData', () => {
  it('routes samples to per-signal traces and counts them', () => {
    const live = new LiveData();
    live.ingest(batch([1, 2, 1], [10, 10, 20], [5, 6, 7]));
    expect(Array.from(live.trace(1)?.toXY() ?? [])).toEqual([10, 5, 20, 7]);
    expect(live.trace(2)?.latest()?.value).toBe(6);
    expect(live.received).toBe(3);
  });

  it('a lost engine link becomes a gap in every trace, not a bridged line', () => {
    const live = new LiveData();
    live.ingest(batch([1], [Date.now()], [5]));
    live.markGap();
    live.ingest(batch([1], [Date.now() + 5000], [9]));
    const xy = live.trace(1)?.toXY() ?? new Float64Array();
    expect(xy.length).toBe(6);
    expect(Number.isNaN(xy[3])).toBe(true);
  });
});
