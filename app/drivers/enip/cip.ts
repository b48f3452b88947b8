/**
 * CIP message router requests and replies, the Connection Manager's Unconnected Send
 * (which routes a request to the controller in a slot) and the Multiple Service Packet
 * (how a tag group reads many tags in one round trip).
 */
import { err, ok, parxError, type Result } from '../../shared/result';
import { Reader, decoding } from './bytes';
import { decodePath, encodePath, type PathSegment } from './epath';

export const Service = {
  GetAttributeAll: 0x01,
  GetAttributeSingle: 0x0e,
  MultipleServicePacket: 0x0a,
  ReadTag: 0x4c,
  WriteTag: 0x4d,
  ReadModifyWriteTag: 0x4e,
  ReadTagFragmented: 0x52,
  UnconnectedSend: 0x52,
  GetInstanceAttributeList: 0x55,
} as const;

export const REPLY = 0x80;

export const Status = {
  success: 0x00,
  connectionFailure: 0x01,
  pathSegmentError: 0x04,
  pathDestinationUnknown: 0x05,
  partialTransfer: 0x06,
  serviceNotSupported: 0x08,
  attributeNotSupported: 0x14,
  notEnoughData: 0x13,
  tooMuchData: 0x15,
  embeddedServiceError: 0x1e,
  generalError: 0xff,
} as const;

/** General status codes (CIP Vol 1, Appendix B), worded for the engineer reading the error. */
const STATUS_TEXT: Record<number, string> = {
  0x01: 'connection failure',
  0x02: 'resource unavailable',
  0x03: 'invalid parameter value',
  0x04: 'path segment error (the tag name or path is malformed)',
  0x05: 'path destination unknown (no such tag)',
  0x06: 'partial transfer',
  0x08: 'service not supported',
  0x09: 'invalid attribute value',
  0x0c: 'object state conflict',
  0x0f: 'privilege violation',
  0x10: 'device state conflict',
  0x11: 'reply data too large',
  0x13: 'not enough data',
  0x14: 'attribute not supported',
  0x15: 'too much data',
  0x16: 'object does not exist',
  0x1e: 'embedded service error',
  0x26: 'path size invalid',
  0xff: 'general error',
};

const EXTENDED_TEXT: Record<number, string> = {
  0x2104: 'offset beyond end of the tag',
  0x2105: 'index beyond the end of the array',
  0x2107: 'data type does not match the tag',
  0x0204: 'unconnected request timed out',
  0x0311: 'invalid port in the route',
  0x0312: 'invalid link address (no controller in that slot)',
};

export function statusText(status: number, extended: readonly number[] = []): string {
  const ext = extended.map((e) => `0x${e.toString(16).padStart(4, '0')}${EXTENDED_TEXT[e] ? ` ${EXTENDED_TEXT[e]}` : ''}`);
  return `CIP status 0x${status.toString(16).padStart(2, '0')} ${STATUS_TEXT[status] ?? 'unknown status'}${ext.length ? ` [extended ${ext.join(', ')}]` : ''}`;
}

export interface CipRequest {
  readonly service: number;
  readonly path: readonly PathSegment[];
  readonly data: Buffer;
}

export interface CipReply {
  /** The request's service code (without the 0x80 reply bit). */
  readonly service: number;
  readonly status: number;
  readonly extended: readonly number[];
  readonly data: Buffer;
}

export function encodeRequest(req: CipRequest): Buffer {
  const path = encodePath(req.path);
  return Buffer.concat([Buffer.from([req.service & 0x7f, path.length / 2]), path, req.data]);
}

export function decodeRequest(buf: Buffer): Result<CipRequest> {
  return decoding('CIP request', () => {
    const r = new Reader(buf);
    const service = r.u8();
    if (service & REPLY) return err(parxError('protocol', `0x${service.toString(16)} is a reply, not a request`));
    const words = r.u8();
    const at = r.pos;
    r.bytes(words * 2);
    const path = decodePath(buf, at, words * 2);
    if (!path.ok) return path;
    return ok({ service, path: path.value, data: Buffer.from(r.rest()) });
  });
}

