/**
 * Signal addresses inside one exchange's data: `TYPE:OFFSET` with a byte offset, or
 * `bit:OFFSET.BIT` for one bit of a byte. Type names are GE's (REAL, DINT …), any case.
 */
import { err, ok, parxError, type Result } from '../../shared/result';
import { MAX_DATA_BYTES } from './frame';

export type EgdType = 'bit' | 'int' | 'uint' | 'dint' | 'udint' | 'real' | 'lreal';

export interface EgdAddress {
  readonly type: EgdType;
  /** Byte offset from the start of the exchange data. */
  readonly offset: number;
  /** 0 = least significant bit of the byte; only for 'bit'. */
  readonly bit?: number;
}

export const TYPE_BYTES: Readonly<Record<EgdType, number>> = { bit: 1, int: 2, uint: 2, dint: 4, udint: 4, real: 4, lreal: 8 };
const TYPES = Object.keys(TYPE_BYTES) as EgdType[];

function isType(t: string): t is EgdType {
  return (TYPES as string[]).includes(t);
}

function invalid(message: string): Result<never> {
  return err(parxError('invalid-request', message));
}

const SHAPE = /^([A-Za-z]+):(\d{1,6})(?:\.(\d{1,2}))?$/;

export function parseEgdAddress(text: string): Result<EgdAddress> {
  const trimmed = text.trim();
  const m = SHAPE.exec(trimmed);
  if (!m) return invalid(`"${text}" is not an EGD address (expected TYPE:OFFSET such as real:0, or bit:OFFSET.BIT such as bit:40.1; types ${TYPES.join(', ')})`);
  const type = (m[1] as string).toLowerCase();
  if (!isType(type)) return invalid(`"${m[1]}" in "${text}" is not an EGD type (${TYPES.join(', ')})`);
  const offset = Number(m[2]);
  const size = TYPE_BYTES[type];
  if (offset + size > MAX_DATA_BYTES) return invalid(`"${text}": offset ${offset} + ${size} bytes is past the ${MAX_DATA_BYTES} bytes an exchange can carry`);
  if (type === 'bit') {
    if (m[3] === undefined) return invalid(`"${text}": a bit needs its bit number, e.g. bit:${offset}.0`);
    const bit = Number(m[3]);
    if (bit > 7) return invalid(`"${text}": bit ${bit} is not 0..7 (offsets count bytes)`);
    return ok({ type, offset, bit });
  }
  if (m[3] !== undefined) return invalid(`"${text}": only bit addresses take a .BIT suffix`);
  return ok({ type, offset });
}

export function formatEgdAddress(a: EgdAddress): string {
  return a.type === 'bit' ? `bit:${a.offset}.${a.bit ?? 0}` : `${a.type}:${a.offset}`;
}
