import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { EnipConnectionConfig } from '../../shared/contract';
import { Quality } from '../../shared/samples';
import { probe, browse } from '../../collector/probe';
import { serveEnip, type EnipSimServer } from '../../sim/enip-server';
import { freePort } from '../../sim/modbus-server';
import { StripLine } from '../../sim/line-model';
import type { DriverSession, PreparedRead, ReadResult } from '../driver';
import type { EnipAddress } from './address';
import { enipDriver } from './enip-driver';

type Session = DriverSession<EnipAddress> & { prepare(a: readonly EnipAddress[]): PreparedRead; read(p: PreparedRead): Promise<ReadResult> };

const config = (port: number, slot = 0): EnipConnectionConfig => ({ name: 'CLX', protocol: 'enip', host: '127.0.0.1', port, slot, timeoutMs: 1000, enabled: true });

function addresses(...texts: string[]): EnipAddress[] {
  return texts.map((t) => {
    const r = enipDriver.parseAddress(t);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  });
}

describe('EtherNet/IP driver against the simulated Logix controller', () => {
  let server: EnipSimServer | undefined;
  let session: Session | undefined;
  let other: net.Server | undefined;
  afterEach(async () => {
    await session?.close();
    await server?.close();
    await new Promise<void>((resolve) => (other ? other.close(() => resolve()) : resolve()));
    server = undefined;
    session = undefined;
    other = undefined;
  });

  async function connected(slot = 0): Promise<Session> {
    const line = new StripLine({ seed: 3 });
    server ??= await serveEnip(() => line.step(Date.now()), { slot });
    session = enipDriver.open(config(server.port, slot)) as Session;
    session.onDrop(() => undefined);
    await session.connect();
    return session;
  }

  it('reads every atomic type, a program-scoped tag, an array element and the line signals in one group', async () => {
    const s = await connected();
    const prepared = s.prepare(addresses('BoolTag', 'SintTag', 'IntTag', 'DintTag', 'LintTag', 'RealTag', 'Program:Main.Count', 'Arr[2]', 'Arr[9]', 'LineSpeed', 'CoilID', 'WeldSeam', 'TensionHigh', 'DintTag.2'));
    const r = await s.read(prepared);
    expect(r.errors).toEqual([]);
    expect(Array.from(r.quality).every((q) => q === Quality.good)).toBe(true);
    expect(Array.from(r.values.slice(0, 6))).toEqual([1, -12, -1234, 123456789, 1234567890123, 3.25]);
    expect(r.values[6]).toBeGreaterThan(0);
    expect([r.values[7], r.values[8]]).toEqual([2.5, 9.5]);
    expect(r.values[9]).toBeGreaterThanOrEqual(0);
    expect(r.values[10]).toBeGreaterThanOrEqual(250001);
    expect([0, 1]).toContain(r.values[11]);
    expect(r.values[13]).toBe((123456789 >> 2) & 1);
    const again = await s.read(prepared);
    expect(again.values[6]).toBeGreaterThan(r.values[6] as number);
  });

  it('marks an unknown tag bad with the CIP status and keeps the others good', async () => {
    const s = await connected();
    const r = await s.read(s.prepare(addresses('RealTag', 'NoSuchTag', 'Arr[10]', 'Program:Other.X')));
    expect(Array.from(r.quality)).toEqual([Quality.good, Quality.bad, Quality.bad, Quality.bad]);
    expect(r.values[0]).toBe(3.25);
    expect(Number.isNaN(r.values[1])).toBe(true);
    expect(r.errors).toContain('NoSuchTag: CIP status 0x05 path destination unknown (no such tag)');
    expect(r.errors.some((e) => e.startsWith('Arr[10]: CIP status 0xff') && e.includes('0x2105'))).toBe(true);
    expect(r.errors.some((e) => e.startsWith('Program:Other.X: CIP status 0x05'))).toBe(true);
  });

  it('packs a large group into several Multiple Service Packets', async () => {
    const s = await connected();
    const many = addresses(...Array.from({ length: 10 }, (_, i) => `Arr[${i}]`), 'LineSpeed', 'EntryTension', 'ExitTension', 'ThicknessDeviation', 'StripWidth', 'FurnaceZone1Temp', 'FurnaceZone2Temp', 'MainDriveCurrent', 'CoilLength', 'CoilID', 'WeldSeam', 'TensionHigh', 'Program:Main.Count');
    const p = s.prepare(many);
    expect(p.requests).toBeGreaterThan(1);
    const r = await s.read(p);
    expect(r.requests).toBe(p.requests);
    expect(Array.from(r.values.slice(0, 10))).toEqual(Array.from({ length: 10 }, (_, i) => i + 0.5));
    expect(r.errors).toEqual([]);
  });

  it('probes and browses through the collector entry points', async () => {
    const line = new StripLine({ seed: 3 });
    server = await serveEnip(() => line.step(Date.now()), {});
    const url = `enip://127.0.0.1:${server.port}?slot=0`;
    const r = await probe(url, ['RealTag', 'Program:Main.Count', 'Arr[2]', 'Nope', 'bad name!']);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((v) => [v.signal, v.quality])).toEqual([
      ['RealTag', 'good'],
      ['Program:Main.Count', 'good'],
      ['Arr[2]', 'good'],
      ['Nope', 'bad'],
      ['bad name!', 'bad'],
    ]);
    expect(r.value[2]?.value).toBe(2.5);
    expect(r.value[3]?.error).toMatch(/Nope: CIP status 0x05/);
    const top = await browse(url, null);
    expect(top.ok && top.value.map((i) => i.id)).toEqual(expect.arrayContaining(['LineSpeed', 'CoilID', 'Arr', 'LintTag', 'Program:Main']));
    expect(top.ok && top.value.find((i) => i.id === 'Arr')).toMatchObject({ dataType: 'REAL[10]', hasChildren: true });
    const prog = await browse(url, 'Program:Main');
    expect(prog).toEqual({ ok: true, value: [{ id: 'Program:Main.Count', name: 'Count', kind: 'tag', hasChildren: false, dataType: 'DINT' }] });
    const arr = await browse(url, 'Arr');
    expect(arr.ok && arr.value.map((i) => i.id)).toEqual(Array.from({ length: 10 }, (_, i) => `Arr[${i}]`));
    const none = await browse(url, 'Program:Nope');
    expect(none).toMatchObject({ ok: false, error: { message: expect.stringMatching(/0x05/) } });
  });

  it('rejects a refused connection with a clear message and does not crash', async () => {
    const port = await freePort();
    session = enipDriver.open(config(port)) as Session;
    const drops: string[] = [];
    session.onDrop((r) => drops.push(r));
    await expect(session.connect()).rejects.toThrow(/connection refused by 127\.0\.0\.1:\d+/);
    await new Promise((r) => setTimeout(r, 50));
    const p = await probe(`enip://127.0.0.1:${port}`, ['Temp']);
    expect(p).toMatchObject({ ok: false, error: { kind: 'connection', message: expect.stringContaining('connection refused') } });
  });

  it('names the slot when no controller answers there', async () => {
    await expect(connected(0).then(() => undefined)).resolves.toBeUndefined();
    await session?.close();
    session = enipDriver.open(config((server as EnipSimServer).port, 4)) as Session;
    await expect(session.connect()).rejects.toThrow(/slot 4: CIP status 0x01.*no controller in that slot/);
  });

  it('treats a peer that speaks garbage as a broken link, not a crash', async () => {
    other = net.createServer((sock) => {
      sock.on('error', () => undefined);
      sock.on('data', () => {
        // A RegisterSession reply, then a SendRRData whose CPF claims more items than it has.
        const reg = Buffer.alloc(28);
        reg.writeUInt16LE(0x65, 0);
        reg.writeUInt16LE(4, 2);
        reg.writeUInt32LE(7, 4);
        reg.writeUInt16LE(1, 24);
        const junk = Buffer.alloc(24 + 8);
        junk.writeUInt16LE(0x6f, 0);
        junk.writeUInt16LE(8, 2);
        junk.writeUInt16LE(9, 24 + 6);
        sock.write(Buffer.concat([reg, junk]));
      });
    });
    await new Promise<void>((r) => (other as net.Server).listen(0, '127.0.0.1', () => r()));
    const port = (other.address() as net.AddressInfo).port;
    session = enipDriver.open(config(port)) as Session;
    session.onDrop(() => undefined);
    await expect(session.connect()).rejects.toThrow(/malformed reply|closed|no reply/);
  });

  it('reports a drop when the controller goes away, and later reads reject', async () => {
    const s = await connected();
    const reasons: string[] = [];
    s.onDrop((r) => reasons.push(r));
    const p = s.prepare(addresses('RealTag'));
    await s.read(p);
    await server?.close();
    server = undefined;
    await expect.poll(() => reasons.length).toBe(1);
    expect(reasons[0]).toMatch(/closed the connection|reset/);
    await expect(s.read(p)).rejects.toThrow();
  });
});
