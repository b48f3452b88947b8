/**
 * One connection's life: connecting → connected → disconnected (with the reason) → wait
 * (exponential backoff with jitter) → connecting … until stopped. While connected its
 * polling groups tick; when the link breaks each group writes a gap marker.
 */
import type { ConnectionConfig, ConnectionState, ConnectionStatus } from '../shared/contract';
import type { SampleBatch } from '../shared/samples';
import type { DriverSession } from '../drivers/driver';
import { driverFor } from '../drivers';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import type { CollectorSignal } from './messages';
import type { GroupSink, SignalGroup } from './group';
import { PollGroup } from './poll-group';
import { PushGroup } from './push-group';
import { nowMs } from './stats';

export interface RunnerSink {
  samples(batch: SampleBatch): void;
  status(status: ConnectionStatus): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

export class ConnectionRunner {
  private state: ConnectionState = 'connecting';
  private lastError: string | null = null;
  private since = Date.now();
  private reconnects = 0;
  private attempt = 0;
  private reads = 0;
  private errors = 0;
  private nextRetryMs: number | null = null;
  private session: DriverSession | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private groups: SignalGroup[];
  /** The running session and the sink its groups report to, while connected. */
  private live: { session: DriverSession; sink: GroupSink } | undefined;

  constructor(
    readonly config: ConnectionConfig,
    public signals: readonly CollectorSignal[],
    private readonly sink: RunnerSink,
    private readonly backoff: BackoffPolicy = DEFAULT_BACKOFF,
  ) {
    this.groups = this.buildGroups(signals);
  }

  /**
   * Hot reload of this connection's signals: groups whose signals are unchanged keep running
   * on the same session (no reconnect, no lost cycles); only changed groups restart.
   */
  updateSignals(signals: readonly CollectorSignal[]): void {
    const next = this.buildGroups(signals);
    const kept: SignalGroup[] = [];
    for (const g of next) {
      const same = this.groups.find((old) => old.key === g.key);
      if (same) kept.push(same);
      else {
        kept.push(g);
        if (this.live) g.start(this.live.session, this.live.sink);
      }
    }
    for (const old of this.groups) if (!kept.includes(old)) old.stop();
    this.groups = kept;
    this.signals = signals;
  }

  private buildGroups(signals: readonly CollectorSignal[]): SignalGroup[] {
    const driver = driverFor(this.config);
    const byTimebase = new Map<number, { signals: CollectorSignal[]; addresses: unknown[] }>();
    for (const s of signals) {
      const parsed = driver.parseAddress(s.address);
      if (!parsed.ok) {
        this.sink.log('error', `${this.config.name}: signal ${s.id} address ${s.address}: ${parsed.error.message}`);
        continue;
      }
      const g = byTimebase.get(s.timebaseMs) ?? { signals: [], addresses: [] };
      g.signals.push(s);
      g.addresses.push(parsed.value);
      byTimebase.set(s.timebaseMs, g);
    }
    const Group = driver.mode === 'push' ? PushGroup : PollGroup;
    return [...byTimebase].map(([tb, g]) => new Group(this.config.name, tb, g.signals, g.addresses));
  }

  start(): void {
    if (!this.config.enabled) {
      this.setState('disabled', null);
      return;
    }
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.nextRetryMs = null;
    this.setState('connecting', this.lastError);
    const session = driverFor(this.config).open(this.config);
    this.session = session;
    let broken = false;
    const onBroken = (reason: string): void => {
      if (broken || this.stopped || this.session !== session) return;
      broken = true;
      this.onLinkLost(session, reason);
    };
    session.onDrop(onBroken);
    try {
      await session.connect();
    } catch (e) {
      onBroken(e instanceof Error ? e.message : String(e));
      return;
    }
    if (this.stopped || broken) {
      await session.close().catch(() => undefined);
      return;
    }
    this.attempt = 0;
    this.setState('connected', null);
    const sink: GroupSink = {
      samples: (b) => {
        this.reads++;
        this.sink.samples(b);
      },
      broken: onBroken,
      readError: (message) => {
        this.errors++;
        this.lastError = message;
        this.sink.log('warn', `${this.config.name}: ${message}`);
      },
    };
    this.live = { session, sink };
    for (const g of this.groups) g.start(session, sink);
  }

  private onLinkLost(session: DriverSession, reason: string): void {
    const wasConnected = this.state === 'connected';
    this.live = undefined;
    for (const g of this.groups) g.stop();
    if (wasConnected) {
      const at = nowMs();
      for (const g of this.groups) this.sink.samples(g.gapBatch(at));
      this.reconnects++;
    }
    this.errors++;
    void session.close().catch(() => undefined);
    const delay = backoffDelay(this.attempt++, this.backoff);
    this.nextRetryMs = delay;
    this.setState('disconnected', reason);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private setState(state: ConnectionState, lastError: string | null): void {
    if (state !== this.state) this.since = Date.now();
    this.state = state;
    this.lastError = lastError;
    this.sink.status(this.status());
  }

  status(): ConnectionStatus {
    return {
      name: this.config.name,
      protocol: this.config.protocol,
      endpoint: driverFor(this.config).endpoint(this.config),
      state: this.state,
      lastError: this.lastError,
      since: this.since,
      reconnects: this.reconnects,
      nextRetryMs: this.nextRetryMs,
      reads: this.reads,
      errors: this.errors,
    };
  }

  groupStats() {
    return this.groups.map((g) => g.stats());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.live = undefined;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const g of this.groups) g.stop();
    await this.session?.close().catch(() => undefined);
  }
}
