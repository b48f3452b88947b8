/**
 * One subscription's signals, indexed by where their values arrive: a topic (plain or JSON)
 * or a Sparkplug edge node. Turns a message into PushedSamples — good, or bad with the
 * reason reported to the sink — and batches what arrives in one turn of the event loop
 * into one sink call, so a burst of messages costs one batch downstream, not hundreds.
 */
import { Quality } from '../../shared/samples';
import type { PushSink, PushedSample } from '../driver';
import { topicFilter, type MqttAddress } from './address';
import { jsonValue, parseJsonPayload, plainValue, type Extracted } from './payload';
import type { Result } from '../../shared/result';
import type { SpbUpdate } from './sparkplug-state';

interface TopicRoute {
  readonly index: number;
  readonly address: Extract<MqttAddress, { kind: 'plain' | 'json' }>;
}

interface SpbRoute {
  readonly index: number;
  readonly device: string | undefined;
  readonly metric: string;
}

export class SignalRouting {
  readonly filters: readonly string[];
  private readonly byTopic = new Map<string, TopicRoute[]>();
  /** Key: `group/node`. */
  private readonly byNode = new Map<string, SpbRoute[]>();
  private readonly last: Float64Array;
  private readonly filterOf: readonly string[];
  /** The last reason reported per signal: a device repeating the same garbage is logged once, not at its publish rate. */
  private readonly reported = new Map<number, string>();
  private pending: PushedSample[] = [];
  private flushScheduled = false;
  private closed = false;

  constructor(
    addresses: readonly MqttAddress[],
    private readonly sink: PushSink,
    private readonly payloadTime: boolean,
  ) {
    this.last = new Float64Array(addresses.length).fill(NaN);
    const filters = new Set<string>();
    addresses.forEach((address, index) => {
      filters.add(topicFilter(address));
      if (address.kind === 'spb') {
        const key = `${address.group}/${address.node}`;
        const list = this.byNode.get(key) ?? [];
        list.push({ index, device: address.device, metric: address.metric });
        this.byNode.set(key, list);
      } else {
        const list = this.byTopic.get(address.topic) ?? [];
        list.push({ index, address });
        this.byTopic.set(address.topic, list);
      }
    });
    this.filters = [...filters];
    this.filterOf = addresses.map(topicFilter);
  }

  get wantsSparkplug(): boolean {
    return this.byNode.size > 0;
  }

  /** A plain or JSON topic's message. `text` is decoded once by the caller for all subscriptions. */
  onMessage(topic: string, text: () => string, receivedAt: number): void {
    const routes = this.byTopic.get(topic);
    if (!routes) return;
    let doc: Result<unknown, string> | undefined;
    for (const r of routes) {
      let got: Result<Extracted, string>;
      if (r.address.kind === 'plain') {
        got = plainValue(text());
      } else {
        doc ??= parseJsonPayload(text());
        got = doc.ok ? jsonValue(doc.value, r.address.path, this.payloadTime) : doc;
      }
      if (got.ok) this.put(r.index, got.value.value, this.payloadTime ? (got.value.ts ?? receivedAt) : receivedAt, Quality.good);
      else this.putBad(r.index, receivedAt, `${topic}: ${got.error}`);
    }
  }

  onSparkplug(update: SpbUpdate, receivedAt: number): void {
    const routes = this.byNode.get(`${update.group}/${update.node}`);
    if (!routes) return;
    for (const e of update.errors) this.sink.error(e);
    if (update.death) {
      for (const r of routes) {
        if (update.death === 'device' && r.device !== update.device) continue;
        this.put(r.index, this.last[r.index] as number, receivedAt, Quality.stale);
      }
      return;
    }
    if (update.values.length === 0) return;
    for (const r of routes) {
      if (r.device !== update.device) continue;
      for (const v of update.values) {
        if (v.name !== r.metric) continue;
        const ts = this.payloadTime ? (v.ts ?? receivedAt) : receivedAt;
        if (v.value === undefined) this.putBad(r.index, ts, `spb:${update.group}/${update.node}${r.device === undefined ? '' : `/${r.device}`}: ${v.reason ?? 'no value'}`);
        else this.put(r.index, v.value, ts, update.quality);
      }
    }
  }

  /** Signals whose topic the broker refused to subscribe: bad, with the reason. */
  refuse(filter: string, reason: string, at: number): void {
    this.sink.error(`broker refused the subscription to ${filter}: ${reason}`);
    this.filterOf.forEach((f, index) => {
      if (f === filter) this.put(index, NaN, at, Quality.bad);
    });
  }

  close(): void {
    this.closed = true;
    this.pending = [];
  }

  private putBad(index: number, ts: number, reason: string): void {
    if (this.reported.get(index) !== reason) {
      this.reported.set(index, reason);
      this.sink.error(reason);
    }
    this.put(index, NaN, ts, Quality.bad, reason);
  }

  private put(index: number, value: number, ts: number, quality: number, error?: string): void {
    if (this.closed) return;
    if (quality === Quality.good || quality === Quality.uncertain) {
      this.last[index] = value;
      this.reported.delete(index);
    }
    this.pending.push(error === undefined ? { index, ts, value, quality } : { index, ts, value, quality, error });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (!this.closed && batch.length > 0) this.sink.samples(batch);
  }
}
