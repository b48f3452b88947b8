/**
 * Wireshark as the independent judge of our wire format: packets produced by the EGD
 * simulator over real UDP, plus edge cases, are written to a pcap and decoded by tshark's
 * `egd` dissector; every header field must read the same as our decoder reads it.
 */
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/helpers';
import { StripLine } from '../../sim/line-model';
import { produceEgd, type EgdProducer } from '../../sim/egd-producer';
import { EGD_PORT, decodeProduction, encodeProduction, type ProductionFrame } from './frame';
import { writePcap, type UdpRecord } from './pcap';

function tshark(args: string[]): string {
  try {
    return execFileSync('tshark', args, { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw new Error('tshark is not installed; this test needs it as the independent EGD decoder: apt-get install tshark (Debian package "tshark")');
    throw e;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Nov 14, 2023 22:13:20.123456789 UTC" → seconds and nanoseconds. */
function tsharkTime(text: string): { seconds: number; nanoseconds: number } {
  const m = /^(\w{3}) +(\d+), (\d{4}) (\d\d):(\d\d):(\d\d)\.(\d{9}) UTC$/.exec(text);
  if (!m) throw new Error(`unexpected tshark time "${text}"`);
  const ms = Date.UTC(Number(m[3]), MONTHS.indexOf(m[1] as string), Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]));
  return { seconds: ms / 1000, nanoseconds: Number(m[7]) };
}

let producer: EgdProducer | undefined;
let socket: dgram.Socket | undefined;
afterEach(async () => {
  await producer?.stop();
  producer = undefined;
  await new Promise<void>((r) => (socket ? socket.close(() => r()) : r()));
  socket = undefined;
});

describe('tshark decodes our EGD packets as we do', () => {
  it('agrees on producer, exchange, request id, timestamp, status and signature', async () => {
    // Real packets from the simulator, caught by a bare socket on 127.0.0.1.
    const received: UdpRecord[] = [];
    const s = (socket = dgram.createSocket('udp4'));
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
    const done = new Promise<void>((resolve) =>
      s.on('message', (payload, rinfo) => {
        received.push({ payload: new Uint8Array(payload), tsMs: Date.now(), src: rinfo.address, dst: '127.0.0.1', srcPort: rinfo.port, dstPort: EGD_PORT });
        if (received.length === 9) resolve();
      }),
    );
    const line = new StripLine({ seed: 3 });
    producer = await produceEgd(() => line.step(Date.now()), { target: `127.0.0.1:${s.address().port}`, producer: '192.168.10.21', exchanges: 3, periodMs: 20, signature: 0x00020001 });
    await done;

    // Edge cases: no timestamp, every field at its maximum, a fault status, no data.
    const edges: Parameters<typeof encodeProduction>[0][] = [
      { producer: '0.0.0.0', exchange: 0, requestId: 0, timestamp: { seconds: 0, nanoseconds: 0 }, status: 0, signature: 0, data: new Uint8Array(0) },
      { producer: '255.255.255.255', exchange: 0xffffffff, requestId: 0xffff, timestamp: { seconds: 0xffffffff, nanoseconds: 999_999_999 }, status: 30, signature: 0xffffffff, reserved: 0xffffffff, data: new Uint8Array(1400).fill(0xa5) },
      { producer: '10.0.0.5', exchange: 1, requestId: 513, timestamp: { seconds: 1_700_000_000, nanoseconds: 1 }, status: 7, signature: 258, data: new Uint8Array([1, 2, 3]) },
    ];
    for (const e of edges) {
      const bytes = encodeProduction(e);
      if (!bytes.ok) throw new Error(bytes.error.message);
      received.push({ payload: bytes.value, tsMs: Date.now(), src: '10.0.0.5', dst: '127.0.0.1', srcPort: EGD_PORT, dstPort: EGD_PORT });
    }

    const file = path.join(await tempDir('parx-egd-'), 'egd.pcap');
    fs.writeFileSync(file, writePcap(received));
    const fields = ['egd.type', 'egd.ver', 'egd.rid', 'egd.pid', 'egd.exid', 'egd.time', 'egd.notime', 'egd.stat', 'egd.csig', 'egd.rsrv', 'data.len'];
    const out = tshark(['-r', file, '-T', 'fields', '-E', 'separator=/t', ...fields.flatMap((f) => ['-e', f])]);
    const rows = out.trimEnd().split('\n').map((l) => l.split('\t'));
    expect(rows).toHaveLength(received.length);

    rows.forEach((row, i) => {
      const ours = decodeProduction((received[i] as UdpRecord).payload);
      if (!ours.ok) throw new Error(ours.error.message);
      const f: ProductionFrame = ours.value;
      const [type, ver, rid, pid, exid, time, notime, stat, csig, rsrv, dataLen] = row;
      expect({ type, ver }).toEqual({ type: '13', ver: '1' });
      expect({ rid: Number(rid), pid, exid: Number(exid), stat: Number(stat), csig: Number(csig), rsrv: Number(rsrv) }).toEqual({
        rid: f.requestId,
        pid: f.producer,
        exid: f.exchange,
        stat: f.status,
        csig: f.signature,
        rsrv: f.reserved,
      });
      if (f.timestamp.seconds === 0) expect({ time, notime }).toEqual({ time: '', notime: '0x0000000000000000' });
      else expect(tsharkTime(time as string)).toEqual(f.timestamp);
      expect(Number(dataLen || 0)).toBe(f.data.length);
    });
    // The simulator's packets really are its own: three exchanges from its producer id.
    expect(new Set(rows.slice(0, 9).map((r) => `${r[3]} ${Number(r[4])}`))).toEqual(new Set(['192.168.10.21 1', '192.168.10.21 2', '192.168.10.21 3']));
  });
});