export function encodeReply(reply: CipReply): Buffer {
  const head = Buffer.alloc(4 + reply.extended.length * 2);
  head.writeUInt8((reply.service & 0x7f) | REPLY, 0);
  head.writeUInt8(reply.status, 2);
  head.writeUInt8(reply.extended.length, 3);
  reply.extended.forEach((e, i) => head.writeUInt16LE(e & 0xffff, 4 + i * 2));
  return Buffer.concat([head, reply.data]);
}

export function decodeReply(buf: Buffer): Result<CipReply> {
  return decoding('CIP reply', () => {
    const r = new Reader(buf);
    const code = r.u8();
    if (!(code & REPLY)) return err(parxError('protocol', `0x${code.toString(16)} is a request, not a reply`));
    r.u8();
    const status = r.u8();
    const n = r.u8();
    const extended: number[] = [];
    for (let i = 0; i < n; i++) extended.push(r.u16());
    return ok({ service: code & 0x7f, status, extended, data: Buffer.from(r.rest()) });
  });
}

export const CONNECTION_MANAGER: readonly PathSegment[] = [
  { kind: 'class', value: 0x06 },
  { kind: 'instance', value: 0x01 },
];
export const MESSAGE_ROUTER: readonly PathSegment[] = [
  { kind: 'class', value: 0x02 },
  { kind: 'instance', value: 0x01 },
];

/** Unconnected Send: the embedded request travels to `route` (e.g. backplane port 1, slot 0). */
export function encodeUnconnectedSend(message: Buffer, route: readonly PathSegment[], timing: { tick: number; ticks: number } = { tick: 10, ticks: 5 }): Buffer {
  const routeBytes = encodePath(route);
  const head = Buffer.alloc(4);
  head.writeUInt8(timing.tick, 0);
  head.writeUInt8(timing.ticks, 1);
  head.writeUInt16LE(message.length, 2);
  const pad = message.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0);
  const data = Buffer.concat([head, message, pad, Buffer.from([routeBytes.length / 2, 0]), routeBytes]);
  return encodeRequest({ service: Service.UnconnectedSend, path: CONNECTION_MANAGER, data });
}

export function decodeUnconnectedSend(data: Buffer): Result<{ message: Buffer; route: PathSegment[] }> {
  return decoding('Unconnected Send', () => {
    const r = new Reader(data);
    r.u8();
    r.u8();
    const length = r.u16();
    const message = Buffer.from(r.bytes(length));
    if (length % 2) r.u8();
    const words = r.u8();
    r.u8();
    const at = r.pos;
    r.bytes(words * 2);
    const route = decodePath(data, at, words * 2);
    if (!route.ok) return route;
    return ok({ message, route: route.value });
  });
}

/** Multiple Service Packet data: count, offsets (from the start of the count), then the embedded messages. */
export function encodeMultiple(messages: readonly Buffer[]): Buffer {
  const head = Buffer.alloc(2 + 2 * messages.length);
  head.writeUInt16LE(messages.length, 0);
  let offset = head.length;
  messages.forEach((m, i) => {
    head.writeUInt16LE(offset, 2 + 2 * i);
    offset += m.length;
  });
  return Buffer.concat([head, ...messages]);
}

export function decodeMultiple(data: Buffer): Result<Buffer[]> {
  return decoding('Multiple Service Packet', () => {
    const r = new Reader(data);
    const count = r.u16();
    const offsets: number[] = [];
    for (let i = 0; i < count; i++) offsets.push(r.u16());
    const out: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      const start = offsets[i] as number;
      const end = i + 1 < count ? (offsets[i + 1] as number) : data.length;
      if (start < r.pos || end < start || end > data.length) {
        return err(parxError('protocol', `embedded message ${i + 1} of ${count} has offsets ${start}..${end} outside ${r.pos}..${data.length}`));
      }
      out.push(Buffer.from(data.subarray(start, end)));
    }
    return ok(out);
  });
}
