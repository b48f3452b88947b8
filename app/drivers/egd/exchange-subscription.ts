/**
 * One subscribed list of signals on one exchange: turns packets into samples and notices
 * when the exchange stops arriving. EGD has no connection to lose — a producer that stops
 * (PLC in STOP, cable pulled) just goes quiet — so silence is reported as quality 'stale'
 * on every signal, once per stale period, with the last value; the subscription stays and
 * the next packet makes the signals good again. An exchange that never arrived is bad instead.
 */
import { Quality } from '../../shared/samples';
import type { Result } from '../../shared/result';
import type { PushSink, PushedSample } from '../driver';
import type { EgdAddress } from './address';
import { consumeDamaged, consumePacket, describeExchange, type ExchangeKey, type PacketOutcome } from './consume';
import type { ProductionFrame } from './frame';

export interface ExchangeSubscriptionOptions {
  readonly key: ExchangeKey;
  readonly addresses: readonly EgdAddress[];
  readonly signature: number | undefined;
  readonly staleAfterMs: number;
  readonly sink: PushSink;
}

export class ExchangeSubscription {
  private readonly lastValues: Float64Array;
  /** Monotonic, so a clock step (SNTP, daylight saving) cannot fake silence. */
  private lastPacketAt = performance.now();
  private stale = false;
  private everReceived = false;
  private lastError: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly o: ExchangeSubscriptionOptions) {
    this.lastValues = new Float64Array(o.addresses.length).fill(NaN);
    this.arm(o.staleAfterMs);
  }

  /** Called by the listener for every packet routed to this exchange. */
  readonly onPacket = (frame: Result<ProductionFrame>, key: ExchangeKey, receivedMs: number): void => {
    if (this.closed) return;
    this.lastPacketAt = performance.now();
    this.stale = false;
    this.everReceived = true;
    const outcome: PacketOutcome = frame.ok
      ? consumePacket(frame.value, this.o.addresses, this.o.signature, receivedMs)
      : consumeDamaged(key, frame.error.message, this.o.addresses, receivedMs);
    for (const s of outcome.samples) if (s.quality === Quality.good) this.lastValues[s.index] = s.value;
    // A producer sends the same fault at its full rate; the log gets it once, until it changes.
    if (outcome.error !== this.lastError) {
      this.lastError = outcome.error;
      if (outcome.error !== undefined) this.o.sink.error(outcome.error);
    }
    this.o.sink.samples(outcome.samples);
  };

  /** One timer re-armed from the last packet's time, rather than one reset per packet: packets cost nothing here. */
  private arm(delayMs: number): void {
    this.timer = setTimeout(() => this.check(), Math.max(1, delayMs));
    this.timer.unref();
  }

  private check(): void {
    if (this.closed) return;
    const quietMs = performance.now() - this.lastPacketAt;
    const { staleAfterMs } = this.o;
    if (quietMs < staleAfterMs) {
      this.arm(staleAfterMs - quietMs);
      return;
    }
    // Stale means "this was the value, it is no longer refreshed"; an exchange never seen
    // has no value to be stale, so its signals are bad until the first packet.
    const quality = this.everReceived ? Quality.stale : Quality.bad;
    if (!this.stale) {
      this.stale = true;
      this.lastError = undefined;
      this.o.sink.error(
        this.everReceived
          ? `no packet of ${describeExchange(this.o.key)} for ${staleAfterMs} ms: signals are stale`
          : `no packet of ${describeExchange(this.o.key)} within ${staleAfterMs} ms of subscribing: is the PLC producing it to this address and port?`,
      );
    }
    const ts = Date.now();
    const waiting = this.everReceived ? {} : { waiting: true as const };
    const samples: PushedSample[] = this.o.addresses.map((_, index) => ({ index, ts, value: this.lastValues[index] as number, quality, ...waiting }));
    this.o.sink.samples(samples);
    this.arm(staleAfterMs);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }
}
