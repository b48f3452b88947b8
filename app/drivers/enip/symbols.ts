/**
 * The Logix tag list: Get Instance Attribute List (0x55) on the Symbol object (class
 * 0x6B), controller scope or under `Program:Name`. The reply lists instances from the
 * requested one on; status 0x06 (partial transfer) means "ask again from the last + 1".
 */
import { ok, type Result } from '../../shared/result';
import { Reader, decoding } from './bytes';
import { Service, type CipRequest } from './cip';
import type { PathSegment } from './epath';
import { atomicType } from './atomic';

export const SYMBOL_CLASS = 0x6b;
/** Attributes the tag list asks for: 1 name, 2 symbol type, 8 array dimensions. */
export const SYMBOL_ATTRIBUTES = [1, 2, 8] as const;

/** Symbol type word: bits 0–11 type code, bit 12 system tag, bits 13–14 array dimensions, bit 15 structure. */
export const SymbolTypeBits = { system: 0x1000, dimsShift: 13, struct: 0x8000 } as const;
/** What a Logix controller reports for a program entry in the controller-scope list. */
export const PROGRAM_SYMBOL_TYPE = 0x1068;

export interface SymbolEntry {
  readonly instance: number;
  readonly name: string;
  readonly type: number;
  readonly dims: readonly [number, number, number];
}

export function symbolListRequest(startInstance: number, program?: string): CipRequest {
  const path: PathSegment[] = program ? [{ kind: 'symbol', name: program }] : [];
  path.push({ kind: 'class', value: SYMBOL_CLASS }, { kind: 'instance', value: startInstance });
  const data = Buffer.alloc(2 + 2 * SYMBOL_ATTRIBUTES.length);
  data.writeUInt16LE(SYMBOL_ATTRIBUTES.length, 0);
  SYMBOL_ATTRIBUTES.forEach((a, i) => data.writeUInt16LE(a, 2 + 2 * i));
  return { service: Service.GetInstanceAttributeList, path, data };
}

/** The attribute ids a Get Instance Attribute List request asks for. */
export function decodeAttributeIds(data: Buffer): Result<number[]> {
  return decoding('attribute list', () => {
    const r = new Reader(data);
    const n = r.u16();
    const ids: number[] = [];
    for (let i = 0; i < n; i++) ids.push(r.u16());
    return ok(ids);
  });
}

export function encodeSymbolList(entries: readonly SymbolEntry[], attributes: readonly number[] = SYMBOL_ATTRIBUTES): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const id = Buffer.alloc(4);
    id.writeUInt32LE(e.instance >>> 0, 0);
    parts.push(id);
    for (const a of attributes) {
      if (a === 1) {
        const name = Buffer.from(e.name, 'latin1');
        const len = Buffer.alloc(2);
        len.writeUInt16LE(name.length, 0);
        parts.push(len, name);
      } else if (a === 2) {
        const t = Buffer.alloc(2);
        t.writeUInt16LE(e.type & 0xffff, 0);
        parts.push(t);
      } else if (a === 8) {
        const d = Buffer.alloc(12);
        e.dims.forEach((v, i) => d.writeUInt32LE(v >>> 0, i * 4));
        parts.push(d);
      }
    }
  }
  return Buffer.concat(parts);
}

export function decodeSymbolList(data: Buffer): Result<SymbolEntry[]> {
  return decoding('tag list', () => {
    const r = new Reader(data);
    const out: SymbolEntry[] = [];
    while (r.remaining > 0) {
      const instance = r.u32();
      const name = r.bytes(r.u16()).toString('latin1');
      const type = r.u16();
      const dims: [number, number, number] = [r.u32(), r.u32(), r.u32()];
      out.push({ instance, name, type, dims });
    }
    return ok(out);
  });
}

/** `DINT`, `REAL[10]`, `structure`, … for the browser's type column. */
export function describeSymbolType(e: SymbolEntry): string {
  if (e.type === PROGRAM_SYMBOL_TYPE || e.name.startsWith('Program:')) return 'program';
  const base = e.type & SymbolTypeBits.struct ? 'structure' : (atomicType(e.type & 0x0fff) ?? `type 0x${(e.type & 0x0fff).toString(16)}`);
  const dims = (e.type >> SymbolTypeBits.dimsShift) & 0x3;
  return dims ? `${base}[${e.dims.slice(0, dims).join(',')}]` : base;
}

