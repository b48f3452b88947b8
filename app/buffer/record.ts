/**
 * One journal record: a SampleBatch on disk, checksummed so a record torn by a crash (kill -9,
 * power loss) is recognised and cut off instead of being read as garbage.
 *
 *   u32 magic 'PXB1' | u32 n | u32 crc32(payload) | u32 0
 *   payload: f64 ts[n] | f64 value[n] | u32 signal[n] | u8 quality[n] | pad to 8
 * Little-endian, 8-byte aligned.
 */
import { crc32 } from 'node:zlib';
import type { SampleBatch } from '../shared/samples';

export const RECORD_MAGIC = 0x31425850; // 'PXB1' read little-endian
export const HEADER_BYTES = 16;
/** A record larger than this is not one we wrote: treat the rest of the file as torn. */
export const MAX_RECORD_SAMPLES = 4_000_000;

const pad8 = (n: number): number => (n + 7) & ~7;

export function payloadBytes(n: number): number {
  return pad8(n * 8 + n * 8 + n * 4 + n);
}

/** Bytes of the record of an n-sample batch. */
export function recordBytes(n: number): number {
  return HEADER_BYTES + payloadBytes(n);
}

export function encodeRecord(b: SampleBatch): Buffer {
  // Unzeroed: every byte is written (columns, padding, header), which saves a pass over ~21 bytes a sample.
  const out = Buffer.allocUnsafe(recordBytes(b.ts.length));
  encodeRecordInto(b, out, 0);
  return out;
}

/** Writes the batch's record into `out` at `at` (room for recordBytes(n) is the caller's); returns its length. */
export function encodeRecordInto(b: SampleBatch, out: Buffer, at: number): number {
  const n = b.ts.length;
  const size = recordBytes(n);
  let p = at + HEADER_BYTES;
  for (const part of [b.ts, b.value, b.signal, b.quality]) {
    out.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), p);
    p += part.byteLength;
  }
  out.fill(0, p, at + size);
  out.writeUInt32LE(RECORD_MAGIC, at);
  out.writeUInt32LE(n, at + 4);
  out.writeUInt32LE(crc32(out.subarray(at + HEADER_BYTES, at + size)), at + 8);
  out.writeUInt32LE(0, at + 12);
  return size;
}

export type Decoded = { ok: true; batch: SampleBatch; bytes: number } | { ok: false; reason: string };

/** Where a decoded batch's arrays come from: fresh ones, or a pool's (see BatchPool). */
export type BatchAlloc = (n: number) => SampleBatch;

const fresh: BatchAlloc = (n) => ({ ts: new Float64Array(n), value: new Float64Array(n), signal: new Uint32Array(n), quality: new Uint8Array(n) });

/** Decodes the record at `offset`; anything short, foreign or failing its checksum is `ok:false`. */
export function decodeRecord(buf: Buffer, offset: number, alloc: BatchAlloc = fresh): Decoded {
  if (buf.length - offset < HEADER_BYTES) return { ok: false, reason: `${buf.length - offset} bytes left, a header needs ${HEADER_BYTES}` };
  if (buf.readUInt32LE(offset) !== RECORD_MAGIC) return { ok: false, reason: 'no record marker' };
  const n = buf.readUInt32LE(offset + 4);
  if (n > MAX_RECORD_SAMPLES) return { ok: false, reason: `implausible sample count ${n}` };
  const size = payloadBytes(n);
  if (buf.length - offset - HEADER_BYTES < size) return { ok: false, reason: 'record cut short' };
  const payload = buf.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + size);
  if (crc32(payload) !== buf.readUInt32LE(offset + 8)) return { ok: false, reason: 'checksum mismatch' };
  // One copy per column into its own aligned buffer (file buffers carry no alignment promise),
  // so a consumer may transfer the batch to another thread.
  const b = alloc(n);
  const column = (col: Float64Array | Uint32Array | Uint8Array, from: number): void => {
    new Uint8Array(col.buffer, col.byteOffset, col.byteLength).set(payload.subarray(from, from + col.byteLength));
  };
  column(b.ts, 0);
  column(b.value, n * 8);
  column(b.signal, n * 16);
  column(b.quality, n * 20);
  return { ok: true, bytes: HEADER_BYTES + size, batch: b };
}
