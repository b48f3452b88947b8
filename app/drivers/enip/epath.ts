/**
 * CIP EPATH segments: ANSI extended symbols (tag and member names), logical segments
 * (class / instance / attribute, and member = the element index of `Arr[2]`) and port
 * segments (the route to the controller's slot). Paths are padded to 16-bit words.
 */
import { err, ok, parxError, type Result } from '../../shared/result';
import { Reader, decoding } from './bytes';

export type LogicalKind = 'class' | 'instance' | 'element' | 'connection-point' | 'attribute';

export type PathSegment =
  | { readonly kind: 'symbol'; readonly name: string }
  | { readonly kind: LogicalKind; readonly value: number }
  | { readonly kind: 'port'; readonly port: number; readonly link: number };

const LOGICAL_TYPE: Record<LogicalKind, number> = { class: 0x20, instance: 0x24, element: 0x28, 'connection-point': 0x2c, attribute: 0x30 };
const LOGICAL_BY_BITS = new Map<number, LogicalKind>(Object.entries(LOGICAL_TYPE).map(([k, v]) => [v, k as LogicalKind]));

export const SYMBOL_SEGMENT = 0x91;

function logical(kind: LogicalKind, value: number): Buffer {
  const type = LOGICAL_TYPE[kind];
  if (value <= 0xff) return Buffer.from([type, value]);
  if (value <= 0xffff) {
    const b = Buffer.from([type | 1, 0, 0, 0]);
    b.writeUInt16LE(value, 2);
    return b;
  }
  const b = Buffer.from([type | 2, 0, 0, 0, 0, 0]);
  b.writeUInt32LE(value >>> 0, 2);
  return b;
}

/** Encodes segments into an even-length EPATH. Names are ASCII and at most 255 bytes (Logix allows 40). */
export function encodePath(segments: readonly PathSegment[]): Buffer {
  const parts: Buffer[] = [];
  for (const s of segments) {
    if (s.kind === 'symbol') {
      const name = Buffer.from(s.name, 'latin1').subarray(0, 255);
      const head = Buffer.from([SYMBOL_SEGMENT, name.length]);
      parts.push(head, name, name.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0));
    } else if (s.kind === 'port') {
      parts.push(Buffer.from([s.port & 0x0f, s.link & 0xff]));
    } else {
      parts.push(logical(s.kind, s.value));
    }
  }
  return Buffer.concat(parts);
}

/** Decodes an EPATH of exactly `bytes` bytes. */
export function decodePath(buf: Buffer, offset = 0, bytes = buf.length - offset): Result<PathSegment[]> {
  return decoding('EPATH', () => {
    if (offset < 0 || bytes < 0 || offset + bytes > buf.length) return err(parxError('protocol', `EPATH of ${bytes} byte(s) at ${offset} overruns a ${buf.length}-byte message`));
    const r = new Reader(buf, offset, offset + bytes);
    const out: PathSegment[] = [];
    while (r.remaining > 0) {
      const head = r.u8();
      if (head === SYMBOL_SEGMENT) {
        const n = r.u8();
        const name = r.bytes(n).toString('latin1');
        if (n % 2) r.u8();
        if (n === 0) return err(parxError('protocol', 'empty symbolic segment'));
        out.push({ kind: 'symbol', name });
        continue;
      }
      if ((head & 0xe0) === 0x20) {
        const kind = LOGICAL_BY_BITS.get(head & 0xfc);
        if (!kind) return err(parxError('protocol', `unsupported logical segment 0x${head.toString(16)}`));
        const format = head & 0x03;
        if (format === 3) return err(parxError('protocol', `reserved logical format in segment 0x${head.toString(16)}`));
        // 16- and 32-bit values follow a pad byte.
        if (format > 0) r.u8();
        out.push({ kind, value: format === 0 ? r.u8() : format === 1 ? r.u16() : r.u32() });
        continue;
      }
      if ((head & 0xe0) === 0x00) {
        // Port segment; only the 1-byte link form is routed by this simulator and client.
        if (head & 0x10) return err(parxError('protocol', 'port segments with an extended link address are not supported'));
        const port = head & 0x0f;
        if (port === 0x0f) return err(parxError('protocol', 'port segments with an extended port number are not supported'));
        out.push({ kind: 'port', port, link: r.u8() });
        continue;
      }
      return err(parxError('protocol', `unsupported path segment 0x${head.toString(16).padStart(2, '0')}`));
    }
    return ok(out);
  });
}

/** `Program:Main.Count` / `Arr[2]` as the path says it, for messages and the tag list. */
export function pathText(segments: readonly PathSegment[]): string {
  let text = '';
  for (const s of segments) {
    if (s.kind === 'symbol') text += text ? `.${s.name}` : s.name;
    else if (s.kind === 'element') text += `[${s.value}]`;
    else if (s.kind === 'port') text += `${text ? ' ' : ''}port ${s.port} link ${s.link}`;
    else text += `${text ? ' ' : ''}${s.kind} 0x${s.value.toString(16)}`;
  }
  return text;
}
