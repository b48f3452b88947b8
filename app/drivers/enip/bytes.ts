/**
 * Bounds-checked reading for the decoders. A short or malformed reply raises a
 * ShortRead, which each decoder turns into a `protocol` error Result at its boundary,
 * so no byte sequence from the wire can throw past the codec.
 */
import { err, parxError, type Result } from '../../shared/result';

/** Deliberately not an Error: no stack capture, so refusing a flood of garbage stays cheap. */
export class ShortRead {
  constructor(readonly message: string) {}
}

export class Reader {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
    private readonly end = buf.length,
  ) {}

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): number {
    if (n < 0 || this.pos + n > this.end) throw new ShortRead(`needs ${n} byte(s) at offset ${this.pos}, has ${Math.max(0, this.end - this.pos)}`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(): number {
    return this.buf.readUInt8(this.need(1));
  }
  u16(): number {
    return this.buf.readUInt16LE(this.need(2));
  }
  u32(): number {
    return this.buf.readUInt32LE(this.need(4));
  }
  bytes(n: number): Buffer {
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }
  rest(): Buffer {
    return this.bytes(this.remaining);
  }
}

/** Runs a decoder; a ShortRead (or any slip) becomes a clean protocol error naming what was decoded. */
export function decoding<T>(what: string, body: () => Result<T>): Result<T> {
  try {
    return body();
  } catch (e) {
    const why = e instanceof ShortRead || e instanceof Error ? e.message : String(e);
    return err(parxError('protocol', `malformed ${what}: ${why}`));
  }
}
