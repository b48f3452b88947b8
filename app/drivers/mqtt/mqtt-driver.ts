/**
 * MQTT (3.1.1 and 5) over mqtt.js. The broker pushes; ParX subscribes to the topics its
 * signals need (QoS 0) and maps each message to samples (routing.ts). mqtt.js never
 * reconnects by itself (reconnectPeriod 0): a lost link is reported once through onDrop and
 * the collector reconnects with its backoff and gap markers, as for every protocol.
 * The timebase means nothing to MQTT — values arrive when the publisher sends them.
 */
import { randomBytes } from 'node:crypto';
import { connect as mqttConnect, type IClientOptions, type MqttClient } from 'mqtt';
import type { MqttConnectionConfig } from '../../shared/contract';
import type { BrowseItem, DriverSession, ProtocolDriver, PushSink } from '../driver';
import { parseMqttAddress, SPARKPLUG_NAMESPACE, type MqttAddress } from './address';
import { BrowseCollector, browseFilter } from './browse';
import { brokerAt, connectionFromUrl, endpointOf } from './connection-url';
import { describeConnectError, describeDisconnect } from './errors';
import { SignalRouting } from './routing';
import { parseSpbTopic } from './sparkplug';
import { SparkplugTracker } from './sparkplug-state';

/** Receive time on the same clock as the collector's gap markers (ms since the epoch, sub-ms resolution). */
const nowMs = (): number => performance.timeOrigin + performance.now();

class MqttSession implements DriverSession<MqttAddress> {
  private client: MqttClient | undefined;
  private dropListener: ((reason: string) => void) | undefined;
  private connected = false;
  private dropped = false;
  private closing = false;
  private readonly routings = new Set<SignalRouting>();
  private readonly browsers = new Set<BrowseCollector>();
  /** Broker subscriptions shared by routings and browsers: filter → users. */
  private readonly filterUsers = new Map<string, number>();
  /** One tracker per session: Sparkplug sequence numbers must be checked once per message, not per subscription. */
  private readonly sparkplug = new SparkplugTracker();

  constructor(private readonly config: MqttConnectionConfig) {}

  private options(): IClientOptions {
    const c = this.config;
    return {
      protocolVersion: c.protocolVersion,
      clientId: c.clientId ?? `parx-${randomBytes(6).toString('hex')}`,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: c.timeoutMs,
      // A half-open link (cable pulled, no FIN) shows as a missing PINGRESP within 1.5 × keepalive.
      keepalive: 10,
      ...(c.username === undefined ? {} : { username: c.username }),
      ...(c.password === undefined ? {} : { password: c.password }),
      ...(c.ca === undefined ? {} : { ca: c.ca }),
      rejectUnauthorized: c.rejectUnauthorized,
    };
  }

