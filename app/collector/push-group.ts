/**
 * Signals of one connection and timebase that the device pushes (OPC UA subscription, MQTT,
 * EGD): the driver calls back with samples, the group scales them and hands batches on.
 * The timebase is passed to the driver as the requested sampling interval.
 */
import type { GroupStats } from '../shared/contract';
import type { SampleBatch } from '../shared/samples';
import type { DriverSession, PushedSample } from '../drivers/driver';
import { engineering, gapBatch, groupKey, type GroupSink, type SignalGroup } from './group';
import type { CollectorSignal } from './messages';

export class PushGroup implements SignalGroup {
  private subscription: { close(): Promise<void> } | undefined;
  private generation = 0;
  private pushes = 0;
  private samples = 0;

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
    if (!session.subscribe) throw new Error(`${this.connection}: this driver cannot push`);
    const generation = ++this.generation;
    session
      .subscribe(this.addresses, this.timebaseMs, {
        samples: (pushed) => {
          if (generation !== this.generation || pushed.length === 0) return;
          this.pushes++;
          this.samples += pushed.length;
          sink.samples(this.toBatch(pushed));
        },
        error: (message) => sink.readError(message),
      })
      .then(
        (sub) => {
          if (generation === this.generation) this.subscription = sub;
          else void sub.close().catch(() => undefined);
        },
        (e: unknown) => {
          if (generation === this.generation) sink.broken(e instanceof Error ? e.message : String(e));
        },
      );
  }

  private toBatch(pushed: readonly PushedSample[]): SampleBatch {
    const n = pushed.length;
    const batch: SampleBatch = { signal: new Uint32Array(n), ts: new Float64Array(n), value: new Float64Array(n), quality: new Uint8Array(n) };
    for (let i = 0; i < n; i++) {
      const p = pushed[i] as PushedSample;
      const s = this.signals[p.index];
      if (!s) continue;
      batch.signal[i] = s.id;
      batch.ts[i] = p.ts;
      batch.quality[i] = p.quality;
      batch.value[i] = engineering(s, p.value, p.quality);
    }
    return batch;
  }

  gapBatch(ts: number): SampleBatch {
    return gapBatch(this.signals, ts);
  }

  stop(): void {
    this.generation++;
    const sub = this.subscription;
    this.subscription = undefined;
    void sub?.close().catch(() => undefined);
  }

  stats(): GroupStats {
    return {
      connection: this.connection,
      mode: 'push',
      timebaseMs: this.timebaseMs,
      signals: this.signals.length,
      cycles: this.pushes,
      overruns: 0,
      lastCycleMs: 0,
      jitterP50Ms: 0,
      jitterP99Ms: 0,
      jitterMaxMs: 0,
      predictedCycleMs: null,
    };
  }
}
