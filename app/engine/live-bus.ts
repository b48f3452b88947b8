/**
 * Fans collector samples out to subscribers (trend panes, dashboards, browser viewers).
 * Each subscriber names its signals and a maximum rate; the bus batches what arrives
 * between two deliveries, delivers on the leading edge (no added latency when idle), and
 * holds back while the subscriber's transport reports it is busy. Publishing never blocks.
 */
import type { SampleBatch } from '../shared/samples';
import { SampleRing } from './sample-ring';

export interface LiveSink {
  deliver(batch: SampleBatch, dropped: number): void;
  /** True while the transport still has too much unsent (e.g. a WebSocket's bufferedAmount). */
  busy(): boolean;
}

export interface LiveSubscription {
  readonly id: string;
  readonly signals: readonly number[];
  dispose(): void;
}

/** Enough for 30 s of 10 kSamples/s per subscriber before the oldest are dropped. */
export const DEFAULT_SUBSCRIBER_CAPACITY = 300_000;

class Subscriber {
  readonly ring: SampleRing;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastDelivery = -Infinity;
  private reportedDropped = 0;
  disposed = false;

  constructor(
    readonly id: string,
    readonly signals: readonly number[],
    private readonly intervalMs: number,
    private readonly sink: LiveSink,
    capacity: number,
  ) {
    this.ring = new SampleRing(capacity);
  }

  schedule(): void {
    if (this.timer || this.disposed) return;
    const wait = Math.max(0, this.lastDelivery + this.intervalMs - performance.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.disposed || this.ring.size === 0) return;
    if (this.sink.busy()) {
      // Try again one interval later; meanwhile the ring keeps only the newest samples.
      this.lastDelivery = performance.now();
      this.schedule();
      return;
    }
    this.lastDelivery = performance.now();
    const dropped = this.ring.dropped - this.reportedDropped;
    this.reportedDropped = this.ring.dropped;
    this.sink.deliver(this.ring.drain(), dropped);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
  }
}

export class LiveBus {
  private bySignal: Subscriber[][] = [];
  private readonly subscribers = new Map<string, Subscriber>();
  private nextId = 1;

  constructor(private readonly capacity = DEFAULT_SUBSCRIBER_CAPACITY) {}

  subscribe(signals: readonly number[], maxRate: number, sink: LiveSink): LiveSubscription {
    const id = `sub-${this.nextId++}`;
    const unique = [...new Set(signals)];
    const sub = new Subscriber(id, unique, 1000 / maxRate, sink, this.capacity);
    this.subscribers.set(id, sub);
    for (const s of unique) (this.bySignal[s] ??= []).push(sub);
    return { id, signals: unique, dispose: () => this.unsubscribe(id) };
  }

  unsubscribe(id: string): boolean {
    const sub = this.subscribers.get(id);
    if (!sub) return false;
    sub.dispose();
    this.subscribers.delete(id);
    for (const s of sub.signals) {
      const list = this.bySignal[s];
      if (list) this.bySignal[s] = list.filter((x) => x !== sub);
    }
    return true;
  }

  publish(batch: SampleBatch): void {
    const { signal, ts, value, quality } = batch;
    for (let i = 0; i < signal.length; i++) {
      const subs = this.bySignal[signal[i] as number];
      if (!subs) continue;
      for (const sub of subs) {
        sub.ring.push(signal[i] as number, ts[i] as number, value[i] as number, quality[i] as number);
        sub.schedule();
      }
    }
  }

  /** Samples dropped for slow subscribers since the engine started (current subscribers). */
  droppedTotal(): number {
    let n = 0;
    for (const s of this.subscribers.values()) n += s.ring.dropped;
    return n;
  }

  get size(): number {
    return this.subscribers.size;
  }

  dispose(): void {
    for (const id of [...this.subscribers.keys()]) this.unsubscribe(id);
  }
}
