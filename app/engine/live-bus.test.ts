import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SampleBatch } from '../shared/samples';
import { waitFor } from '../testing/helpers';
import { LiveBus } from './live-bus';
import { SampleRing } from './sample-ring';

function batch(signals: number[], ts: number, value = ts): SampleBatch {
  return {
    signal: Uint32Array.from(signals),
    ts: new Float64Array(signals.length).fill(ts),
    value: new Float64Array(signals.length).fill(value),
    quality: new Uint8Array(signals.length),
  };
}

describe('SampleRing', () => {
  it('keeps the newest `capacity` samples in order, counting the dropped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 200 }), (cap, n) => {
        const r = new SampleRing(cap);
        for (let i = 0; i < n; i++) r.push(i % 7, i, i * 2, 0);
        const out = r.drain();
        const kept = Math.min(cap, n);
        expect(out.ts.length).toBe(kept);
        expect(Array.from(out.ts)).toEqual(Array.from({ length: kept }, (_, k) => n - kept + k));
        expect(r.dropped).toBe(n - kept);
        expect(r.size).toBe(0);
      }),
    );
  });
});

describe('LiveBus', () => {
  let bus: LiveBus | undefined;
  afterEach(() => bus?.dispose());

  it('delivers only the subscribed signals, at most maxRate times a second', async () => {
    bus = new LiveBus();
    const got: SampleBatch[] = [];
    bus.subscribe([1, 3], 10, { deliver: (b) => got.push(b), busy: () => false });
    const start = performance.now();
    for (let i = 0; i < 60; i++) {
      bus.publish(batch([0, 1, 2, 3], i));
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(() => got.reduce((n, b) => n + b.ts.length, 0) === 120, 'all 120 samples of signals 1 and 3');
    const elapsed = performance.now() - start;
    // 10/s over the elapsed time, +1 for the leading edge.
    expect(got.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
    expect(new Set(got.flatMap((b) => Array.from(b.signal)))).toEqual(new Set([1, 3]));
  });

  it('a slow subscriber gets the newest samples and a dropped count; others are unaffected; publish never waits', async () => {
    bus = new LiveBus(100);
    let busy = true;
    const slow: { b: SampleBatch; dropped: number }[] = [];
    const fast: SampleBatch[] = [];
    bus.subscribe([0], 30, { deliver: (b, dropped) => slow.push({ b, dropped }), busy: () => busy });
    bus.subscribe([0], 30, { deliver: (b) => fast.push(b), busy: () => false });
    // 500 samples over ~400 ms: the fast one keeps up (30/s, ≤ 50 per delivery), the slow one is busy throughout.
    for (let round = 0; round < 10; round++) {
      const t0 = performance.now();
      for (let i = 0; i < 50; i++) bus.publish(batch([0], round * 50 + i));
      expect(performance.now() - t0).toBeLessThan(500); // a sanity bound, not a speed test: nothing waits for the slow one
      await new Promise((r) => setTimeout(r, 40));
    }
    await waitFor(() => fast.reduce((n, b) => n + b.ts.length, 0) === 500, 'fast subscriber gets everything');
    expect(slow).toHaveLength(0);
    busy = false;
    await waitFor(() => slow.length === 1, 'slow subscriber delivery after it drained');
    const first = slow[0];
    expect(first?.b.ts.length).toBe(100);
    expect(first?.b.ts[0]).toBe(400);
    expect(first?.b.ts[99]).toBe(499);
    expect(first?.dropped).toBe(400);
    expect(bus.droppedTotal()).toBe(400);
  });

  it('stops delivering after unsubscribe', async () => {
    bus = new LiveBus();
    const got: SampleBatch[] = [];
    const sub = bus.subscribe([5], 30, { deliver: (b) => got.push(b), busy: () => false });
    sub.dispose();
    bus.publish(batch([5], 1));
    await new Promise((r) => setTimeout(r, 60));
    expect(got).toHaveLength(0);
    expect(bus.size).toBe(0);
  });
});
