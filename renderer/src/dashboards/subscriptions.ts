/**
 * Live data for dashboards, coalesced: every widget asks for (signals, rate); widgets that
 * ask for the same set at the same rate share one `live.subscribe`, counted by reference
 * and closed when the last one lets go. Subscriptions are renewed after a reconnect.
 * Samples land in one store per window, keyed by signal, so two subscriptions that carry
 * the same signal (at different rates) never add a sample twice.
 */
import type { Disposable, Transport } from '../transport/transport';
import { SignalTrace } from '../live/signal-trace';
import type { LiveSamples } from '../../../app/shared/contract';
import { MAX_WIDGET_RATE } from '../../../app/shared/dashboards/schema';

export type LiveTransport = Pick<Transport, 'call' | 'on' | 'onReconnect' | 'onLink'>;

interface Entry {
  readonly key: string;
  readonly signals: string[];
  readonly rate: number;
  refs: number;
  subscription: string | null;
  error: string | null;
  /** Bumped when the entry is (re)opened, so a late reply of an older open is dropped. */
  generation: number;
}

/** Newest samples per signal, bounded by time; only newer samples are added (coalesced subscriptions overlap). */
export class DashboardLive {
  private readonly traces = new Map<number, SignalTrace>();
  private readonly ids = new Map<string, number>();
  private readonly newest = new Map<number, number>();
  version = 0;
  received = 0;
  private clockOffset = 0;

  constructor(readonly windowMs = 15 * 60_000) {}

  learn(name: string, id: number): void {
    this.ids.set(name, id);
  }

  idOf(name: string): number | undefined {
    return this.ids.get(name);
  }

  ingest(b: LiveSamples): void {
    const { signal, ts, value, quality } = b;
    for (let i = 0; i < ts.length; i++) {
      const id = signal[i] as number;
      const t = ts[i] as number;
      if (t <= (this.newest.get(id) ?? -Infinity)) continue;
      this.newest.set(id, t);
      let trace = this.traces.get(id);
      if (!trace) this.traces.set(id, (trace = new SignalTrace(8192)));
      trace.push(t, value[i] as number, quality[i] as number);
      this.received++;
    }
    const last = ts.length ? (ts[ts.length - 1] as number) : 0;
    if (last) {
      this.clockOffset = last - Date.now();
      for (const tr of this.traces.values()) tr.trimBefore(last - this.windowMs);
    }
    this.version++;
  }

  /** The link dropped: what happened meanwhile is unknown, so every trace gets a gap. */
  markGap(): void {
    const at = this.engineNow();
    for (const [id, tr] of this.traces) {
      tr.push(at, NaN, 3);
      this.newest.set(id, at);
    }
    this.version++;
  }

  engineNow(): number {
    return Date.now() + this.clockOffset;
  }

  trace(name: string): SignalTrace | undefined {
    const id = this.ids.get(name);
    return id === undefined ? undefined : this.traces.get(id);
  }
}

export function subscriptionKey(signals: readonly string[], rate: number): string {
  return `${rate}|${[...new Set(signals)].sort().join('\u0001')}`;
}

export class LiveSubscriptions {
  readonly data = new DashboardLive();
  private readonly entries = new Map<string, Entry>();
  private readonly bySubscription = new Map<string, Entry>();
  /** How many live.subscribe requests went out (for tests and the benchmark). */
  subscribeCalls = 0;
  private readonly listeners: Disposable[];

  constructor(private readonly transport: LiveTransport) {
    this.listeners = [
      transport.on('live.samples', (b) => {
        if (this.bySubscription.has(b.subscription)) this.data.ingest(b);
      }),
      transport.onLink((l) => {
        if (l === 'closed') this.data.markGap();
      }),
      // The engine forgot our subscriptions with the old connection: open them again.
      transport.onReconnect(() => {
        this.bySubscription.clear();
        for (const e of this.entries.values()) void this.open(e);
      }),
    ];
  }

  /** Signals at a rate (≤ 30 Hz) for as long as the returned handle is not disposed. */
  acquire(signals: readonly string[], rate: number): Disposable {
    const names = [...new Set(signals)].filter((s) => s.length > 0);
    if (names.length === 0) return { dispose: () => undefined };
    const r = Math.min(MAX_WIDGET_RATE, Math.max(0.1, rate));
    const key = subscriptionKey(names, r);
    let e = this.entries.get(key);
    if (!e) {
      e = { key, signals: names.sort(), rate: r, refs: 0, subscription: null, error: null, generation: 0 };
      this.entries.set(key, e);
      void this.open(e);
    }
    e.refs++;
    const entry = e;
    let released = false;
    return {
      dispose: () => {
        if (released) return;
        released = true;
        entry.refs--;
        if (entry.refs === 0) this.close(entry);
      },
    };
  }

  private async open(e: Entry): Promise<void> {
    const generation = ++e.generation;
    this.subscribeCalls++;
    const r = await this.transport.call('live.subscribe', { signals: e.signals, maxRate: e.rate });
    if (!r.ok) {
      if (generation === e.generation) e.error = r.error.message;
      return;
    }
    const sub = r.value.subscription;
    for (const s of r.value.signals) this.data.learn(s.name, s.id);
    if (generation !== e.generation || this.entries.get(e.key) !== e) {
      // Released (or reopened) while the request was on its way.
      void this.transport.call('live.unsubscribe', { subscription: sub });
      return;
    }
    e.subscription = sub;
    e.error = null;
    this.bySubscription.set(sub, e);
  }

  private close(e: Entry): void {
    this.entries.delete(e.key);
    e.generation++;
    if (e.subscription) {
      this.bySubscription.delete(e.subscription);
      void this.transport.call('live.unsubscribe', { subscription: e.subscription });
      e.subscription = null;
    }
  }

  problem(signals: readonly string[], rate: number): string | null {
    return this.entries.get(subscriptionKey(signals, Math.min(MAX_WIDGET_RATE, Math.max(0.1, rate))))?.error ?? null;
  }

  /** Open subscriptions and the widgets holding them. */
  stats(): { subscriptions: number; refs: number } {
    let refs = 0;
    for (const e of this.entries.values()) refs += e.refs;
    return { subscriptions: this.entries.size, refs };
  }

  dispose(): void {
    for (const l of this.listeners) l.dispose();
    for (const e of [...this.entries.values()]) this.close(e);
  }
}

const perTransport = new WeakMap<object, LiveSubscriptions>();

/** One manager per window's transport, so every dashboard pane coalesces with every other. */
export function liveSubscriptionsFor(transport: LiveTransport): LiveSubscriptions {
  let s = perTransport.get(transport);
  if (!s) {
    const created = new LiveSubscriptions(transport);
    perTransport.set(transport, (s = created));
    // Read by the e2e test and the benchmark (a hidden pane's DOM is detached, so they ask here).
    if (typeof window !== 'undefined') (window as unknown as { parxDashboardLive?: () => unknown }).parxDashboardLive = () => ({ ...created.stats(), calls: created.subscribeCalls });
  }
  return s;
}
