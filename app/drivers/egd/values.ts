/**
 * Values in an exchange's data. EGD carries the PLC's memory image as it is, and GE PLCs
 * (PACSystems, 90-30/90-70, Mark VIe) are little-endian, so every multi-byte value is
 * read little-endian; see docs/egd.md.
 */
import { TYPE_BYTES, type EgdAddress } from './address';

export type SignalValue = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly reason: string };

const RANGES: Readonly<Record<string, readonly [number, number]>> = {
  int: [-0x8000, 0x7fff],
  uint: [0, 0xffff],
  dint: [-0x80000000, 0x7fffffff],
  udint: [0, 0xffffffff],
};

/** One signal out of the data of `exchange`; an address past the end is a reason, not a throw. */
export function readSignal(data: Uint8Array, view: DataView, a: EgdAddress, exchange: number): SignalValue {
  const size = TYPE_BYTES[a.type];
  if (a.offset + size > data.length) return { ok: false, reason: `offset ${a.offset} + ${size} bytes is past the ${data.length} data bytes of exchange ${exchange}` };
  const o = a.offset;
  switch (a.type) {
    case 'bit':
      return { ok: true, value: ((data[o] as number) >> (a.bit ?? 0)) & 1 };
    case 'int':
      return { ok: true, value: view.getInt16(o, true) };
    case 'uint':
      return { ok: true, value: view.getUint16(o, true) };
    case 'dint':
      return { ok: true, value: view.getInt32(o, true) };
    case 'udint':
      return { ok: true, value: view.getUint32(o, true) };
    case 'real':
      return { ok: true, value: view.getFloat32(o, true) };
    case 'lreal':
      return { ok: true, value: view.getFloat64(o, true) };
  }
}

/** A DataView over exactly `data` (which is usually a view into a larger packet buffer). */
export function dataView(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

/** Integers are rounded and clamped to their type; NaN becomes 0, as a PLC integer cannot hold "no value". */
function toInteger(value: number, type: EgdAddress['type']): number {
  const [low, high] = RANGES[type] ?? [0, 0];
  if (Number.isNaN(value)) return 0;
  return Math.min(high, Math.max(low, Math.round(value))) + 0;
}

/** Writes one value (the producer side); returns false when the address is past the data. */
export function writeSignal(data: Uint8Array, view: DataView, a: EgdAddress, value: number): boolean {
  const o = a.offset;
  if (o + TYPE_BYTES[a.type] > data.length) return false;
  switch (a.type) {
    case 'bit': {
      const mask = 1 << (a.bit ?? 0);
      data[o] = value ? (data[o] as number) | mask : (data[o] as number) & ~mask;
      return true;
    }
    case 'int':
      view.setInt16(o, toInteger(value, a.type), true);
      return true;
    case 'uint':
      view.setUint16(o, toInteger(value, a.type), true);
      return true;
    case 'dint':
      view.setInt32(o, toInteger(value, a.type), true);
      return true;
    case 'udint':
      view.setUint32(o, toInteger(value, a.type), true);
      return true;
    case 'real':
      view.setFloat32(o, value, true);
      return true;
    case 'lreal':
      view.setFloat64(o, value, true);
      return true;
  }
}
