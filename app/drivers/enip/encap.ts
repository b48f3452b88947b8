/**
 * EtherNet/IP encapsulation (24-byte header + command data), the Common Packet Format
 * that carries CIP inside SendRRData, and the ListIdentity item.
 */
import { err, ok, parxError, type Result } from '../../shared/result';
import { Reader, decoding } from './bytes';

export const Command = {
  NOP: 0x00,
  ListServices: 0x04,
  ListIdentity: 0x63,
  ListInterfaces: 0x64,
  RegisterSession: 0x65,
  UnRegisterSession: 0x66,
  SendRRData: 0x6f,
  SendUnitData: 0x70,
} as const;

export const EncapStatus = { success: 0, invalidCommand: 0x01, badData: 0x03, invalidSession: 0x64, invalidLength: 0x65, unsupportedRevision: 0x69 } as const;

export const ItemType = { Null: 0x0000, Identity: 0x000c, ConnectedAddress: 0x00a1, Connected: 0x00b1, Unconnected: 0x00b2 } as const;

export const HEADER_BYTES = 24;

export interface EncapHeader {
  readonly command: number;
  readonly length: number;
  readonly session: number;
  readonly status: number;
  readonly context: Buffer;
  readonly options: number;
}

export interface EncapFrame {
  readonly header: EncapHeader;
  readonly data: Buffer;
}

export function encodeFrame(command: number, session: number, data: Buffer, status = 0, context: Buffer = Buffer.alloc(8)): Buffer {
  const out = Buffer.alloc(HEADER_BYTES + data.length);
  out.writeUInt16LE(command, 0);
  out.writeUInt16LE(data.length, 2);
  out.writeUInt32LE(session >>> 0, 4);
  out.writeUInt32LE(status >>> 0, 8);
  context.copy(out, 12, 0, 8);
  out.writeUInt32LE(0, 20);
  data.copy(out, HEADER_BYTES);
  return out;
}

/** Splits a TCP byte stream into whole frames; `rest` is an incomplete tail to keep for the next chunk. */
export function splitFrames(stream: Buffer): { frames: EncapFrame[]; rest: Buffer } {
  const frames: EncapFrame[] = [];
  let at = 0;
  while (stream.length - at >= HEADER_BYTES) {
    const length = stream.readUInt16LE(at + 2);
    if (stream.length - at < HEADER_BYTES + length) break;
    const header: EncapHeader = {
      command: stream.readUInt16LE(at),
      length,
      session: stream.readUInt32LE(at + 4),
      status: stream.readUInt32LE(at + 8),
      context: Buffer.from(stream.subarray(at + 12, at + 20)),
      options: stream.readUInt32LE(at + 20),
    };
    frames.push({ header, data: Buffer.from(stream.subarray(at + HEADER_BYTES, at + HEADER_BYTES + length)) });
    at += HEADER_BYTES + length;
  }
  return { frames, rest: Buffer.from(stream.subarray(at)) };
}

export interface CpfItem {
  readonly type: number;
  readonly data: Buffer;
}

export function encodeCpf(items: readonly CpfItem[]): Buffer {
  const parts: Buffer[] = [Buffer.alloc(2)];
  (parts[0] as Buffer).writeUInt16LE(items.length, 0);
  for (const item of items) {
    const head = Buffer.alloc(4);
    head.writeUInt16LE(item.type, 0);
    head.writeUInt16LE(item.data.length, 2);
    parts.push(head, item.data);
  }
  return Buffer.concat(parts);
}

export function decodeCpf(buf: Buffer, offset = 0): Result<CpfItem[]> {
  return decoding('common packet format', () => {
    const r = new Reader(buf, offset);
    const count = r.u16();
    const items: CpfItem[] = [];
    for (let i = 0; i < count; i++) {
      const type = r.u16();
      const length = r.u16();
      items.push({ type, data: Buffer.from(r.bytes(length)) });
    }
    return ok(items);
  });
}

/** SendRRData command data: interface handle (0 = CIP), timeout in s, then CPF items. */
export function encodeRRData(items: readonly CpfItem[], timeoutS = 0): Buffer {
  const head = Buffer.alloc(6);
  head.writeUInt16LE(timeoutS, 4);
  return Buffer.concat([head, encodeCpf(items)]);
}

/** The unconnected message (UCMM item) inside SendRRData command data. */
export function decodeRRData(data: Buffer): Result<{ timeoutS: number; message: Buffer }> {
  if (data.length < 6) return err(parxError('protocol', `SendRRData of ${data.length} byte(s) is shorter than its 6-byte prefix`));
  const items = decodeCpf(data, 6);
  if (!items.ok) return items;
  const message = items.value.find((i) => i.type === ItemType.Unconnected);
  if (!message) return err(parxError('protocol', `SendRRData carries no unconnected data item (items ${items.value.map((i) => `0x${i.type.toString(16)}`).join(', ') || 'none'})`));
  return ok({ timeoutS: data.readUInt16LE(4), message: message.data });
}

export interface Identity {
  readonly vendorId: number;
  readonly deviceType: number;
  readonly productCode: number;
  readonly revision: readonly [number, number];
  readonly status: number;
  readonly serial: number;
  readonly productName: string;
}

/** The Identity object's attributes 1–7 as Get Attribute All answers them (also the tail of a ListIdentity item). */
export function encodeIdentityAttributes(id: Identity): Buffer {
  const name = Buffer.from(id.productName, 'latin1').subarray(0, 32);
  const b = Buffer.alloc(15 + name.length);
  b.writeUInt16LE(id.vendorId, 0);
  b.writeUInt16LE(id.deviceType, 2);
  b.writeUInt16LE(id.productCode, 4);
  b.writeUInt8(id.revision[0], 6);
  b.writeUInt8(id.revision[1], 7);
  b.writeUInt16LE(id.status, 8);
  b.writeUInt32LE(id.serial >>> 0, 10);
  b.writeUInt8(name.length, 14);
  name.copy(b, 15);
  return b;
}

export function decodeIdentityAttributes(data: Buffer, offset = 0): Result<Identity> {
  return decoding('identity', () => {
    const r = new Reader(data, offset);
    const vendorId = r.u16();
    const deviceType = r.u16();
    const productCode = r.u16();
    const revision: [number, number] = [r.u8(), r.u8()];
    const status = r.u16();
    const serial = r.u32();
    const productName = r.bytes(r.u8()).toString('latin1');
    return ok({ vendorId, deviceType, productCode, revision, status, serial, productName });
  });
}

/** ListIdentity reply item: protocol version, socket address (big-endian, as the spec has it), identity, state. */
export function encodeListIdentityItem(id: Identity, address: { ip: string; port: number }): Buffer {
  const head = Buffer.alloc(18);
  head.writeUInt16LE(1, 0);
  head.writeUInt16BE(2, 2);
  head.writeUInt16BE(address.port, 4);
  const octets = address.ip.split('.').map((o) => Number(o) & 0xff);
  octets.forEach((o, i) => head.writeUInt8(o, 6 + i));
  return Buffer.concat([head, encodeIdentityAttributes(id), Buffer.from([0x03])]);
}

export function decodeListIdentity(data: Buffer): Result<Identity[]> {
  const items = decodeCpf(data);
  if (!items.ok) return items;
  const out: Identity[] = [];
  for (const item of items.value) {
    if (item.type !== ItemType.Identity) continue;
    const id = decodeIdentityAttributes(item.data, 18);
    if (!id.ok) return id;
    out.push(id.value);
  }
  return ok(out);
}
