/**
 * The demo line over MQTT, the way plants publish it (topics in resources/demo-line/mqtt-map.md):
 * - each signal as a plain number (booleans as true/false) on `<prefix>/<signal-slug>`;
 * - one JSON document per period on `<prefix>/line`;
 * - optionally Sparkplug B: NBIRTH + DBIRTH naming every metric with an alias, then DDATA
 *   with aliases only, seq 0..255, NDEATH as the MQTT will. Payloads are encoded by
 *   Eclipse Tahu's sparkplug-payload, so the driver is tested against the reference
 *   encoder rather than against ParX's own idea of the format. An NCMD
 *   "Node Control/Rebirth" makes it publish its births again, as a real edge node does.
 */
import { connectAsync, type MqttClient } from 'mqtt';
import { get as sparkplugNamespace } from 'sparkplug-payload';
import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { DEMO_SIGNALS, type DemoSignal } from './demo-signals';
import type { LineState } from './line-model';

export interface MqttLineOptions {
  readonly url: string;
  /** Topic prefix for plain and JSON topics. */
  readonly prefix?: string;
  readonly periodMs?: number;
  readonly username?: string;
  readonly password?: string;
  readonly protocolVersion?: 4 | 5;
  readonly sparkplug?: { readonly group: string; readonly node: string; readonly device?: string };
}

export interface MqttLinePublisher {
  /** Messages published so far (all topics). */
  readonly published: () => number;
  stop(): Promise<void>;
}

export const DEFAULT_PREFIX = 'parx/demo';

/** "Furnace Zone 1 Temp" → "furnace-zone-1-temp". */
export function signalSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The JSON document on `<prefix>/line`; the paths are part of the documented map. */
export function lineDocument(s: LineState): Record<string, unknown> {
  return {
    ts: Math.round(s.timeMs),
    phase: s.phase,
    line: { speed: s.lineSpeed, entryTension: s.entryTension, exitTension: s.exitTension, tensionHigh: s.tensionHighAlarm },
    strip: { width: s.stripWidth, thicknessDeviation: s.thicknessDeviation },
    furnace: { zones: [{ temp: s.furnaceZone1Temp }, { temp: s.furnaceZone2Temp }] },
    drive: { 'main current': s.mainDriveCurrent },
    coil: { id: s.coilId, length: s.coilLength, weldSeam: s.weldSeam },
  };
}

function plainText(v: LineState[keyof LineState]): string {
  return typeof v === 'boolean' ? String(v) : typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : String(v);
}

/** Sparkplug type per demo signal: coil id as Int64 exercises the library's Long values, booleans as Boolean. */
function metricType(s: DemoSignal, state: LineState): UMetric['type'] {
  if (s.key === 'coilId') return 'Int64';
  return typeof state[s.key] === 'boolean' ? 'Boolean' : 'Double';
}

function metricValue(v: LineState[keyof LineState]): number | boolean {
  return typeof v === 'boolean' ? v : Number(v);
}

export async function publishLine(line: () => LineState, opts: MqttLineOptions): Promise<MqttLinePublisher> {
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  const periodMs = opts.periodMs ?? 100;
  const spb = opts.sparkplug;
  const codec = sparkplugNamespace('spBv1.0');
  if (spb && !codec) throw new Error('sparkplug-payload has no spBv1.0 codec');
  const nodeTopic = (type: string): string => (spb ? `spBv1.0/${spb.group}/${type}/${spb.node}` : '');
  const deviceTopic = (type: string): string => (spb?.device ? `${nodeTopic(type)}/${spb.device}` : '');
  const bdSeq = 0;
  const encode = (p: UPayload): Buffer => Buffer.from((codec as NonNullable<typeof codec>).encodePayload(p));

  const client: MqttClient = await connectAsync(
    opts.url,
    {
      protocolVersion: opts.protocolVersion ?? 4,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      ...(opts.username === undefined ? {} : { username: opts.username }),
      ...(opts.password === undefined ? {} : { password: opts.password }),
      ...(spb ? { will: { topic: nodeTopic('NDEATH'), payload: encode({ timestamp: Date.now(), metrics: [{ name: 'bdSeq', type: 'UInt64', value: bdSeq }] }), qos: 0, retain: false } } : {}),
    },
    false,
  );
  client.on('error', () => undefined); // a simulator outliving its broker must not crash the process

  let count = 0;
  let seq = 0;
  const nextSeq = (): number => {
    const s = seq;
    seq = (seq + 1) % 256;
    return s;
  };
  const publish = (topic: string, payload: string | Buffer): void => {
    if (!client.connected) return;
    count++;
    client.publish(topic, payload, { qos: 0 });
  };

  /** Metrics carry the signal name in the births (with alias i + 1), only the alias afterwards. */
  const metrics = (state: LineState, named: boolean): UMetric[] =>
    DEMO_SIGNALS.map((s, i) => ({ ...(named ? { name: s.name } : {}), alias: i + 1, type: metricType(s, state), value: metricValue(state[s.key]), timestamp: Math.round(state.timeMs) }));

  const births = (): void => {
    if (!spb) return;
    seq = 0;
    const state = line();
    const nodeMetrics: UMetric[] = [
      { name: 'bdSeq', type: 'UInt64', value: bdSeq },
      { name: 'Node Control/Rebirth', type: 'Boolean', value: false },
    ];
    if (!spb.device) nodeMetrics.push(...metrics(state, true));
    publish(nodeTopic('NBIRTH'), encode({ timestamp: Date.now(), seq: nextSeq(), metrics: nodeMetrics }));
    if (spb.device) publish(deviceTopic('DBIRTH'), encode({ timestamp: Date.now(), seq: nextSeq(), metrics: metrics(state, true) }));
  };

  const tick = (): void => {
    const state = line();
    for (const s of DEMO_SIGNALS) publish(`${prefix}/${signalSlug(s.name)}`, plainText(state[s.key]));
    publish(`${prefix}/line`, JSON.stringify(lineDocument(state)));
    if (spb) publish(spb.device ? deviceTopic('DDATA') : nodeTopic('NDATA'), encode({ timestamp: Date.now(), seq: nextSeq(), metrics: metrics(state, false) }));
  };

  if (spb) {
    await client.subscribeAsync(nodeTopic('NCMD'));
    client.on('message', (topic, payload) => {
      if (topic !== nodeTopic('NCMD') || !codec) return;
      try {
        if (codec.decodePayload(payload).metrics?.some((m) => m.name === 'Node Control/Rebirth' && m.value === true)) births();
      } catch {
        // a malformed command is ignored, as an edge node would
      }
    });
    births();
  }
  tick();
  const timer = setInterval(tick, periodMs);

  return {
    published: () => count,
    stop: async () => {
      clearInterval(timer);
      if (spb && client.connected) {
        if (spb.device) publish(deviceTopic('DDEATH'), encode({ timestamp: Date.now(), seq: nextSeq() }));
        publish(nodeTopic('NDEATH'), encode({ timestamp: Date.now(), metrics: [{ name: 'bdSeq', type: 'UInt64', value: bdSeq }] }));
      }
      await client.endAsync().catch(() => undefined);
    },
  };
}
