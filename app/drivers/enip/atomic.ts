/**
 * The Logix atomic data types and their little-endian value encoding, as they appear in
 * Read Tag / Write Tag data (a 2-byte type code, then the elements).
 */
import { err, ok, parxError, type Result } from '../../shared/result';

export const CipType = { BOOL: 0xc1, SINT: 0xc2, INT: 0xc3, DINT: 0xc4, LINT: 0xc5, REAL: 0xca } as const;
export type AtomicType = keyof typeof CipType;

const SIZE: Record<AtomicType, number> = { BOOL: 1, SINT: 1, INT: 2, DINT: 4, LINT: 8, REAL: 4 };
const BY_CODE = new Map<number, AtomicType>(Object.entries(CipType).map(([k, v]) => [v, k as AtomicType]));

/** Logix answers a structure read with 0x02A0 and a structure handle. */
export const STRUCT_TYPE = 0x02a0;

export function atomicType(code: number): AtomicType | undefined {
  return BY_CODE.get(code);
}

export function typeSize(type: AtomicType): number {
  return SIZE[type];
}

/** Writes `values` as `type` elements (integers wrap like the PLC's own conversion; BOOL true is 0xFF, as Logix sends it). */
export function encodeAtomic(type: AtomicType, values: readonly number[]): Buffer {
  const size = SIZE[type];
  const buf = Buffer.alloc(size * values.length);
  values.forEach((raw, i) => {
    // REAL carries NaN and ±Inf as they are; integer types have no such values.
    const v = type === 'REAL' || Number.isFinite(raw) ? raw : 0;
    const at = i * size;
    switch (type) {
      case 'BOOL':
        buf.writeUInt8(v !== 0 ? 0xff : 0, at);
        break;
      case 'SINT':
        buf.writeInt8((Math.trunc(v) << 24) >> 24, at);
        break;
      case 'INT':
        buf.writeInt16LE((Math.trunc(v) << 16) >> 16, at);
        break;
      case 'DINT':
        buf.writeInt32LE(Math.trunc(v) | 0, at);
        break;
      case 'LINT':
        buf.writeBigInt64LE(BigInt.asIntN(64, BigInt(Math.trunc(v))), at);
        break;
      case 'REAL':
        buf.writeFloatLE(v, at);
        break;
    }
  });
  return buf;
}

/** Reads `count` elements of type `code` from `data` at `offset`; LINT beyond 2^53 loses precision as a double must. */
export function decodeAtomic(code: number, data: Buffer, offset: number, count: number): Result<number[]> {
  const type = atomicType(code);
  if (!type) {
    const what = code === STRUCT_TYPE ? 'a structure (UDT)' : `data type 0x${code.toString(16).padStart(2, '0')}`;
    return err(parxError('protocol', `${what} is not an atomic type ParX can trend (BOOL, SINT, INT, DINT, LINT, REAL)`));
  }
  const size = SIZE[type];
  if (!Number.isInteger(offset) || !Number.isInteger(count) || offset < 0 || count < 0 || offset + size * count > data.length) {
    return err(parxError('protocol', `${type}[${count}] needs ${size * count} byte(s) at ${offset}, the reply has ${data.length}`));
  }
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const at = offset + i * size;
    switch (type) {
      case 'BOOL':
        out.push(data.readUInt8(at) !== 0 ? 1 : 0);
        break;
      case 'SINT':
        out.push(data.readInt8(at));
        break;
      case 'INT':
        out.push(data.readInt16LE(at));
        break;
      case 'DINT':
        out.push(data.readInt32LE(at));
        break;
      case 'LINT':
        out.push(Number(data.readBigInt64LE(at)));
        break;
      case 'REAL':
        out.push(data.readFloatLE(at));
        break;
    }
  }
  return ok(out);
}

/** Read Tag reply data: type code, then the elements. */
export function decodeTagData(data: Buffer, count = 1): Result<{ type: number; values: number[] }> {
  if (data.length < 2) return err(parxError('protocol', `Read Tag reply of ${data.length} byte(s) carries no data type`));
  const type = data.readUInt16LE(0);
  const values = decodeAtomic(type, data, 2, count);
  return values.ok ? ok({ type, values: values.value }) : values;
}
