/** The simulator at the byte level: what any EtherNet/IP client (not only ethernet-ip) would send. */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeTagData, encodeAtomic } from '../drivers/enip/atomic';
import { decodeMultiple, decodeReply, encodeMultiple, encodeRequest, encodeUnconnectedSend, MESSAGE_ROUTER, type CipReply, type CipRequest } from '../drivers/enip/cip';
import { Command, decodeListIdentity, decodeRRData, encodeFrame, encodeRRData, splitFrames, type EncapFrame } from '../drivers/enip/encap';
import type { PathSegment } from '../drivers/enip/epath';
import { serveEnip, type EnipSimServer } from './enip-server';
import { StripLine } from './line-model';

const sym = (...names: (string | number)[]): PathSegment[] => names.map((n) => (typeof n === 'number' ? { kind: 'element', value: n } : { kind: 'symbol', name: n }));

class RawClient {
  private stream: Buffer = Buffer.alloc(0);
  private frames: EncapFrame[] = [];
  private waiting: (() => void) | undefined;
  session = 0;
  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      const s = splitFrames(Buffer.concat([this.stream, chunk]));
      this.stream = s.rest;
      this.frames.push(...s.frames);
      this.waiting?.();
    });
  }
  static async connect(port: number): Promise<RawClient> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((r, j) => socket.once('connect', () => r()).once('error', j));
    return new RawClient(socket);
  }
  async send(frame: Buffer, byteByByte = false): Promise<EncapFrame> {
    if (byteByByte) for (const b of frame) this.socket.write(Buffer.from([b]));
    else this.socket.write(frame);
    while (this.frames.length === 0) await new Promise<void>((r) => (this.waiting = r));
    return this.frames.shift() as EncapFrame;
  }
  async register(): Promise<void> {
    const f = await this.send(encodeFrame(Command.RegisterSession, 0, Buffer.from([1, 0, 0, 0])));
    this.session = f.header.session;
  }
  async cip(req: CipRequest, slot = 0, direct = false): Promise<CipReply> {
    const message = direct ? encodeRequest(req) : encodeUnconnectedSend(encodeRequest(req), [{ kind: 'port', port: 1, link: slot }]);
    const f = await this.send(encodeFrame(Command.SendRRData, this.session, encodeRRData([{ type: 0, data: Buffer.alloc(0) }, { type: 0xb2, data: message }])));
    expect(f.header.status).toBe(0);
    const rr = decodeRRData(f.data);
    if (!rr.ok) throw new Error(rr.error.message);
    const reply = decodeReply(rr.value.message);
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.value;
  }
}

const count = (n: number): Buffer => Buffer.from([n & 0xff, n >> 8]);

