import { afterEach, describe, expect, it } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { get } from 'sparkplug-payload';
import type { UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { Quality } from '../../shared/samples';
import type { MqttConnectionConfig } from '../../shared/contract';
import { StripLine } from '../../sim/line-model';
import { publishLine, type MqttLinePublisher } from '../../sim/mqtt-publisher';
import { selfSignedCertificate, startMosquitto, type Mosquitto } from '../../testing/mosquitto';
import { waitFor } from '../../testing/helpers';
import type { DriverSession, PushedSample } from '../driver';
import type { MqttAddress } from './address';
import { mqttDriver } from './mqtt-driver';

const tahu = get('spBv1.0');
const encode = (p: UPayload): Buffer => Buffer.from(tahu?.encodePayload(p) ?? new Uint8Array());

let broker: Mosquitto | undefined;
const sessions: DriverSession<MqttAddress>[] = [];
const clients: MqttClient[] = [];
let publisher: MqttLinePublisher | undefined;

afterEach(async () => {
  await publisher?.stop();
  publisher = undefined;
  for (const s of sessions.splice(0)) await s.close();
  for (const c of clients.splice(0)) await c.endAsync(true);
  await broker?.stop();
  broker = undefined;
});

function config(url: string, extra: Partial<MqttConnectionConfig> = {}): MqttConnectionConfig {
  const c = mqttDriver.connectionFromUrl(url);
  if (!c.ok) throw new Error(c.error.message);
  return { ...c.value, timeoutMs: 3000, ...extra };
}

function open(c: MqttConnectionConfig): { session: DriverSession<MqttAddress>; drops: string[] } {
  const session = mqttDriver.open(c);
  const drops: string[] = [];
  session.onDrop((r) => drops.push(r));
  sessions.push(session);
  return { session, drops };
}

function addresses(...text: string[]): MqttAddress[] {
  return text.map((t) => {
    const a = mqttDriver.parseAddress(t);
    if (!a.ok) throw new Error(a.error.message);
    return a.value;
  });
}

async function subscribe(session: DriverSession<MqttAddress>, text: string[]) {
  const samples: PushedSample[] = [];
  const errors: string[] = [];
  const sub = await session.subscribe?.(addresses(...text), 100, { samples: (s) => samples.push(...s), error: (m) => errors.push(m) });
  if (!sub) throw new Error('the MQTT driver cannot subscribe');
  const of = (index: number) => samples.filter((s) => s.index === index);
  return { samples, errors, of, sub };
}

async function rawClient(url: string, extra: Parameters<typeof connectAsync>[1] = {}): Promise<MqttClient> {
  const c = await connectAsync(url, { reconnectPeriod: 0, ...extra });
  clients.push(c);
  return c;
}

describe('MQTT driver against a real mosquitto', () => {
  it.each([4, 5] as const)('MQTT %s: plain, boolean, JSON-path values; bad payloads become bad samples with the reason', async (version) => {
    broker = await startMosquitto();
    const { session, drops } = open(config(`${broker.url}?v=${version}&ts=payload`));
    await session.connect();
    const got = await subscribe(session, ['plant/line1/speed', 'plant/line1/running', 'plant/line1/json@$.line.speed', 'plant/line1/json@$.line.name', 'plant/line1/speed@$.x']);
    const pub = await rawClient(broker.url, { protocolVersion: version });
    await pub.publishAsync('plant/line1/speed', '612.5');
    await pub.publishAsync('plant/line1/running', 'true');
    await pub.publishAsync('plant/line1/json', JSON.stringify({ ts: 1_700_000_000_000, line: { speed: 44, name: 'L1' } }));
    await waitFor(() => [0, 1, 2, 3, 4].every((i) => got.of(i).length > 0), 'a sample for every signal');
    expect(got.of(0)[0]).toMatchObject({ value: 612.5, quality: Quality.good });
    expect(got.of(1)[0]).toMatchObject({ value: 1, quality: Quality.good });
    expect(got.of(2)[0]).toStrictEqual({ index: 2, value: 44, quality: Quality.good, ts: 1_700_000_000_000 });
    expect(got.of(3)[0]).toMatchObject({ quality: Quality.bad });
    expect(got.of(4)[0]).toMatchObject({ quality: Quality.bad });
    expect(got.errors).toContain('plant/line1/json: value at $.line.name is a string, not a number');
    expect(got.errors.some((e) => /plant\/line1\/speed: payload is not JSON: 612\.5|path \$\.x not found/.test(e))).toBe(true);

    await pub.publishAsync('plant/line1/speed', 'garbage \u0000\u0001');
    await pub.publishAsync('plant/line1/json', '{"line": {"speed": ');
    await waitFor(() => got.errors.some((e) => e.startsWith('plant/line1/json: payload is not JSON')), 'the non-JSON reason');
    await waitFor(() => got.of(0).some((s) => s.quality === Quality.bad), 'a bad sample for garbage');
    expect(got.errors).toContain('plant/line1/speed: payload is not a number: garbage');
    await pub.publishAsync('plant/line1/speed', '1');
    await waitFor(() => got.of(0).at(-1)?.value === 1, 'a good value after the garbage');
    expect(drops).toStrictEqual([]);
  });

  it('logs in with a password file, and refuses a wrong password or none with a clear message', async () => {
    broker = await startMosquitto({ users: { operator: 'r1ght' } });
    const good = open(config(`${broker.url}?user=operator&password=r1ght`)).session;
    await good.connect();
    const got = await subscribe(good, ['auth/value']);
    const pub = await rawClient(broker.url, { username: 'operator', password: 'r1ght' });
    await pub.publishAsync('auth/value', '7');
    await waitFor(() => got.of(0).length > 0, 'a value over an authenticated link');

    for (const [url, version] of [[`${broker.url}?user=operator&password=wrong`, 4], [`${broker.url}?user=operator&password=wrong&v=5`, 5], [broker.url, 4]] as const) {
      const { session } = open(config(url));
      await expect(session.connect(), `MQTT ${version} ${url}`).rejects.toThrow(/refused the login: not authorized/);
    }
  });

  it('speaks TLS (mqtts://) with a trusted CA, and refuses an untrusted certificate', async () => {
    const tls = await selfSignedCertificate();
    broker = await startMosquitto({ tls });
    expect(broker.url).toMatch(/^mqtts:/);
    const trusted = open(config(broker.url, { ca: tls.cert })).session;
    await trusted.connect();
    const got = await subscribe(trusted, ['tls/value']);
    const pub = await rawClient(broker.url, { ca: tls.cert });
    await pub.publishAsync('tls/value', '3.5');
    await waitFor(() => got.of(0).length > 0, 'a value over TLS');
    await expect(open(config(broker.url)).session.connect()).rejects.toThrow(/TLS with mqtts:\/\/127\.0\.0\.1:\d+ failed: .*check the CA certificate/);
    await open(config(`${broker.url}?insecure=1`)).session.connect();
  });

  it('rejects connecting to no broker, and reports a broker that goes away once', async () => {
    broker = await startMosquitto();
    const { session, drops } = open(config(broker.url));
    await session.connect();
    await subscribe(session, ['a/b']);
    await broker.stop();
    await waitFor(() => drops.length > 0, 'the drop');
    await new Promise((r) => setTimeout(r, 200));
    expect(drops).toHaveLength(1);
    expect(drops[0]).toMatch(/closed the connection|offline|ECONNRESET/);
    const dead = open(config(broker.url)).session;
    await expect(dead.connect()).rejects.toThrow(/ECONNREFUSED.*is the broker running/);
  });

  it('reads Sparkplug B metrics by alias from the demo line publisher, and goes stale on DDEATH', async () => {
    broker = await startMosquitto();
    const { session } = open(config(`${broker.url}?ts=payload`));
    await session.connect();
    const got = await subscribe(session, ['spb:Plant/Line1/PLC:Line Speed', 'spb:Plant/Line1/PLC:Coil ID', 'spb:Plant/Line1/PLC:Weld Seam', 'spb:Plant/Line1:bdSeq']);
    const line = new StripLine({ seed: 3, startMs: Date.now() });
    let state = line.step(Date.now());
    publisher = await publishLine(() => (state = line.step(Date.now())), { url: broker.url, periodMs: 20, sparkplug: { group: 'Plant', node: 'Line1', device: 'PLC' } });
    // The birth names the metrics; the DDATA after it carry aliases only.
    await waitFor(() => got.of(0).length >= 5, 'line speed from DDATA');
    expect(got.errors).toStrictEqual([]);
    expect(got.of(0).every((s) => s.quality === Quality.good && Number.isFinite(s.value))).toBe(true);
    expect(got.of(1).at(-1)?.value).toBe(state.coilId);
    expect(got.of(2).at(-1)?.value).toBeOneOf([0, 1]);
    expect(got.of(3)[0]).toMatchObject({ value: 0, quality: Quality.good });
    // Metric timestamps are the model's time, not the receive time.
    expect(Math.abs((got.of(0).at(-1)?.ts ?? 0) - state.timeMs)).toBeLessThan(1000);

    await publisher.stop();
    publisher = undefined;
    await waitFor(() => got.of(0).at(-1)?.quality === Quality.stale, 'stale after DDEATH');
    await waitFor(() => got.of(3).at(-1)?.quality === Quality.stale, 'node metric stale after NDEATH');
    expect(got.of(0).at(-1)?.value).toBe(got.of(0).at(-2)?.value);
  });

  it('marks Sparkplug values uncertain after a sequence gap and reports it', async () => {
    broker = await startMosquitto();
    const { session } = open(config(broker.url, { protocolVersion: 5 }));
    await session.connect();
    const got = await subscribe(session, ['spb:G/N/D:Temp']);
    const pub = await rawClient(broker.url);
    await pub.publishAsync('spBv1.0/G/NBIRTH/N', encode({ seq: 0, metrics: [{ name: 'bdSeq', type: 'UInt64', value: 0 }] }));
    await pub.publishAsync('spBv1.0/G/DBIRTH/N/D', encode({ seq: 1, metrics: [{ name: 'Temp', alias: 9, type: 'Float', value: 20 }] }));
    await pub.publishAsync('spBv1.0/G/DDATA/N/D', encode({ seq: 2, metrics: [{ alias: 9, type: 'Float', value: 21 }] }));
    await pub.publishAsync('spBv1.0/G/DDATA/N/D', encode({ seq: 4, metrics: [{ alias: 9, type: 'Float', value: 22 }] }));
    await pub.publishAsync('spBv1.0/G/DDATA/N/D', Buffer.from('not protobuf \xff'));
    await waitFor(() => got.of(0).length >= 3, 'three values');
    expect(got.of(0).map((s) => [s.value, s.quality])).toStrictEqual([
      [20, Quality.good],
      [21, Quality.good],
      [22, Quality.uncertain],
    ]);
    await waitFor(() => got.errors.length >= 2, 'the errors');
    expect(got.errors[0]).toMatch(/sequence gap on G\/N \(expected 3, got 4\)/);
    expect(got.errors[1]).toMatch(/payload is not Sparkplug B/);
  });

  it('browses: topics, JSON leaves and Sparkplug metrics of the demo line', async () => {
    broker = await startMosquitto();
    const line = new StripLine({ seed: 3, startMs: Date.now() });
    publisher = await publishLine(() => line.step(Date.now()), { url: broker.url, periodMs: 50, sparkplug: { group: 'Plant', node: 'Line1', device: 'PLC' } });
    const { session } = open(config(broker.url));
    await session.connect();
    const browsing = session.browse?.(null, { timeoutMs: 800 });
    // The births went out before ParX listened: ask the node for a rebirth, as a host would.
    const host = await rawClient(broker.url);
    await new Promise((r) => setTimeout(r, 200));
    await host.publishAsync('spBv1.0/Plant/NCMD/Line1', encode({ metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }] }));
    const items = (await browsing) ?? [];
    const ids = items.map((i) => i.id);
    expect(ids).toContain('parx/demo/line-speed');
    expect(ids).toContain('parx/demo/line@$.line.speed');
    expect(ids).toContain('parx/demo/line@$.coil.id');
    expect(ids).toContain('spb:Plant/Line1/PLC:Line Speed');
    expect(items.find((i) => i.id === 'parx/demo/line-speed')?.kind).toBe('topic');
    const under = (await session.browse?.('parx/demo', { timeoutMs: 300 })) ?? [];
    expect(under.length).toBeGreaterThan(0);
    expect(under.every((i) => i.id.startsWith('parx/demo/'))).toBe(true);
  });
});