  connect(): Promise<void> {
    const where = brokerAt(this.config);
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      let lastError: Error | undefined;
      const client = mqttConnect(this.config.url, this.options());
      this.client = client;
      const fail = (message: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client.end(true);
        reject(new Error(message));
      };
      const timer = setTimeout(() => fail(`no answer from the broker at ${where} within ${this.config.timeoutMs} ms`), this.config.timeoutMs + 100);
      client.once('connect', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.connected = true;
        resolve();
      });
      // Without an 'error' listener mqtt.js would throw and take the collector worker down.
      client.on('error', (e: Error) => {
        lastError = e;
        if (!settled) fail(describeConnectError(e, where));
        else this.drop(`${where}: ${e.message}`);
      });
      client.on('close', () => {
        if (!settled) fail(lastError ? describeConnectError(lastError, where) : `the broker at ${where} closed the connection before accepting it`);
        else this.drop(`the broker at ${where} closed the connection`);
      });
      client.on('offline', () => this.drop(`the broker at ${where} went offline`));
      client.on('disconnect', (packet) => this.drop(describeDisconnect(packet.reasonCode, where)));
      client.on('message', (topic, payload) => this.dispatch(topic, payload));
    });
  }

  private drop(reason: string): void {
    if (!this.connected || this.dropped || this.closing) return;
    this.dropped = true;
    this.dropListener?.(reason);
  }

  private dispatch(topic: string, payload: Buffer): void {
    const at = nowMs();
    for (const b of this.browsers) b.add(topic, payload);
    if (this.routings.size === 0) return;
    if (topic.startsWith(`${SPARKPLUG_NAMESPACE}/`)) {
      const spb = parseSpbTopic(topic);
      if (!spb) return;
      let update;
      for (const r of this.routings) {
        if (!r.wantsSparkplug) continue;
        update ??= this.sparkplug.handle(spb, payload);
        r.onSparkplug(update, at);
      }
      return;
    }
    let text: string | undefined;
    const decode = (): string => (text ??= payload.toString('utf8'));
    for (const r of this.routings) r.onMessage(topic, decode, at);
  }

  /** Subscribes the broker to filters not yet in use; returns the refused ones with the broker's reason. */
  private async addFilters(filters: readonly string[]): Promise<Map<string, string>> {
    const client = this.requireClient();
    const fresh = filters.filter((f) => !this.filterUsers.has(f));
    for (const f of filters) this.filterUsers.set(f, (this.filterUsers.get(f) ?? 0) + 1);
    const refused = new Map<string, string>();
    if (fresh.length === 0) return refused;
    const granted = await client.subscribeAsync(fresh, { qos: 0 });
    // 3.1.1 refuses with 128; MQTT 5 puts its reason code (e.g. 135 not authorized) in the same place.
    for (const g of granted) {
      const code: number = g.qos;
      if (code >= 128) refused.set(g.topic, code === 135 ? 'not authorized' : `reason code ${code}`);
    }
    return refused;
  }

  private async removeFilters(filters: readonly string[]): Promise<void> {
    const gone: string[] = [];
    for (const f of filters) {
      const n = (this.filterUsers.get(f) ?? 1) - 1;
      if (n > 0) this.filterUsers.set(f, n);
      else {
        this.filterUsers.delete(f);
        gone.push(f);
      }
    }
    if (gone.length > 0 && this.client?.connected) await this.client.unsubscribeAsync(gone);
  }

  private requireClient(): MqttClient {
    if (!this.client || !this.connected || this.dropped) throw new Error(`not connected to the broker at ${brokerAt(this.config)}`);
    return this.client;
  }

  async subscribe(addresses: readonly MqttAddress[], _timebaseMs: number, sink: PushSink): Promise<{ close(): Promise<void> }> {
    const routing = new SignalRouting(addresses, sink, this.config.timestampSource === 'payload');
    this.routings.add(routing);
    let closed = false;
    const close = async (): Promise<void> => {
      if (closed) return;
      closed = true;
      routing.close();
      this.routings.delete(routing);
      await this.removeFilters(routing.filters).catch(() => undefined);
    };
    try {
      const refused = await this.addFilters(routing.filters);
      for (const [filter, reason] of refused) routing.refuse(filter, reason, nowMs());
    } catch (e) {
      await close();
      throw e instanceof Error ? e : new Error(String(e));
    }
    return { close };
  }

  async browse(parent: string | null, opts: { timeoutMs: number }): Promise<BrowseItem[]> {
    const filter = browseFilter(parent);
    const collector = new BrowseCollector();
    this.browsers.add(collector);
    try {
      const refused = await this.addFilters([filter]);
      const reason = refused.get(filter);
      if (reason !== undefined) throw new Error(`the broker refused the subscription to ${filter}: ${reason}`);
      await new Promise((r) => setTimeout(r, opts.timeoutMs));
    } finally {
      this.browsers.delete(collector);
      await this.removeFilters([filter]).catch(() => undefined);
    }
    return collector.items();
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const r of this.routings) r.close();
    this.routings.clear();
    const client = this.client;
    if (!client) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => client.end(true, () => resolve()), 1000);
      client.end(false, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  onDrop(listener: (reason: string) => void): void {
    this.dropListener = listener;
  }
}

export const mqttDriver: ProtocolDriver<MqttConnectionConfig, MqttAddress> = {
  protocol: 'mqtt',
  mode: 'push',
  connectionFromUrl,
  parseAddress: parseMqttAddress,
  endpoint: endpointOf,
  open: (c) => new MqttSession(c),
};
