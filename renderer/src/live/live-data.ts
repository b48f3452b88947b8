/**
 * All live traces of this window, fed by `live.samples` events. Mutable on purpose and
 * outside React: samples arrive up to 30 times a second, panes redraw on their own cadence.
 */
import type { LiveSamples } from '../../../app/shared/contract';
import { SignalTrace } from './signal-trace';

export class LiveData {
  private readonly traces = new Map<number, SignalTrace>();
  dropped = 0;
  received = 0;
  /** Bumped on every batch, so a pane can skip a redraw when nothing changed. */
  version = 0;
  /** Engine clock minus this page's clock, from the newest sample: a remote viewer's clock may differ. */
  private clockOffset = 0;

  constructor(readonly windowMs = 120_000) {}

  ingest(batch: LiveSamples): void {
    const { signal, ts, value, quality } = batch;
    for (let i = 0; i < ts.length; i++) {
      const id = signal[i] as number;
      let trace = this.traces.get(id);
      if (!trace) this.traces.set(id, (trace = new SignalTrace()));
      trace.push(ts[i] as number, value[i] as number, quality[i] as number);
    }
    const newest = ts.length ? (ts[ts.length - 1] as number) : 0;
    if (newest) {
      this.clockOffset = newest - Date.now();
      for (const t of this.traces.values()) t.trimBefore(newest - this.windowMs);
    }
    this.dropped += batch.dropped;
    this.received += ts.length;
    this.version++;
  }

  /**
   * The link to the engine dropped: whatever happened meanwhile is unknown to this viewer,
   * so every trace gets a gap now rather than a line bridged across the outage.
   */
  markGap(): void {
    const at = this.engineNow();
    for (const t of this.traces.values()) t.push(at, NaN, 3);
    this.version++;
  }

  /** "Now" on the engine's clock, so a live trend keeps scrolling (and a gap keeps growing) when data stop. */
  engineNow(): number {
    return Date.now() + this.clockOffset;
  }

  trace(id: number): SignalTrace | undefined {
    return this.traces.get(id);
  }
}
