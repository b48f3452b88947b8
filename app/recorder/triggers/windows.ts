/**
 * A trigger batch's time window: samples with from ≤ t ≤ until, and after a previous batch
 * of the same trigger only t > after (so no sample is in two batches of one trigger).
 * `until` is null while the trigger is active (the stop is not known yet).
 */
import type { SampleBatch } from '../../shared/samples';

export interface Window {
  readonly from: number;
  readonly after: number;
  readonly until: number | null;
}

export const inWindow = (w: Window, t: number): boolean => t >= w.from && t > w.after && (w.until === null || t <= w.until);

/** The samples of `batch` inside the window (and kept by `keep`, when given), or null when there are none. */
export function select(batch: SampleBatch, w: Window, keep: Uint8Array | null = null): SampleBatch | null {
  const idx: number[] = [];
  for (let i = 0; i < batch.ts.length; i++) if ((!keep || keep[i]) && inWindow(w, batch.ts[i] as number)) idx.push(i);
  if (idx.length === 0) return null;
  return {
    signal: Uint32Array.from(idx, (i) => batch.signal[i] as number),
    ts: Float64Array.from(idx, (i) => batch.ts[i] as number),
    value: Float64Array.from(idx, (i) => batch.value[i] as number),
    quality: Uint8Array.from(idx, (i) => batch.quality[i] as number),
  };
}

/** What the pump remembers of a journal batch it already read, to fetch a pre-trigger window from the journal again. */
export interface RingEntry<C> {
  /** Journal position before the batch (replay from here); undefined = the journal's start. */
  readonly before: C | undefined;
  readonly maxTs: number;
  /** The on-change filter's verdict on its samples (null: no filter). */
  readonly keep: Uint8Array | null;
}

/**
 * The recent journal batches, newest last, kept as long as a pre-trigger window can reach
 * them. Only batches read since the pump started: a pre-trigger window never reaches
 * before the resume point, so after a restart nothing is written twice.
 */
export class PreTriggerRing<C> {
  private entries: RingEntry<C>[] = [];

  push(e: RingEntry<C>): void {
    this.entries.push(e);
  }

  /** Forgets batches whose newest sample is older than `t`. */
  prune(t: number): void {
    let k = 0;
    while (k < this.entries.length && (this.entries[k] as RingEntry<C>).maxTs < t) k++;
    if (k > 0) this.entries = this.entries.slice(k);
  }

  /** The batches that may hold samples at or after `t`, oldest first; sample times within a batch are not ordered, so this is by maxTs. */
  since(t: number): RingEntry<C>[] {
    const k = this.entries.findIndex((e) => e.maxTs >= t);
    return k < 0 ? [] : this.entries.slice(k);
  }

  get size(): number {
    return this.entries.length;
  }
}
