/**
 * The pyramid sidecar on disk: 'PARXPYR2', a u32 header length, a JSON header (signals,
 * unsorted signals, level sizes), each level's per-signal bucket offsets and longest spans,
 * then one block per (level, signal) holding that signal's buckets column by column, 8-byte
 * aligned. The header also names the batch file the sidecar belongs to, so sidecars of files
 * deleted since (retention) can be found and removed. A trend reads the small head once and then only the blocks of the signals and
 * level it draws (one read each), so a 1 GB recording's first trend never loads the whole
 * sidecar, and pyramids need not stay in memory.
 */
import type { FilePyramid, PyramidHead, PyramidLevel } from './pyramid';

const MAGIC = 'PARXPYR2';

type Typed = Float64ArrayConstructor | Float32ArrayConstructor | Uint32ArrayConstructor | Uint8ArrayConstructor;
const BLOCK: [keyof PyramidLevel, Typed][] = [
  ['t0', Float64Array],
  ['first', Float64Array],
  ['last', Float64Array],
  ['min', Float64Array],
  ['max', Float64Array],
  ['t1', Float32Array],
  ['firstTs', Float32Array],
  ['lastTs', Float32Array],
  ['minTs', Float32Array],
  ['maxTs', Float32Array],
  ['gapTs', Float32Array],
  ['count', Uint32Array],
  ['worst', Uint8Array],
];

const pad8 = (n: number): number => (n + 7) & ~7;
const blockBytes = (n: number): number => BLOCK.reduce((s, [, T]) => s + pad8(n * T.BYTES_PER_ELEMENT), 0);

/** The head plus where each (level, signal) block lies in the file. */
export interface SidecarHead extends PyramidHead {
  readonly blocks: { pos: number; n: number }[][];
  readonly bytes: number;
  /** The batch file's path when the sidecar was written (absent in sidecars from before). */
  readonly source?: string;
}

export function encodePyramid(p: FilePyramid, source?: string): Uint8Array {
  const chunks = [...encodePyramidChunks(p, source)];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * The sidecar's bytes in pieces: first the head (magic, header, every level's offsets and
 * spans: what decodeHead needs), then the blocks in chunks of about `chunkBytes`, so a writer
 * can yield between them instead of copying a 100M-sample file's pyramid in one go.
 */
export function* encodePyramidChunks(p: FilePyramid, source?: string, chunkBytes = 4 * 2 ** 20): Generator<Uint8Array> {
  const S = p.signals.length;
  const header = new TextEncoder().encode(JSON.stringify({ signals: p.signals, unsorted: p.unsorted, levels: p.levels.map((l) => l.size), ...(source ? { source } : {}) }));
  let size = pad8(12 + header.length);
  for (const l of p.levels) size += pad8(l.offsets.byteLength) + l.span.byteLength;
  const head = new Uint8Array(size);
  head.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(head.buffer).setUint32(8, header.length, true);
  head.set(header, 12);
  let at = pad8(12 + header.length);
  const put = (out: Uint8Array, a: ArrayBufferView): void => {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += pad8(a.byteLength);
  };
  for (const l of p.levels) {
    put(head, l.offsets);
    put(head, l.span);
  }
  yield head;
  const blocks = p.levels.flatMap((l) => Array.from({ length: S }, (_, s) => ({ l, s, bytes: blockBytes(l.offsets[s + 1]! - l.offsets[s]!) })));
  for (let i = 0; i < blocks.length; ) {
    let j = i;
    let bytes = 0;
    do bytes += blocks[j++]!.bytes;
    while (j < blocks.length && bytes + blocks[j]!.bytes <= chunkBytes);
    const out = new Uint8Array(bytes);
    at = 0;
    for (let k = i; k < j; k++) {
      const { l, s } = blocks[k]!;
      for (const [key] of BLOCK) put(out, (l[key] as unknown as Float64Array).subarray(l.offsets[s]!, l.offsets[s + 1]!));
    }
    yield out;
    i = j;
  }
}

/**
 * The head from the first bytes of a sidecar (`size`: the whole file's). Returns the byte
 * count still needed when `buf` is too short, so the caller reads more; throws on a file that
 * is not a sidecar or is truncated.
 */
export function decodeHead(buf: Uint8Array, size: number): SidecarHead | number {
  if (buf.length < 12) return 12;
  if (new TextDecoder().decode(buf.subarray(0, 8)) !== MAGIC) throw new Error('not a ParX pyramid file');
  const hlen = new DataView(buf.buffer, buf.byteOffset).getUint32(8, true);
  if (12 + hlen > size) throw new Error('pyramid file is truncated');
  if (buf.length < 12 + hlen) return 12 + hlen;
  const h = JSON.parse(new TextDecoder().decode(buf.subarray(12, 12 + hlen))) as { signals: string[]; unsorted: string[]; levels: number[]; source?: unknown };
  const S = h.signals.length;
  const start = pad8(12 + hlen);
  const need = start + h.levels.length * (pad8(4 * (S + 1)) + 8 * S);
  if (need > size) throw new Error('pyramid file is truncated');
  if (buf.length < need) return need;
  const own = buf.slice(start, need);
  let at = 0;
  const levels = h.levels.map((sz) => {
    const offsets = new Uint32Array(own.buffer, at, S + 1);
    at += pad8(4 * (S + 1));
    const span = new Float64Array(own.buffer, at, S);
    at += 8 * S;
    return { size: sz, offsets, span };
  });
  let pos = need;
  const blocks = levels.map((l) =>
    Array.from({ length: S }, (_, s) => {
      const n = l.offsets[s + 1]! - l.offsets[s]!;
      const b = { pos, n };
      pos += blockBytes(n);
      return b;
    }),
  );
  if (pos > size) throw new Error('pyramid file is truncated');
  return { signals: h.signals, unsorted: h.unsorted, levels, blocks, bytes: pos, ...(typeof h.source === 'string' ? { source: h.source } : {}) };
}

export const blockSize = blockBytes;

/** The batch file a sidecar names, from its first bytes (12 + the header); null when it names none or is not a sidecar. */
export function sidecarSource(buf: Uint8Array): string | null {
  if (buf.length < 12 || new TextDecoder().decode(buf.subarray(0, 8)) !== MAGIC) return null;
  const hlen = new DataView(buf.buffer, buf.byteOffset).getUint32(8, true);
  if (buf.length < 12 + hlen) return null;
  try {
    const h = JSON.parse(new TextDecoder().decode(buf.subarray(12, 12 + hlen))) as { source?: unknown };
    return typeof h.source === 'string' ? h.source : null;
  } catch {
    return null;
  }
}

/** One (level, signal) block's bytes as a level holding only that signal's buckets (offsets/span unset). */
export function decodeBlock(bytes: Uint8Array, n: number, size: number): PyramidLevel {
  const own = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  if (own.byteLength < blockBytes(n)) throw new Error('pyramid file is truncated');
  const l: Record<string, unknown> = { size, offsets: Uint32Array.of(0, n), span: new Float64Array(1) };
  let at = own.byteOffset;
  for (const [k, T] of BLOCK) {
    l[k] = new T(own.buffer as ArrayBuffer, at, n);
    at += pad8(n * T.BYTES_PER_ELEMENT);
  }
  return l as unknown as PyramidLevel;
}
