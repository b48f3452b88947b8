/**
 * The window's link to the engine: loads signals and connections, keeps one live
 * subscription for every signal (renewed after a reconnect), and feeds LiveData.
 */
import { MAX_LIVE_RATE } from '../../app/shared/contract';
import { LiveData } from './live/live-data';
import { useParx } from './store';
import type { Transport } from './transport/transport';

export class WindowSession {
  readonly live = new LiveData();
  private subscription: string | null = null;

  constructor(readonly transport: Transport) {}

  start(): void {
    const s = useParx.getState();
    this.transport.onLink((l) => {
      if (l === 'closed' && useParx.getState().link === 'open') this.live.markGap();
      useParx.getState().setLink(l);
    });
    this.transport.on('connection.state', (c) => useParx.getState().setConnection(c));
    this.transport.on('live.samples', (b) => {
      if (b.subscription === this.subscription) this.live.ingest(b);
    });
    this.transport.on('config.changed', () => void this.load());
    this.transport.onReconnect(() => void this.load());
    s.setError(null);
    void this.load();
  }

  /** (Re)loads everything and renews the live subscription. */
  async load(): Promise<void> {
    const store = useParx.getState();
    const [info, signals, connections, config] = await Promise.all([
      this.transport.call('engine.info', {}),
      this.transport.call('signals.list', {}),
      this.transport.call('connections.list', {}),
      this.transport.call('config.get', {}),
    ]);
    if (!info.ok || !signals.ok || !connections.ok) {
      const e = [info, signals, connections].find((r) => !r.ok);
      store.setError(e && !e.ok ? e.error.message : 'the engine did not answer');
      return;
    }
    store.setEngine(info.value);
    // An invalid config.json on disk: the engine runs on the last good version; say so where it is seen.
    store.setError(config.ok && config.value.problem ? config.value.problem.message : null);
    store.setSignals(signals.value);
    store.setConnections(connections.value);
    await this.resubscribe(signals.value.map((s) => s.name));
  }

  private async resubscribe(names: string[]): Promise<void> {
    const old = this.subscription;
    this.subscription = null;
    if (old) void this.transport.call('live.unsubscribe', { subscription: old });
    if (names.length === 0) return;
    const r = await this.transport.call('live.subscribe', { signals: names, maxRate: MAX_LIVE_RATE });
    if (r.ok) this.subscription = r.value.subscription;
    else useParx.getState().setError(r.error.message);
  }
}
