/** The consumer against the simulated producer over real UDP on 127.0.0.1. */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { EgdConnectionConfig } from '../../shared/contract';
import { Quality } from '../../shared/samples';
import { waitFor } from '../../testing/helpers';
import { probe } from '../../collector/probe';
import { StripLine, type LineState } from '../../sim/line-model';
import { EGD_DEMO_LAYOUT, demoExchangeData, produceEgd, type EgdProducer } from '../../sim/egd-producer';
import type { PushSink, PushedSample } from '../driver';
import { parseEgdAddress, type EgdAddress } from './address';
import { egdDriver, type EgdSession } from './egd-driver';
import { encodeProduction, timestampFromMs } from './frame';
import { openListeners } from './listener';

const ADDRESSES: EgdAddress[] = EGD_DEMO_LAYOUT.map((p) => {
  const a = parseEgdAddress(p.address);
  if (!a.ok) throw new Error(a.error.message);
  return a.value;
});

function config(over: Partial<EgdConnectionConfig> = {}): EgdConnectionConfig {
  // Port 0: the OS picks a free port; the session tells which (boundPort).
  return { name: 'PLC', protocol: 'egd', bindHost: '127.0.0.1', port: 0, producer: '10.0.0.5', exchange: 1, staleAfterMs: 1000, enabled: true, ...over };
}

class Recorder implements PushSink {
  readonly packets: PushedSample[][] = [];
  readonly errors: string[] = [];
  samples(s: readonly PushedSample[]): void {
    this.packets.push([...s]);
  }
  error(m: string): void {
    this.errors.push(m);
  }
  last(): PushedSample[] | undefined {
    return this.packets[this.packets.length - 1];
  }
  lastQuality(): number | undefined {
    const l = this.last();
    return l && l.every((s) => s.quality === l[0]?.quality) ? l[0]?.quality : -1;
  }
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  expect(openListeners()).toEqual([]);
});

async function session(c: EgdConnectionConfig): Promise<{ session: EgdSession; port: number }> {
  const s = egdDriver.open(c) as EgdSession;
  cleanup.push(() => s.close());
  await s.connect();
  return { session: s, port: s.boundPort() as number };
}

async function producer(port: number, opts: Parameters<typeof produceEgd>[1] extends infer O ? Partial<O> : never = {}, line: () => LineState = liveLine()): Promise<EgdProducer> {
  const p = await produceEgd(line, { target: `127.0.0.1:${port}`, periodMs: 20, ...opts });
  cleanup.push(() => p.stop());
  return p;
}

function liveLine(states: LineState[] = [], producedAt: number[] = []): () => LineState {
  const line = new StripLine({ seed: 7 });
  return () => {
    const s = line.step(Date.now());
    states.push(s);
    producedAt.push(Date.now());
    return s;
  };
}

