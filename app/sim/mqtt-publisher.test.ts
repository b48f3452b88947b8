import { afterEach, describe, expect, it } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { get } from 'sparkplug-payload';
import { startMosquitto, type Mosquitto } from '../testing/mosquitto';
import { waitFor } from '../testing/helpers';
import { DEMO_SIGNALS } from './demo-signals';
import { StripLine } from './line-model';
import { lineDocument, publishLine, signalSlug, type MqttLinePublisher } from './mqtt-publisher';

describe('signalSlug', () => {
  it('makes topic levels of the demo signal names', () => {
    expect(DEMO_SIGNALS.map((s) => signalSlug(s.name))).toContain('furnace-zone-1-temp');
    expect(signalSlug('Coil ID')).toBe('coil-id');
    expect(new Set(DEMO_SIGNALS.map((s) => signalSlug(s.name))).size).toBe(DEMO_SIGNALS.length);
  });
  it('documents the line in one JSON object', () => {
    const s = new StripLine({ seed: 1, startMs: 0 }).step(1000);
    expect(lineDocument(s)).toMatchObject({ ts: 1000, line: { speed: s.lineSpeed }, coil: { id: s.coilId }, furnace: { zones: [{ temp: s.furnaceZone1Temp }, { temp: s.furnaceZone2Temp }] } });
  });
});

describe('publishLine against a real mosquitto', () => {
  let broker: Mosquitto | undefined;
  let publisher: MqttLinePublisher | undefined;
  let client: MqttClient | undefined;
  afterEach(async () => {
    await publisher?.stop();
    await client?.endAsync(true);
    await broker?.stop();
  });

  it('publishes plain topics, the JSON document and Sparkplug B the reference library can decode', async () => {
    broker = await startMosquitto();
    client = await connectAsync(broker.url, { reconnectPeriod: 0 });
    const seen = new Map<string, Buffer[]>();
    client.on('message', (topic, payload) => seen.set(topic, [...(seen.get(topic) ?? []), payload]));
    await client.subscribeAsync(['parx/demo/#', 'spBv1.0/#']);
    const line = new StripLine({ seed: 2, startMs: Date.now() });
    publisher = await publishLine(() => line.step(Date.now()), { url: broker.url, periodMs: 20, sparkplug: { group: 'Plant', node: 'Line1', device: 'PLC' } });
    await waitFor(() => (seen.get('spBv1.0/Plant/DDATA/Line1/PLC')?.length ?? 0) >= 3, 'DDATA');
    for (const s of DEMO_SIGNALS) expect(seen.has(`parx/demo/${signalSlug(s.name)}`)).toBe(true);
    expect(Number(seen.get('parx/demo/line-speed')?.[0]?.toString())).toBeGreaterThanOrEqual(0);
    expect(['true', 'false']).toContain(seen.get('parx/demo/weld-seam')?.[0]?.toString());
    expect(JSON.parse(seen.get('parx/demo/line')?.[0]?.toString() ?? '')).toMatchObject({ line: { speed: expect.any(Number) } });

    const tahu = get('spBv1.0');
    const nbirth = tahu?.decodePayload(seen.get('spBv1.0/Plant/NBIRTH/Line1')?.[0] ?? new Uint8Array());
    const dbirth = tahu?.decodePayload(seen.get('spBv1.0/Plant/DBIRTH/Line1/PLC')?.[0] ?? new Uint8Array());
    const ddata = tahu?.decodePayload(seen.get('spBv1.0/Plant/DDATA/Line1/PLC')?.[0] ?? new Uint8Array());
    expect(Number(nbirth?.seq)).toBe(0);
    expect(Number(dbirth?.seq)).toBe(1);
    expect(Number(ddata?.seq)).toBe(2);
    expect(dbirth?.metrics?.map((m) => m.name)).toStrictEqual(DEMO_SIGNALS.map((s) => s.name));
    expect(ddata?.metrics?.every((m) => !m.name && Number(m.alias) > 0)).toBe(true);

    await publisher.stop();
    publisher = undefined;
    await waitFor(() => seen.has('spBv1.0/Plant/NDEATH/Line1') && seen.has('spBv1.0/Plant/DDEATH/Line1/PLC'), 'deaths on stop');
  });
});