describe('simulated Logix controller (EtherNet/IP server)', () => {
  let server: EnipSimServer | undefined;
  let client: RawClient | undefined;
  afterEach(async () => {
    client?.socket.destroy();
    await server?.close();
    server = undefined;
    client = undefined;
  });

  async function start(): Promise<RawClient> {
    const line = new StripLine({ seed: 5, startMs: 0 });
    let t = 0;
    server = await serveEnip(() => line.step((t += 100)), {});
    client = await RawClient.connect(server.port);
    return client;
  }

  it('answers ListIdentity, registers sessions and refuses a wrong session handle', async () => {
    const c = await start();
    const id = await c.send(encodeFrame(Command.ListIdentity, 0, Buffer.alloc(0)));
    expect(decodeListIdentity(id.data)).toMatchObject({ ok: true, value: [{ vendorId: 1, deviceType: 0x0e, productName: expect.stringContaining('1756-L83E') }] });
    const bad = await c.send(encodeFrame(Command.SendRRData, 1234, encodeRRData([])));
    expect(bad.header.status).toBe(0x64);
    const rev = await c.send(encodeFrame(Command.RegisterSession, 0, Buffer.from([2, 0, 0, 0])));
    expect(rev.header.status).toBe(0x69);
    await c.register();
    expect(c.session).not.toBe(0);
    const unknown = await c.send(encodeFrame(0x00ab, c.session, Buffer.alloc(0)));
    expect(unknown.header.status).toBe(0x01);
    expect(server?.connections()).toBe(1);
  });

  it('reassembles frames sent byte by byte', async () => {
    const c = await start();
    const f = await c.send(encodeFrame(Command.RegisterSession, 0, Buffer.from([1, 0, 0, 0])), true);
    expect(f.header.command).toBe(Command.RegisterSession);
    expect(f.header.session).not.toBe(0);
  });

  it('reads, writes and refuses tags with Logix status codes, routed or direct', async () => {
    const c = await start();
    await c.register();
    const real = await c.cip({ service: 0x4c, path: sym('RealTag'), data: count(1) });
    expect(decodeTagData(real.data)).toEqual({ ok: true, value: { type: 0xca, values: [3.25] } });
    const direct = await c.cip({ service: 0x4c, path: sym('dinttag'), data: count(1) }, 0, true);
    expect(decodeTagData(direct.data)).toEqual({ ok: true, value: { type: 0xc4, values: [123456789] } });
    expect(await c.cip({ service: 0x4c, path: sym('Nope'), data: count(1) })).toMatchObject({ service: 0x4c, status: 0x05 });
    expect(await c.cip({ service: 0x4c, path: sym('RealTag', 'X'), data: count(1) })).toMatchObject({ status: 0x05 });
    expect(await c.cip({ service: 0x4c, path: sym('RealTag', 1), data: count(1) })).toMatchObject({ status: 0x04 });
    expect(await c.cip({ service: 0x4c, path: sym('Arr', 8), data: count(3) })).toMatchObject({ status: 0xff, extended: [0x2105] });
    expect(await c.cip({ service: 0x4c, path: sym('Arr'), data: Buffer.alloc(0) })).toMatchObject({ status: 0x13 });
    expect(await c.cip({ service: 0x4c, path: sym('Arr'), data: count(1) }, 2)).toMatchObject({ service: 0x52, status: 0x01, extended: [0x0312] });
    expect(await c.cip({ service: 0x33, path: sym('Arr'), data: Buffer.alloc(0) })).toMatchObject({ status: 0x08 });

    const write = Buffer.concat([Buffer.from([0xca, 0, 2, 0]), encodeAtomic('REAL', [42.5, -1])]);
    expect(await c.cip({ service: 0x4d, path: sym('Arr', 4), data: write })).toMatchObject({ status: 0 });
    const arr = await c.cip({ service: 0x4c, path: sym('Arr', 3), data: count(3) });
    expect(decodeTagData(arr.data, 3)).toEqual({ ok: true, value: { type: 0xca, values: [3.5, 42.5, -1] } });
    expect(await c.cip({ service: 0x4d, path: sym('Arr', 0), data: Buffer.concat([Buffer.from([0xc4, 0, 1, 0]), encodeAtomic('DINT', [1])]) })).toMatchObject({ status: 0xff, extended: [0x2107] });
  });

  it('answers a Multiple Service Packet with 0x1E and every embedded reply when one fails', async () => {
    const c = await start();
    await c.register();
    const reads = [sym('IntTag'), sym('Nope'), sym('Program:Main', 'Count')].map((path) => encodeRequest({ service: 0x4c, path, data: count(1) }));
    const reply = await c.cip({ service: 0x0a, path: MESSAGE_ROUTER, data: encodeMultiple(reads) });
    expect(reply.status).toBe(0x1e);
    const parts = decodeMultiple(reply.data);
    const inner = parts.ok ? parts.value.map((p) => decodeReply(p)) : [];
    expect(inner.map((r) => r.ok && r.value.status)).toEqual([0, 5, 0]);
    expect(inner[0]?.ok && decodeTagData(inner[0].value.data)).toEqual({ ok: true, value: { type: 0xc3, values: [-1234] } });
  });

  it('pages the tag list and serves Read Tag Fragmented', async () => {
    const c = await start();
    await c.register();
    const tagList = (from: number) => c.cip({ service: 0x55, path: [{ kind: 'class', value: 0x6b }, { kind: 'instance', value: from }], data: Buffer.from([3, 0, 1, 0, 2, 0, 8, 0]) });
    const first = await tagList(0);
    expect(first.status).toBe(0x06);
    expect((await tagList(100)).status).toBe(0);
    const frag = await c.cip({ service: 0x52, path: sym('Arr'), data: Buffer.from([10, 0, 8, 0, 0, 0]) });
    expect(frag.status).toBe(0);
    expect(decodeTagData(frag.data, 8)).toEqual({ ok: true, value: { type: 0xca, values: [2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5] } });
  });

  it('closes the connection on UnRegisterSession', async () => {
    const c = await start();
    await c.register();
    const closed = new Promise<void>((r) => c.socket.once('close', () => r()));
    c.socket.write(encodeFrame(Command.UnRegisterSession, c.session, Buffer.alloc(0)));
    await closed;
    await expect.poll(() => server?.connections()).toBe(0);
  });
});