async function rawSender(): Promise<(bytes: Uint8Array, port: number) => Promise<void>> {
  const s = dgram.createSocket('udp4');
  cleanup.push(() => new Promise<void>((r) => s.close(() => r())));
  return (bytes, port) => new Promise<void>((resolve, reject) => s.send(bytes, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
}

describe('egd:// URLs', () => {
  it('builds a connection from a URL; HOST:PORT is where we listen', () => {
    const r = egdDriver.connectionFromUrl('egd://0.0.0.0:18246?producer=10.0.0.5&exchange=3&stale=500&signature=7', 'Mill');
    expect(r).toEqual({ ok: true, value: { name: 'Mill', protocol: 'egd', bindHost: '0.0.0.0', port: 18246, producer: '10.0.0.5', exchange: 3, staleAfterMs: 500, signature: 7, enabled: true } });
    const d = egdDriver.connectionFromUrl('egd://127.0.0.1?producer=10.0.0.5&exchange=1');
    expect(d.ok && { port: d.value.port, stale: d.value.staleAfterMs, signature: d.value.signature }).toEqual({ port: 18246, stale: 1000, signature: undefined });
    if (d.ok) expect(egdDriver.endpoint(d.value)).toBe('egd://127.0.0.1:18246?producer=10.0.0.5&exchange=1');
  });

  it('explains a bad URL', () => {
    const msg = (u: string): string => {
      const r = egdDriver.connectionFromUrl(u);
      return r.ok ? 'ok' : r.error.message;
    };
    expect(msg('egd://127.0.0.1:18246?exchange=1')).toMatch(/needs producer and exchange/);
    expect(msg('egd://127.0.0.1:18246?producer=plc1&exchange=1')).toMatch(/dotted IPv4 producer id/);
    expect(msg('egd://127.0.0.1:18246?producer=10.0.0.5&exchange=x')).toMatch(/exchange/);
    expect(msg('modbus://127.0.0.1')).toMatch(/not an egd:\/\/ URL/);
  });
});

describe('EGD consumer ← producer over UDP', () => {
  it('delivers the demo line: one sample per signal per packet, values as the line model has them', async () => {
    const { session: s, port } = await session(config());
    const rec = new Recorder();
    const sub = await s.subscribe(ADDRESSES, 100, rec);
    cleanup.push(() => sub.close());
    const states: LineState[] = [];
    const producedAt: number[] = [];
    await producer(port, {}, liveLine(states, producedAt));
    // On a loaded machine the producer may start after the "never arrived" timeout: skip those bad samples.
    const arrived = () => rec.packets.filter((p) => p.some((x) => x.quality !== Quality.bad));
    await waitFor(() => arrived().length >= 5, '5 packets');
    // Loopback keeps order and the subscription was there first: packet i carries state i.
    arrived().slice(0, 5).forEach((packet, i) => {
      const st = states[i] as LineState;
      expect(packet.map((p) => p.quality)).toEqual(ADDRESSES.map(() => Quality.good));
      expect(packet.map((p) => p.index)).toEqual(ADDRESSES.map((_, k) => k));
      const expected = EGD_DEMO_LAYOUT.map((p, k) => {
        const raw = p.raw(st);
        const type = (ADDRESSES[k] as EgdAddress).type;
        return type === 'real' ? Math.fround(raw) : raw;
      });
      expect(packet.map((p) => p.value)).toEqual(expected);
      // The packet's own timestamp (the producer's clock) is the sample time.
      expect(Math.abs((packet[0] as PushedSample).ts - (producedAt[i] as number))).toBeLessThan(5);
    });
    expect(rec.errors.filter((e) => !/never|producing/.test(e))).toEqual([]);
  });

  it('turns signals stale when the producer stops, once per stale period, and good again when it resumes', async () => {
    const { session: s, port } = await session(config({ staleAfterMs: 150 }));
    const rec = new Recorder();
    const sub = await s.subscribe(ADDRESSES, 100, rec);
    cleanup.push(() => sub.close());
    const first = await producer(port);
    await waitFor(() => rec.lastQuality() === Quality.good, 'good samples');
    await first.stop();
    await waitFor(() => rec.lastQuality() === Quality.stale, 'stale samples', 2000);
    const stoppedAt = rec.packets.findLastIndex((p) => p[0]?.quality === Quality.good) + 1;
    // Stale samples carry the last good values, so a trend shows where the value stood.
    const lastGood = rec.packets[stoppedAt - 1] as PushedSample[];
    expect((rec.last() as PushedSample[]).map((p) => p.value)).toEqual(lastGood.map((p) => p.value));
    expect(rec.errors).toContain('no packet of exchange 1 from 10.0.0.5 for 150 ms: signals are stale');
    await new Promise((r) => setTimeout(r, 400));
    const staleBatches = rec.packets.slice(stoppedAt).filter((p) => p[0]?.quality === Quality.stale).length;
    expect(staleBatches).toBeGreaterThanOrEqual(2);
    expect(staleBatches).toBeLessThanOrEqual(5); // ~550 ms / 150 ms, not one per timer tick
    await producer(port);
    await waitFor(() => rec.lastQuality() === Quality.good, 'good samples again');
  });

  it('marks signals bad, not stale, when the exchange never arrives', async () => {
    const { session: s } = await session(config({ staleAfterMs: 100 }));
    const rec = new Recorder();
    const sub = await s.subscribe(ADDRESSES.slice(0, 2), 100, rec);
    cleanup.push(() => sub.close());
    await waitFor(() => rec.packets.length >= 1, 'the silence report', 2000);
    expect(rec.packets[0]?.map((p) => [p.quality, p.value])).toEqual([
      [Quality.bad, NaN],
      [Quality.bad, NaN],
    ]);
    expect(rec.errors).toEqual(['no packet of exchange 1 from 10.0.0.5 within 100 ms of subscribing: is the PLC producing it to this address and port?']);
  });

  it('marks every signal bad, with the reason, when the configuration signature differs', async () => {
    const { session: s, port } = await session(config({ signature: 1 }));
    const rec = new Recorder();
    const sub = await s.subscribe(ADDRESSES, 100, rec);
    cleanup.push(() => sub.close());
    await producer(port, { signature: 2 });
    await waitFor(() => rec.packets.length >= 3, '3 packets');
    expect(rec.packets.flat().every((p) => p.quality === Quality.bad && Number.isNaN(p.value))).toBe(true);
    // Reported once, not once per packet.
    expect(rec.errors).toEqual(["exchange 1 from 10.0.0.5: configuration signature 2 is not the configured 1 (the producer's exchange layout changed?)"]);
  });

  it('marks signals bad on a bad production status', async () => {
    const { session: s, port } = await session(config());
    const rec = new Recorder();
    const sub = await s.subscribe(ADDRESSES, 100, rec);
    cleanup.push(() => sub.close());
    await producer(port, { status: 6 });
    await waitFor(() => rec.packets.length >= 2, '2 packets');
    expect(rec.lastQuality()).toBe(Quality.bad);
    expect(rec.errors).toEqual(['exchange 1 from 10.0.0.5: status 6 (data refresh error)']);
  });

  it('survives truncated packets: bad samples with the reason, then good again', async () => {
    const { session: s, port } = await session(config());
    const rec = new Recorder();
    const sub = await s.subscribe(ADDRESSES, 100, rec);
    cleanup.push(() => sub.close());
    const send = await rawSender();
    const full = encodeProduction({ producer: '10.0.0.5', exchange: 1, requestId: 1, timestamp: timestampFromMs(Date.now()), status: 1, signature: 1, data: demoExchangeData(new StripLine({ seed: 1 }).step(Date.now())) });
    if (!full.ok) throw new Error(full.error.message);

    await send(full.value.subarray(0, 20), port); // header cut: routed by producer + exchange, every signal bad
    await waitFor(() => rec.packets.length === 1, 'the truncated header');
    expect(rec.lastQuality()).toBe(Quality.bad);
    expect(rec.errors.at(-1)).toBe('exchange 1 from 10.0.0.5: packet too short: 20 bytes, an EGD header needs 32');

    await send(full.value.subarray(0, 32 + 10), port); // data cut after 10 bytes: the first two REALs survive
    await waitFor(() => rec.packets.length === 2, 'the truncated data');
    expect((rec.last() as PushedSample[]).map((p) => p.quality)).toEqual(ADDRESSES.map((a) => (a.offset + 4 <= 10 ? Quality.good : Quality.bad)));
    expect(rec.errors.at(-1)).toBe('offset 8 + 4 bytes is past the 10 data bytes of exchange 1 (and 13 more signals)');

    await send(new Uint8Array([0x0d]), port); // too short even to route: dropped, counted
    await send(full.value, port);
    await waitFor(() => rec.packets.length === 3, 'a whole packet');
    expect(rec.lastQuality()).toBe(Quality.good);
    expect(openListeners()[0]?.unrouted).toBe(1);
  });

  it('shares one socket between exchanges on the same port and routes each packet to its exchange', async () => {
    const a = await session(config({ exchange: 1 }));
    const b = await session(config({ exchange: 3, port: a.port }));
    expect(openListeners()).toEqual([{ id: `127.0.0.1:${a.port}`, refs: 2, unrouted: 0 }]);
    const recA = new Recorder();
    const recB = new Recorder();
    const subA = await a.session.subscribe(ADDRESSES.slice(0, 1), 100, recA);
    const subB = await b.session.subscribe(ADDRESSES.slice(0, 1), 100, recB);
    cleanup.push(() => subA.close(), () => subB.close());
    const p = await producer(a.port, { exchanges: 3 });
    await waitFor(() => recA.packets.length >= 3 && recB.packets.length >= 3, 'both exchanges');
    await p.stop();
    // Exchange 2 has no consumer: its packets are counted as unrouted, not delivered anywhere.
    await waitFor(() => (openListeners()[0]?.unrouted ?? 0) >= 3, 'unrouted exchange 2');
    await b.session.close();
    expect(openListeners()).toMatchObject([{ refs: 1 }]);
  });

  it('refuses a port another program holds, with a clear message', async () => {
    const other = dgram.createSocket('udp4');
    cleanup.push(() => new Promise<void>((r) => other.close(() => r())));
    await new Promise<void>((r) => other.bind(0, '127.0.0.1', r));
    const s = egdDriver.open(config({ port: other.address().port }));
    cleanup.push(() => s.close());
    await expect(s.connect()).rejects.toThrow(`UDP port ${other.address().port} on 127.0.0.1 is already in use by another program`);
  });

  it('answers parx probe through the driver table (egd://)', async () => {
    // probe binds the URL's port itself, so find a free UDP port first.
    const tmp = dgram.createSocket('udp4');
    await new Promise<void>((r) => tmp.bind(0, '127.0.0.1', r));
    const port = tmp.address().port;
    await new Promise<void>((r) => tmp.close(() => r()));
    const states: LineState[] = [];
    await producer(port, {}, liveLine(states));
    const r = await probe(`egd://127.0.0.1:${port}?producer=10.0.0.5&exchange=1`, ['dint:36', 'bit:40.0', 'real:100', 'float:0'], 2000);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((v) => [v.signal, v.quality])).toEqual([
      ['dint:36', 'good'],
      ['bit:40.0', 'good'],
      ['real:100', 'bad'],
      ['float:0', 'bad'],
    ]);
    expect(r.value[0]?.value).toBe(states[0]?.coilId);
  });

  it('probe waits its whole timeout for a producer that starts late, past the stale period', async () => {
    const tmp = dgram.createSocket('udp4');
    await new Promise<void>((r) => tmp.bind(0, '127.0.0.1', r));
    const port = tmp.address().port;
    await new Promise<void>((r) => tmp.close(() => r()));
    const url = `egd://127.0.0.1:${port}?producer=10.0.0.5&exchange=1`;
    // Nobody producing: "nothing yet" after the 1 s stale period, reported with its reason at the timeout.
    const none = await probe(url, ['dint:36'], 1500);
    expect(none.ok && none.value[0]).toMatchObject({ quality: 'bad', error: expect.stringMatching(/no packet of .* within 1000 ms of subscribing/) });
    // The producer starts 1.6 s into a 6 s probe: the probe still answers with its value.
    const states: LineState[] = [];
    const late = setTimeout(() => void producer(port, {}, liveLine(states)), 1600);
    cleanup.push(async () => clearTimeout(late));
    const r = await probe(url, ['dint:36'], 6000);
    expect(r.ok && r.value[0]?.quality).toBe('good');
  });
});
