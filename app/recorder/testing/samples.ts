/** Test helpers: a batch descriptor and polls of the demo line's kind of signals. */
import type { SampleBatch } from '../../shared/samples';
import type { BatchDescriptor, SignalDescriptor } from '../format';

export const T0 = Date.UTC(2026, 2, 29, 6, 0, 0);

const sig = (id: number, name: string, unit: string): SignalDescriptor & { id: number } => ({
  id,
  name,
  unit,
  description: `${name} of the demo line`,
  source: { connection: 'Demo Line', address: `hr:${id}:int16` },
  data_type: 'double',
  scale: 0.1,
  offset: 0,
  timebase_ms: 20,
});

export const SIGNALS = [sig(0, 'Line Speed', 'm/min'), sig(1, 'Coil Length', 'm'), sig(2, 'Entry Tension', 'kN'), sig(3, 'Coil ID', '')];

export function descriptor(over: Partial<BatchDescriptor> = {}): BatchDescriptor {
  return { id: 'L1-2026-03-29T06-00-00.000Z', line: 'Line 1', coil: '4711', start: T0, openedBy: 'coil id changed to 4711', signals: SIGNALS, lengthIndex: null, compression: 'zstd', ...over };
}

/**
 * `n` polls of every signal, 20 ms apart, in time order (as the collector sends them):
 * speed 600 m/min, length k·0.2 m, others s·1000 + k; every 50th poll is bad.
 */
export function polls(n: number, t0 = T0, signals = 4): SampleBatch {
  const len = n * signals;
  const b = { signal: new Uint32Array(len), ts: new Float64Array(len), value: new Float64Array(len), quality: new Uint8Array(len) };
  for (let k = 0; k < n; k++) {
    for (let s = 0; s < signals; s++) {
      const i = k * signals + s;
      b.signal[i] = s;
      b.ts[i] = t0 + k * 20;
      b.value[i] = s === 0 ? 600 : s === 1 ? k * 0.2 : s * 1000 + k;
      b.quality[i] = k % 50 === 49 ? 3 : 0;
    }
  }
  return b;
}
