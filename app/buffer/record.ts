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

export function encodeRecord(b: SampleBatch): Buffer {
  const n = b.ts.length;
  const out = Buffer.alloc(HEADER_BYTES + payloadBytes(n));
  let at = HEADER_BYTES;
  for (const part of [b.ts, b.value, b.signal, b.quality]) {
    const bytes = Buffer.from(part.buffer, part.byteOffset, part.byteLength);
    bytes.copy(out, at);
    at += bytes.length;
  }
  out.writeUInt32LE(RECORD_MAGIC, 0);
  out.writeUInt32LE(n, 4);
  out.writeUInt32LE(crc32(out.subarray(HEADER_BYTES)), 8);
  return out;
}

export type Decoded = { ok: true; batch: SampleBatch; bytes: number } | { ok: false; reason: string };

/** Decodes the record at `offset`; anything short, foreign or failing its checksum is `ok:false`. */
export function decodeRecord(buf: Buffer, offset: number): Decoded {
  if (buf.length - offset < HEADER_BYTES) return { ok: false, reason: `${buf.length - offset} bytes left, a header needs ${HEADER_BYTES}` };
  if (buf.readUInt32LE(offset) !== RECORD_MAGIC) return { ok: false, reason: 'no record marker' };
  const n = buf.readUInt32LE(offset + 4);
  if (n > MAX_RECORD_SAMPLES) return { ok: false, reason: `implausible sample count ${n}` };
  const size = payloadBytes(n);
  if (buf.length - offset - HEADER_BYTES < size) return { ok: false, reason: 'record cut short' };
  const payload = buf.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + size);
  if (crc32(payload) !== buf.readUInt32LE(offset + 8)) return { ok: false, reason: 'checksum mismatch' };
  // Copy into a fresh, aligned buffer: file buffers carry no alignment promise.
  const ab = new ArrayBuffer(size);
  new Uint8Array(ab).set(payload);
  return {
    ok: true,
    bytes: HEADER_BYTES + size,
    // One buffer per column, so a consumer may transfer the batch to another thread.
    batch: {
      ts: new Float64Array(ab.slice(0, n * 8)),
      value: new Float64Array(ab.slice(n * 8, n * 16)),
      signal: new Uint32Array(ab.slice(n * 16, n * 20)),
      quality: new Uint8Array(ab.slice(n * 20, n * 21)),
    },
  };
}
