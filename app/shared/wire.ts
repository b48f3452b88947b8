/**
 * The browser-mode wire format: one binary WebSocket frame per message, so typed arrays
 * cross as raw bytes (no JSON number arrays on the hot path).
 *
 *   [u32 LE header length][header JSON, UTF-8][pad to 8][array bytes …]
 *
 * Typed arrays anywhere in the message are replaced in the header by
 * {"$ta": kind, "o": byteOffset, "n": length}; everything else is plain JSON.
 */
const KINDS = {
  Float64Array,
  Float32Array,
  Uint32Array,
  Int32Array,
  Uint16Array,
  Int16Array,
  Uint8Array,
  Int8Array,
} as const;
type Kind = keyof typeof KINDS;
type AnyTypedArray = InstanceType<(typeof KINDS)[Kind]>;

const MAX_HEADER = 16 * 1024 * 1024;

function kindOf(v: unknown): Kind | undefined {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return undefined;
  for (const k of Object.keys(KINDS) as Kind[]) if (v instanceof KINDS[k]) return k;
  return undefined;
}

const align8 = (n: number): number => (n + 7) & ~7;

export function encodeFrame(message: unknown): Uint8Array {
  const arrays: AnyTypedArray[] = [];
  let offset = 0;
  const header = JSON.stringify(message, (_key, value: unknown) => {
    const kind = kindOf(value);
    if (!kind) return value;
    const ta = value as AnyTypedArray;
    const ref = { $ta: kind, o: offset, n: ta.length };
    arrays.push(ta);
    offset = align8(offset + ta.byteLength);
    return ref;
  });
  const headerBytes = new TextEncoder().encode(header);
  const bodyStart = align8(4 + headerBytes.length);
  const out = new Uint8Array(bodyStart + offset);
  new DataView(out.buffer).setUint32(0, headerBytes.length, true);
  out.set(headerBytes, 4);
  let at = bodyStart;
  for (const ta of arrays) {
    out.set(new Uint8Array(ta.buffer, ta.byteOffset, ta.byteLength), at);
    at = align8(at + ta.byteLength);
  }
  return out;
}

export class WireError extends Error {
  override readonly name = 'WireError';
}

export function decodeFrame(frame: ArrayBuffer | Uint8Array): unknown {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.byteLength < 4) throw new WireError(`frame of ${bytes.byteLength} bytes is shorter than its 4-byte header length`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (headerLength > MAX_HEADER || 4 + headerLength > bytes.byteLength) {
    throw new WireError(`header length ${headerLength} does not fit in a frame of ${bytes.byteLength} bytes`);
  }
  const header = new TextDecoder().decode(bytes.subarray(4, 4 + headerLength));
  const bodyStart = align8(4 + headerLength);
  // Copy the body once so every array is aligned and owns no foreign bytes.
  const body = bytes.slice(bodyStart);
  return JSON.parse(header, (_key, value: unknown) => {
    if (typeof value !== 'object' || value === null || !('$ta' in value)) return value;
    const ref = value as { $ta: unknown; o: unknown; n: unknown };
    const Ctor = typeof ref.$ta === 'string' ? KINDS[ref.$ta as Kind] : undefined;
    if (!Ctor || typeof ref.o !== 'number' || typeof ref.n !== 'number' || ref.o % 8 !== 0 || ref.n < 0) {
      throw new WireError(`bad typed-array reference ${JSON.stringify(value)}`);
    }
    if (ref.o + ref.n * Ctor.BYTES_PER_ELEMENT > body.byteLength) throw new WireError(`typed array ${ref.$ta as string}[${ref.n}] at ${ref.o} runs past the frame`);
    return new Ctor(body.buffer, ref.o, ref.n);
  });
}
