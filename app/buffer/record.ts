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
  // Unzeroed: every byte is written below (columns, padding, header), which saves a pass over ~21 bytes a sample.
  const out = Buffer.allocUnsafe(HEADER_BYTES + payloadBytes(n));
  let at = HEADER_BYTES;
  for (const part of [b.ts, b.value, b.signal, b.quality]) {
    out.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), at);
    at += part.byteLength;
  }
  out.fill(0, at);
  out.writeUInt32LE(RECORD_MAGIC, 0);
  out.writeUInt32LE(n, 4);
  out.writeUInt32LE(crc32(out.subarray(HEADER_BYTES)), 8);
  out.writeUInt32LE(0, 12);
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
  // One copy per column into its own aligned buffer (file buffers carry no alignment promise),
  // so a consumer may transfer the batch to another thread.
  const column = <T extends Float64Array | Uint32Array | Uint8Array>(col: T, from: number): T => {
    new Uint8Array(col.buffer).set(payload.subarray(from, from + col.byteLength));
    return col;
  };
  return {
    ok: true,
    bytes: HEADER_BYTES + size,
    batch: { ts: column(new Float64Array(n), 0), value: column(new Float64Array(n), n * 8), signal: column(new Uint32Array(n), n * 16), quality: column(new Uint8Array(n), n * 20) },
  };
}
