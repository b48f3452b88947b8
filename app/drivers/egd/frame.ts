/**
 * The EGD production data packet (PDU type 13, version 1), as a GE producer sends it over
 * UDP to port 18246. Layout as Wireshark's `egd` dissector reads it (docs/egd.md):
 *
 *   0  u8      PDU type (0x0D)          12 u32 LE  timestamp, seconds since 1970 (0 = none)
 *   1  u8      version (1)              16 u32 LE  timestamp, nanoseconds
 *   2  u16 LE  request id               20 u32 LE  status
 *   4  4 bytes producer id (IPv4)       24 u32 LE  configuration signature
 *   8  u32 LE  exchange id              28 u32 LE  reserved
 *   32 …       exchange data
 *
 * Pure: no sockets, no clock. Decoding never throws; a malformed packet is a Result error.
 */
import { err, ok, parxError, type Result } from '../../shared/result';

export const EGD_PORT = 18246;
export const PDU_PRODUCTION = 0x0d;
export const EGD_VERSION = 1;
export const HEADER_BYTES = 32;
/** GE limits one exchange to 1400 data bytes so a packet fits one Ethernet frame unfragmented. */
export const MAX_DATA_BYTES = 1400;

export interface EgdTimestamp {
  readonly seconds: number;
  readonly nanoseconds: number;
}

export interface ProductionFrame {
  /** Dotted IPv4, e.g. "10.0.0.5": how GE tools name a producer. */
  readonly producer: string;
  readonly exchange: number;
  /** Counts up with every production of the exchange; consumers use it to spot lost packets. */
  readonly requestId: number;
  readonly timestamp: EgdTimestamp;
  readonly status: number;
  readonly signature: number;
  readonly reserved: number;
  /** A view into the packet, not a copy. */
  readonly data: Uint8Array;
}

export type ProductionInput = Omit<ProductionFrame, 'reserved'> & { readonly reserved?: number };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** "10.0.0.5" → its four bytes; undefined when it is not a dotted IPv4. */
export function producerBytes(producer: string): readonly [number, number, number, number] | undefined {
  const m = IPV4.exec(producer);
  if (!m) return undefined;
  const parts = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as const;
  return parts.every((p) => p <= 255) ? parts : undefined;
}

function isU32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
}

/** Builds one packet. A field that does not fit its slot is an error, not silently truncated. */
export function encodeProduction(f: ProductionInput): Result<Uint8Array> {
  const ip = producerBytes(f.producer);
  if (!ip) return err(parxError('invalid-request', `producer "${f.producer}" is not a dotted IPv4 such as 10.0.0.5`));
  if (!Number.isInteger(f.requestId) || f.requestId < 0 || f.requestId > 0xffff) return err(parxError('invalid-request', `request id ${f.requestId} is not 0..65535`));
  const words: [string, number][] = [
    ['exchange id', f.exchange],
    ['timestamp seconds', f.timestamp.seconds],
    ['status', f.status],
    ['configuration signature', f.signature],
    ['reserved', f.reserved ?? 0],
  ];
  for (const [what, n] of words) if (!isU32(n)) return err(parxError('invalid-request', `${what} ${n} is not 0..4294967295`));
  if (!Number.isInteger(f.timestamp.nanoseconds) || f.timestamp.nanoseconds < 0 || f.timestamp.nanoseconds > 999_999_999) {
    return err(parxError('invalid-request', `timestamp nanoseconds ${f.timestamp.nanoseconds} is not 0..999999999`));
  }
  if (f.data.length > MAX_DATA_BYTES) return err(parxError('invalid-request', `${f.data.length} data bytes exceed the ${MAX_DATA_BYTES} an exchange may carry`));
  const bytes = new Uint8Array(HEADER_BYTES + f.data.length);
  const view = new DataView(bytes.buffer);
  bytes[0] = PDU_PRODUCTION;
  bytes[1] = EGD_VERSION;
  view.setUint16(2, f.requestId, true);
  bytes.set(ip, 4);
  view.setUint32(8, f.exchange, true);
  view.setUint32(12, f.timestamp.seconds, true);
  view.setUint32(16, f.timestamp.nanoseconds, true);
  view.setUint32(20, f.status, true);
  view.setUint32(24, f.signature, true);
  view.setUint32(28, f.reserved ?? 0, true);
  bytes.set(f.data, HEADER_BYTES);
  return ok(bytes);
}

function protocolError(message: string): Result<never> {
  return err(parxError('protocol', message));
}

/** Producer and exchange only — enough to route a packet whose tail is damaged. Needs 12 bytes. */
export function peekExchange(bytes: Uint8Array): { producer: string; exchange: number } | undefined {
  if (bytes.length < 12 || bytes[0] !== PDU_PRODUCTION) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { producer: `${bytes[4]}.${bytes[5]}.${bytes[6]}.${bytes[7]}`, exchange: view.getUint32(8, true) };
}

export function decodeProduction(bytes: Uint8Array): Result<ProductionFrame> {
  if (bytes.length < HEADER_BYTES) return protocolError(`packet too short: ${bytes.length} bytes, an EGD header needs ${HEADER_BYTES}`);
  const type = bytes[0] as number;
  if (type !== PDU_PRODUCTION) return protocolError(`PDU type ${type} is not an EGD production packet (type ${PDU_PRODUCTION})`);
  const version = bytes[1] as number;
  if (version !== EGD_VERSION) return protocolError(`EGD version ${version} is not supported (only version ${EGD_VERSION})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Lenient past the header: an odd timestamp or an oversized exchange still carries usable
  // data, so those are judged by the consumer (timestampMs, the signal offsets), not here.
  const nanoseconds = view.getUint32(16, true);
  return ok({
    producer: `${bytes[4]}.${bytes[5]}.${bytes[6]}.${bytes[7]}`,
    exchange: view.getUint32(8, true),
    requestId: view.getUint16(2, true),
    timestamp: { seconds: view.getUint32(12, true), nanoseconds },
    status: view.getUint32(20, true),
    signature: view.getUint32(24, true),
    reserved: view.getUint32(28, true),
    data: bytes.subarray(HEADER_BYTES),
  });
}

/** ms since the epoch; undefined when the producer sent no time (seconds 0: no SNTP sync yet) or a nonsense one. */
export function timestampMs(t: EgdTimestamp): number | undefined {
  if (t.seconds === 0 || t.nanoseconds > 999_999_999) return undefined;
  return t.seconds * 1000 + t.nanoseconds / 1e6;
}

export function timestampFromMs(ms: number): EgdTimestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanoseconds: Math.round((ms - seconds * 1000) * 1e6) % 1_000_000_000 };
}
