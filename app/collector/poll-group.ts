/**
 * The signals of one connection that share a timebase, read together on one ticker.
 * One read in flight at a time: a tick that finds the previous read still running is an
 * overrun, not a second request piling onto a slow PLC.
 */
import type { GroupStats } from '../shared/contract';
import { Quality } from '../shared/samples';
import type { SampleBatch } from '../shared/samples';
import type { DriverSession, PreparedRead } from '../drivers/driver';
import { engineering, gapBatch, groupKey, type GroupSink, type SignalGroup } from './group';
import type { CollectorSignal } from './messages';
import { RollingStats, nowMs } from './stats';
import { startTicker, type Ticker } from './ticker';

export class PollGroup implements SignalGroup {
  private ticker: Ticker | undefined;
  private prepared: PreparedRead | undefined;
  private inFlight = false;
  private cycles = 0;
  private overruns = 0;
  private lastCycleMs = 0;
  private readonly lateness = new RollingStats(2048);

  constructor(
    readonly connection: string,
    readonly timebaseMs: number,
    private readonly signals: readonly CollectorSignal[],
    private readonly addresses: readonly unknown[],
  ) {}

  get key(): string {
    return groupKey(this.timebaseMs, this.signals);
  }

  start(session: DriverSession, sink: GroupSink): void {
    this.stop();
    if (!session.prepare || !session.read) throw new Error(`${this.connection}: this driver cannot be polled`);
    this.prepared = session.prepare(this.addresses);
    this.ticker = startTicker(this.timebaseMs, (tick) => {
      this.lateness.add(tick.firedMs - tick.dueMs);
      this.overruns += tick.skipped;
      if (this.inFlight) {
        this.overruns++;
        return;
      }
      void this.cycle(session, sink);
    });
  }

  private async cycle(session: DriverSession, sink: GroupSink): Promise<void> {
    const prepared = this.prepared;
    if (!prepared || !session.read) return;
    this.inFlight = true;
    const sent = nowMs();
    try {
      const result = await session.read(prepared);
      const received = nowMs();
      this.lastCycleMs = received - sent;
      this.cycles++;
      // The PLC sampled somewhere between request and reply; the midpoint is the honest estimate.
      sink.samples(this.toBatch((sent + received) / 2, result.values, result.quality));
      for (const e of result.errors) sink.readError(e);
    } catch (e) {
      if (this.ticker) sink.broken(e instanceof Error ? e.message : String(e));
    } finally {
      this.inFlight = false;
    }
  }

  private toBatch(ts: number, raw: Float64Array, quality: Uint8Array): SampleBatch {
    const n = this.signals.length;
    const batch: SampleBatch = { signal: new Uint32Array(n), ts: new Float64Array(n).fill(ts), value: new Float64Array(n), quality: new Uint8Array(n) };
    for (let i = 0; i < n; i++) {
      const s = this.signals[i] as CollectorSignal;
      batch.signal[i] = s.id;
      const q = quality[i] ?? Quality.bad;
      batch.quality[i] = q;
      batch.value[i] = engineering(s, raw[i] as number, q);
    }
    return batch;
  }

  gapBatch(ts: number): SampleBatch {
    return gapBatch(this.signals, ts);
  }

  stop(): void {
    this.ticker?.stop();
    this.ticker = undefined;
  }

  stats(): GroupStats {
    return {
      connection: this.connection,
      mode: 'poll',
      timebaseMs: this.timebaseMs,
      signals: this.signals.length,
      cycles: this.cycles,
      overruns: this.overruns,
      lastCycleMs: this.lastCycleMs,
      jitterP50Ms: this.lateness.percentile(50),
      jitterP99Ms: this.lateness.percentile(99),
      jitterMaxMs: this.lateness.percentile(100),
      predictedCycleMs: null,
    };
  }
}
