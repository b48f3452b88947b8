/** The EGD simulator against a bare UDP socket: packets, period, exchanges, layout. */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../testing/helpers';
import { decodeProduction, type ProductionFrame } from '../drivers/egd/frame';
import { parseEgdAddress } from '../drivers/egd/address';
import { dataView, readSignal } from '../drivers/egd/values';
import { EGD_DEMO_DATA_BYTES, EGD_DEMO_LAYOUT, demoExchangeData, produceEgd, type EgdProducer } from './egd-producer';
import { StripLine } from './line-model';
import { DEMO_SIGNALS } from './demo-signals';

let socket: dgram.Socket | undefined;
let producer: EgdProducer | undefined;
afterEach(async () => {
  await producer?.stop();
  producer = undefined;
  await new Promise<void>((r) => (socket ? socket.close(() => r()) : r()));
  socket = undefined;
});

async function receiver(): Promise<{ port: number; frames: ProductionFrame[] }> {
  const s = (socket = dgram.createSocket('udp4'));
  const frames: ProductionFrame[] = [];
  s.on('message', (m) => {
    const f = decodeProduction(new Uint8Array(m));
    if (!f.ok) throw new Error(f.error.message);
    frames.push(f.value);
  });
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  return { port: s.address().port, frames };
}

describe('EGD producer simulator', () => {
  it('lays every demo signal out without overlap, inside the exchange', () => {
    const used = new Set<string>();
    for (const p of EGD_DEMO_LAYOUT) {
      const a = parseEgdAddress(p.address);
      if (!a.ok) throw new Error(a.error.message);
      const size = { bit: 0, int: 2, uint: 2, dint: 4, udint: 4, real: 4, lreal: 8 }[a.value.type];
      const cells = a.value.type === 'bit' ? [`${a.value.offset}.${a.value.bit}`] : Array.from({ length: size }, (_, k) => `${a.value.offset + k}`);
      for (const c of cells) {
        expect(used.has(c), `${p.address} overlaps`).toBe(false);
        used.add(c);
      }
      expect(a.value.offset + Math.max(1, size)).toBeLessThanOrEqual(EGD_DEMO_DATA_BYTES);
    }
    // Every signal of the demo line is in the exchange.
    for (const d of DEMO_SIGNALS) expect(EGD_DEMO_LAYOUT.some((p) => p.signal === d.name), d.name).toBe(true);
  });

  it('sends exchanges 1..N every period with rising request ids, its producer id and signature', async () => {
    const { port, frames } = await receiver();
    const line = new StripLine({ seed: 2 });
    producer = await produceEgd(() => line.step(Date.now()), { target: `127.0.0.1:${port}`, producer: '10.1.2.3', exchanges: 3, periodMs: 25, signature: 42 });
    await waitFor(() => frames.length >= 12, '4 rounds of 3 exchanges');
    expect(producer.sent()).toBeGreaterThanOrEqual(12);
    for (const x of [1, 2, 3]) {
      const mine = frames.filter((f) => f.exchange === x);
      expect(mine.map((f) => f.requestId).slice(0, 4)).toEqual([1, 2, 3, 4]);
      expect(mine.every((f) => f.producer === '10.1.2.3' && f.signature === 42 && f.status === 1 && f.data.length === EGD_DEMO_DATA_BYTES)).toBe(true);
    }
    const first = frames[0] as ProductionFrame;
    expect(Math.abs(first.timestamp.seconds * 1000 - Date.now())).toBeLessThan(5000);
  });

  it('encodes the line state as the map documents it', () => {
    const state = new StripLine({ seed: 5 }).step(Date.now() + 60_000);
    const data = demoExchangeData(state);
    const read = (address: string): number => {
      const a = parseEgdAddress(address);
      if (!a.ok) throw new Error(a.error.message);
      const v = readSignal(data, dataView(data), a.value, 1);
      if (!v.ok) throw new Error(v.reason);
      return v.value;
    };
    expect(read('real:0')).toBe(Math.fround(state.lineSpeed));
    expect(read('dint:36')).toBe(state.coilId);
    expect(read('bit:40.0')).toBe(state.weldSeam ? 1 : 0);
    expect(read('bit:40.1')).toBe(state.tensionHighAlarm ? 1 : 0);
    expect(read('int:42') / 10).toBeCloseTo(state.thicknessDeviation, 1);
    expect(read('uint:44')).toBe(Math.round(state.stripWidth));
    expect(read('lreal:48')).toBe(state.coilLength);
  });

  it('refuses bad options', async () => {
    await expect(produceEgd(() => new StripLine().step(0), { target: 'nowhere' })).rejects.toThrow('EGD target "nowhere" is not HOST:PORT');
    await expect(produceEgd(() => new StripLine().step(0), { target: '127.0.0.1:1', producer: 'plc' })).rejects.toThrow(/not a dotted IPv4/);
  });
});
