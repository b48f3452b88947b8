import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEADER_BYTES, MAX_DATA_BYTES, decodeProduction, encodeProduction, peekExchange, producerBytes, timestampFromMs, timestampMs, type ProductionInput } from './frame';
import { describeStatus, productionStatus } from './status';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function encoded(f: ProductionInput): Uint8Array {
  const r = encodeProduction(f);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const sample: ProductionInput = {
  producer: '10.0.0.5',
  exchange: 0x01020304,
  requestId: 0x0201,
  timestamp: { seconds: 1_700_000_000, nanoseconds: 123_456_789 },
  status: 1,
  signature: 0x00010002,
  data: new Uint8Array([0xaa, 0xbb, 0xcc]),
};

describe('EGD production frame', () => {
  it('lays out the header as the Wireshark dissector reads it', () => {
    // 0d 01 | rid 0102 LE | 0a000005 | exid LE | secs LE | nsecs LE | status LE | sig LE | reserved
    expect(hex(encoded(sample))).toBe(
      '0d01' + '0102' + '0a000005' + '04030201' + '00f15365' + '15cd5b07' + '01000000' + '02000100' + '00000000' + 'aabbcc',
    );
  });

  it('decodes what it encodes, with the data as a view into the packet', () => {
    const bytes = encoded(sample);
    const r = decodeProduction(bytes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect({ ...r.value, data: [...r.value.data] }).toEqual({ ...sample, reserved: 0, data: [0xaa, 0xbb, 0xcc] });
    expect(r.value.data.buffer).toBe(bytes.buffer);
  });

  it('round-trips every field over its whole range', () => {
    const input = fc.record({
      producer: fc.ipV4(),
      exchange: fc.nat({ max: 0xffffffff }),
      requestId: fc.nat({ max: 0xffff }),
      timestamp: fc.record({ seconds: fc.nat({ max: 0xffffffff }), nanoseconds: fc.nat({ max: 999_999_999 }) }),
      status: fc.nat({ max: 0xffffffff }),
      signature: fc.nat({ max: 0xffffffff }),
      reserved: fc.nat({ max: 0xffffffff }),
      data: fc.uint8Array({ maxLength: MAX_DATA_BYTES }),
    });
    fc.assert(
      fc.property(input, (f) => {
        const r = decodeProduction(encoded(f));
        expect(r.ok && { ...r.value, data: [...r.value.data] }).toEqual({ ...f, data: [...f.data] });
      }),
      { numRuns: 2000 },
    );
  });

  it('says what is wrong with a malformed packet', () => {
    const good = encoded(sample);
    const msg = (b: Uint8Array): string => {
      const r = decodeProduction(b);
      return r.ok ? 'ok' : `${r.error.kind}: ${r.error.message}`;
    };
    expect(msg(good.subarray(0, 20))).toBe('protocol: packet too short: 20 bytes, an EGD header needs 32');
    expect(msg(new Uint8Array(0))).toBe('protocol: packet too short: 0 bytes, an EGD header needs 32');
    const type = good.slice();
    type[0] = 0x0e;
    expect(msg(type)).toBe('protocol: PDU type 14 is not an EGD production packet (type 13)');
    const version = good.slice();
    version[1] = 2;
    expect(msg(version)).toBe('protocol: EGD version 2 is not supported (only version 1)');
    expect(msg(good.subarray(0, HEADER_BYTES))).toBe('ok'); // a header without data is a valid, empty exchange
  });

  it('refuses to encode fields that do not fit their slot', () => {
    const problem = (f: Partial<ProductionInput>): string => {
      const r = encodeProduction({ ...sample, ...f });
      return r.ok ? 'ok' : r.error.message;
    };
    expect(problem({ producer: '10.0.0.256' })).toMatch(/not a dotted IPv4/);
    expect(problem({ requestId: 65536 })).toMatch(/request id 65536/);
    expect(problem({ exchange: -1 })).toMatch(/exchange id -1/);
    expect(problem({ signature: 2 ** 32 })).toMatch(/configuration signature/);
    expect(problem({ timestamp: { seconds: 1, nanoseconds: 1e9 } })).toMatch(/nanoseconds/);
    expect(problem({ data: new Uint8Array(MAX_DATA_BYTES + 1) })).toMatch(/1401 data bytes exceed/);
  });

  it('peeks producer and exchange from a damaged packet', () => {
    expect(peekExchange(encoded(sample).subarray(0, 12))).toEqual({ producer: '10.0.0.5', exchange: 0x01020304 });
    expect(peekExchange(encoded(sample).subarray(0, 11))).toBeUndefined();
    expect(producerBytes('1.2.3.4')).toEqual([1, 2, 3, 4]);
    expect(producerBytes('1.2.3')).toBeUndefined();
  });

  it('converts timestamps; seconds 0 means the producer has no time', () => {
    expect(timestampMs({ seconds: 0, nanoseconds: 5 })).toBeUndefined();
    expect(timestampMs({ seconds: 1, nanoseconds: 2e9 })).toBeUndefined();
    expect(timestampMs({ seconds: 1_700_000_000, nanoseconds: 250_000_000 })).toBe(1_700_000_000_250);
    expect(timestampFromMs(1_700_000_000_250)).toEqual({ seconds: 1_700_000_000, nanoseconds: 250_000_000 });
  });

  it('interprets the production status', () => {
    expect(productionStatus(1)).toEqual({ code: 1, ok: true, text: 'no error currently exists' });
    expect(productionStatus(0).ok).toBe(true);
    expect(productionStatus(2).ok).toBe(true);
    expect(productionStatus(7).ok).toBe(false);
    expect(describeStatus(7)).toBe('status 7 (data refresh period exceeded)');
    expect(describeStatus(99)).toBe('status 99 (unknown status 99)');
  });
});

describe('EGD frame fuzz', () => {
  const clean = (b: Uint8Array): void => {
    const r = decodeProduction(b);
    if (!r.ok) expect(r.error.kind).toBe('protocol');
    else expect(r.value.data.length).toBe(b.length - HEADER_BYTES);
  };

  it('never throws on random bytes (50,000 packets)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), clean), { numRuns: 50_000 });
  });

  it('never throws on near-valid packets: a good header with random damage (20,000 packets)', () => {
    const good = encoded(sample);
    const damaged = fc.tuple(fc.nat({ max: good.length }), fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.nat({ max: 255 })), { maxLength: 4 }), fc.boolean());
    fc.assert(
      fc.property(damaged, ([cut, flips, keepType]) => {
        const b = good.slice(0, cut);
        for (const [i, v] of flips) if (i < b.length) b[i] = v;
        if (keepType && b.length > 1) b.set([0x0d, 1], 0);
        clean(b);
        // Views into a larger buffer at an odd offset, as Node hands out pooled Buffers.
        const host = new Uint8Array(b.length + 3);
        host.set(b, 3);
        clean(host.subarray(3));
      }),
      { numRuns: 20_000 },
    );
  });
});
