/**
 * Hot data: samples travel as columns of typed arrays, never as arrays of objects,
 * so a batch crosses a thread (transfer) or a socket (one binary frame) without copying
 * per sample.
 */
export const Quality = { good: 0, uncertain: 1, stale: 2, bad: 3 } as const;
export type QualityName = keyof typeof Quality;
export type QualityCode = (typeof Quality)[QualityName];

export const QUALITY_NAMES: readonly QualityName[] = ['good', 'uncertain', 'stale', 'bad'];

export function qualityName(code: number): QualityName {
  return QUALITY_NAMES[code] ?? 'bad';
}

/** One batch: sample i is (signal[i], ts[i], value[i], quality[i]). ts is ms since the Unix epoch. */
export interface SampleBatch {
  readonly signal: Uint32Array<ArrayBuffer>;
  readonly ts: Float64Array<ArrayBuffer>;
  readonly value: Float64Array<ArrayBuffer>;
  readonly quality: Uint8Array<ArrayBuffer>;
}

export function emptyBatch(): SampleBatch {
  return { signal: new Uint32Array(0), ts: new Float64Array(0), value: new Float64Array(0), quality: new Uint8Array(0) };
}

export function batchLength(b: SampleBatch): number {
  return b.ts.length;
}

/** The buffers to hand to postMessage's transfer list. */
export function batchTransferables(b: SampleBatch): ArrayBuffer[] {
  return [b.signal.buffer, b.ts.buffer, b.value.buffer, b.quality.buffer];
}
