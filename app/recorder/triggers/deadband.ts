/**
 * On-change recording: per signal, a sample is kept when it moved more than the deadband
 * (absolute, or percent of the last kept value) from the last kept sample, when its quality
 * changed, or when maxIntervalMs passed since the last kept one (the heartbeat, so a
 * constant signal still shows up). Signals without a band are always kept. Pure and
 * chunking-independent: the mask of a stream does not depend on how it is cut into batches.
 */
import type { SampleBatch } from '../../shared/samples';

export interface Band {
  readonly signal: number;
  readonly deadband: number;
  readonly percent: boolean;
  readonly maxIntervalMs: number;
}

interface Last {
  value: number;
  ts: number;
  quality: number;
}

export class DeadbandFilter {
  private readonly bands = new Map<number, Band>();
  private readonly last = new Map<number, Last>();

  constructor(bands: readonly Band[]) {
    for (const b of bands) this.bands.set(b.signal, b);
  }

  get active(): boolean {
    return this.bands.size > 0;
  }

  /** 1 where the sample is recorded, 0 where the filter drops it. */
  mask(batch: SampleBatch): Uint8Array<ArrayBuffer> {
    const n = batch.ts.length;
    const keep = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const signal = batch.signal[i] as number;
      const band = this.bands.get(signal);
      if (!band) {
        keep[i] = 1;
        continue;
      }
      const v = batch.value[i] as number;
      const t = batch.ts[i] as number;
      const q = batch.quality[i] as number;
      const last = this.last.get(signal);
      if (!last || changed(band, last, v, t, q)) {
        keep[i] = 1;
        if (last) {
          last.value = v;
          last.ts = t;
          last.quality = q;
        } else this.last.set(signal, { value: v, ts: t, quality: q });
      }
    }
    return keep;
  }
}

function changed(band: Band, last: Last, v: number, t: number, q: number): boolean {
  if (q !== last.quality) return true;
  if (t - last.ts >= band.maxIntervalMs) return true;
  const nanNow = Number.isNaN(v);
  if (nanNow || Number.isNaN(last.value)) return nanNow !== Number.isNaN(last.value);
  const limit = band.percent ? (Math.abs(last.value) * band.deadband) / 100 : band.deadband;
  return Math.abs(v - last.value) > limit;
}

/** The samples of `batch` where `keep` is 1, as a new batch; the batch itself when nothing is dropped. */
export function compact(batch: SampleBatch, keep: Uint8Array | null): SampleBatch {
  if (!keep) return batch;
  let n = 0;
  for (let i = 0; i < keep.length; i++) n += keep[i] as number;
  if (n === keep.length) return batch;
  const out = { signal: new Uint32Array(n), ts: new Float64Array(n), value: new Float64Array(n), quality: new Uint8Array(n) };
  let j = 0;
  for (let i = 0; i < keep.length; i++) {
    if (!keep[i]) continue;
    out.signal[j] = batch.signal[i] as number;
    out.ts[j] = batch.ts[i] as number;
    out.value[j] = batch.value[i] as number;
    out.quality[j] = batch.quality[i] as number;
    j++;
  }
  return out;
}

/** Which samples are recorded: the on-change verdict and the recording's signal selection together; null = all. */
export function recordMask(batch: SampleBatch, keep: Uint8Array | null, selected: ReadonlySet<number> | null): Uint8Array | null {
  if (!selected) return keep;
  const out = keep ? Uint8Array.from(keep) : new Uint8Array(batch.ts.length).fill(1);
  for (let i = 0; i < out.length; i++) if (!selected.has(batch.signal[i] as number)) out[i] = 0;
  return out;
}
