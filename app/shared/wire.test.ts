import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeFrame, encodeFrame, WireError } from './wire';

describe('wire frames', () => {
  it('round-trips typed arrays as typed arrays', () => {
    const msg = { event: 'live.samples', payload: { ts: new Float64Array([1.5, 2.5]), q: new Uint8Array([0, 3, 1]), s: new Uint32Array([7]), text: 'x' } };
    const back = decodeFrame(encodeFrame(msg)) as typeof msg;
    expect(back.payload.ts).toBeInstanceOf(Float64Array);
    expect(Array.from(back.payload.ts)).toEqual([1.5, 2.5]);
    expect(back.payload.q).toBeInstanceOf(Uint8Array);
    expect(Array.from(back.payload.q)).toEqual([0, 3, 1]);
    expect(Array.from(back.payload.s)).toEqual([7]);
    expect(back.payload.text).toBe('x');
  });

  it('keeps subarray views exact (offset into a larger buffer)', () => {
    const big = new Float64Array([1, 2, 3, 4, 5]);
    const back = decodeFrame(encodeFrame({ v: big.subarray(1, 3) })) as { v: Float64Array };
    expect(Array.from(back.v)).toEqual([2, 3]);
  });

  it('round-trips arbitrary JSON with arrays mixed in', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.double({ noNaN: true })), fc.uint8Array(), (j, d, u) => {
        const msg = { j, d: Float64Array.from(d), u };
        const back = decodeFrame(encodeFrame(msg)) as { j: unknown; d: Float64Array; u: Uint8Array };
        expect(Array.from(back.d)).toEqual(Array.from(msg.d));
        expect(Array.from(back.u)).toEqual(Array.from(u));
        expect(back.j).toEqual(JSON.parse(JSON.stringify(j)));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects garbage with a WireError, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeFrame(bytes);
        } catch (e) {
          expect(e instanceof WireError || e instanceof SyntaxError).toBe(true);
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('names what is wrong with a truncated frame', () => {
    const f = encodeFrame({ v: new Float64Array(4) });
    expect(() => decodeFrame(f.subarray(0, f.length - 8))).toThrow(/runs past the frame/);
  });
});
