import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Quality } from '../../shared/samples';
import { TYPE_BYTES, formatEgdAddress, parseEgdAddress, type EgdAddress, type EgdType } from './address';
import { consumeDamaged, consumePacket, sampleTime } from './consume';
import { decodeProduction, encodeProduction, type ProductionFrame } from './frame';
import { dataView, readSignal, writeSignal } from './values';

const parsed = (text: string): EgdAddress => {
  const r = parseEgdAddress(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const problem = (text: string): string => {
  const r = parseEgdAddress(text);
  return r.ok ? 'ok' : r.error.message;
};

describe('EGD addresses', () => {
  it('parses TYPE:OFFSET and bit:OFFSET.BIT, GE type names in any case', () => {
    expect(parsed('real:0')).toEqual({ type: 'real', offset: 0 });
    expect(parsed(' DINT:36 ')).toEqual({ type: 'dint', offset: 36 });
    expect(parsed('bit:40.7')).toEqual({ type: 'bit', offset: 40, bit: 7 });
    expect(parsed('LReal:1392')).toEqual({ type: 'lreal', offset: 1392 });
    for (const t of ['bit:3.1', 'int:2', 'uint:4', 'dint:8', 'udint:12', 'real:16', 'lreal:24']) expect(formatEgdAddress(parsed(t))).toBe(t);
  });

  it('explains what is wrong', () => {
    expect(problem('float:0')).toBe('"float" in "float:0" is not an EGD type (bit, int, uint, dint, udint, real, lreal)');
    expect(problem('real')).toMatch(/is not an EGD address \(expected TYPE:OFFSET/);
    expect(problem('bit:4')).toBe('"bit:4": a bit needs its bit number, e.g. bit:4.0');
    expect(problem('bit:4.8')).toBe('"bit:4.8": bit 8 is not 0..7 (offsets count bytes)');
    expect(problem('real:4.1')).toBe('"real:4.1": only bit addresses take a .BIT suffix');
    expect(problem('lreal:1393')).toBe('"lreal:1393": offset 1393 + 8 bytes is past the 1400 bytes an exchange can carry');
    expect(problem('real:-4')).toMatch(/not an EGD address/);
  });

  it('never throws on random text (30,000 strings)', () => {
    const addressLike = fc
      .array(fc.oneof(fc.constantFrom('bit', 'REAL', 'lreal', 'int', ':', '.', '7', '1399', '99999999', ' ', ''), fc.string()), { maxLength: 6 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), addressLike), (text) => {
        const r = parseEgdAddress(text);
        if (r.ok) expect(parseEgdAddress(formatEgdAddress(r.value))).toEqual(r);
        else expect(r.error.kind).toBe('invalid-request');
      }),
      { numRuns: 30_000 },
    );
  });
});

describe('EGD values (little-endian, as GE PLCs hold them)', () => {
  it('reads known bytes', () => {
    const data = new Uint8Array([0x34, 0x12, 0xff, 0xff, 0x00, 0x00, 0x80, 0x3f, 0b0000_0101]);
    const v = (t: string): number | string => {
      const r = readSignal(data, dataView(data), parsed(t), 1);
      return r.ok ? r.value : r.reason;
    };
    expect(v('int:0')).toBe(0x1234);
    expect(v('int:2')).toBe(-1);
    expect(v('uint:2')).toBe(0xffff);
    expect(v('dint:0')).toBe(-0xedcc); // 0xffff1234
    expect(v('real:4')).toBe(1);
    expect(v('bit:8.0')).toBe(1);
    expect(v('bit:8.1')).toBe(0);
    expect(v('bit:8.2')).toBe(1);
    expect(v('real:6')).toBe('offset 6 + 4 bytes is past the 9 data bytes of exchange 1');
  });

  it('reads back what it writes, for every type', () => {
    const typed = fc.constantFrom<EgdType>('int', 'uint', 'dint', 'udint', 'real', 'lreal', 'bit').chain((type) =>
      fc.record({
        type: fc.constant(type),
        offset: fc.nat({ max: 64 - TYPE_BYTES[type] }),
        bit: fc.nat({ max: 7 }),
        value: fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
      }),
    );
    fc.assert(
      fc.property(typed, ({ type, offset, bit, value }) => {
        const a: EgdAddress = type === 'bit' ? { type, offset, bit } : { type, offset };
        const data = new Uint8Array(64);
        const view = dataView(data);
        expect(writeSignal(data, view, a, value)).toBe(true);
        const r = readSignal(data, view, a, 1);
        if (!r.ok) throw new Error(r.reason);
        if (type === 'lreal') expect(r.value).toBe(value);
        else if (type === 'real') expect(r.value).toBe(Math.fround(value));
        else if (type === 'bit') expect(r.value).toBe(value ? 1 : 0);
        else {
          const [low, high] = ({ int: [-32768, 32767], uint: [0, 65535], dint: [-(2 ** 31), 2 ** 31 - 1], udint: [0, 2 ** 32 - 1] } as const)[type];
          expect(r.value).toBe(Math.min(high, Math.max(low, Math.round(value))) + 0);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

function frame(data: Uint8Array, over: Partial<ProductionFrame> = {}): ProductionFrame {
  const bytes = encodeProduction({ producer: '10.0.0.5', exchange: 1, requestId: 1, timestamp: { seconds: 1_700_000_000, nanoseconds: 0 }, status: 1, signature: 5, data, ...over });
  if (!bytes.ok) throw new Error(bytes.error.message);
  const f = decodeProduction(bytes.value);
  if (!f.ok) throw new Error(f.error.message);
  return f.value;
}

describe('packet → samples', () => {
  const now = 1_700_000_000_500;
  const addresses = ['real:0', 'int:4', 'bit:6.1'].map(parsed);
  const data = new Uint8Array(8);
  writeSignal(data, dataView(data), addresses[0] as EgdAddress, 2.5);
  writeSignal(data, dataView(data), addresses[1] as EgdAddress, -7);
  writeSignal(data, dataView(data), addresses[2] as EgdAddress, 1);

  it('gives one good sample per signal, at the packet time', () => {
    expect(consumePacket(frame(data), addresses, 5, now)).toEqual({
      samples: [
        { index: 0, ts: 1_700_000_000_000, value: 2.5, quality: Quality.good },
        { index: 1, ts: 1_700_000_000_000, value: -7, quality: Quality.good },
        { index: 2, ts: 1_700_000_000_000, value: 1, quality: Quality.good },
      ],
    });
  });

  it('uses the receive time when the packet time is missing or implausible', () => {
    expect(sampleTime(frame(data, { timestamp: { seconds: 0, nanoseconds: 0 } }), now)).toBe(now);
    expect(sampleTime(frame(data, { timestamp: { seconds: 1_000_000_000, nanoseconds: 0 } }), now)).toBe(now);
    expect(sampleTime(frame(data, { timestamp: { seconds: 1_700_000_000 + 86_000, nanoseconds: 0 } }), now)).toBe(1_700_086_000_000);
  });

  it('makes every signal bad, with the reason, on a bad status or another signature', () => {
    const status = consumePacket(frame(data, { status: 7 }), addresses, 5, now);
    expect(status.error).toBe('exchange 1 from 10.0.0.5: status 7 (data refresh period exceeded)');
    expect(status.samples.every((s) => s.quality === Quality.bad && Number.isNaN(s.value))).toBe(true);
    const sig = consumePacket(frame(data, { signature: 6 }), addresses, 5, now);
    expect(sig.error).toBe("exchange 1 from 10.0.0.5: configuration signature 6 is not the configured 5 (the producer's exchange layout changed?)");
    expect(consumePacket(frame(data, { signature: 6 }), addresses, undefined, now).error).toBeUndefined();
  });

  it('makes only the signals past a short packet bad', () => {
    const out = consumePacket(frame(data.subarray(0, 5)), addresses, 5, now);
    expect(out.samples.map((s) => s.quality)).toEqual([Quality.good, Quality.bad, Quality.bad]);
    expect(out.error).toBe('offset 4 + 2 bytes is past the 5 data bytes of exchange 1 (and 1 more signals)');
    expect(consumePacket(frame(new Uint8Array(32)), [parsed('real:40')], undefined, now).error).toBe('offset 40 + 4 bytes is past the 32 data bytes of exchange 1');
  });

  it('makes every signal bad for an undecodable packet of the exchange', () => {
    const out = consumeDamaged({ producer: '10.0.0.5', exchange: 1 }, 'packet too short: 20 bytes, an EGD header needs 32', addresses, now);
    expect(out.error).toBe('exchange 1 from 10.0.0.5: packet too short: 20 bytes, an EGD header needs 32');
    expect(out.samples).toHaveLength(3);
  });

  it('never throws on random packets and addresses (10,000 cases)', () => {
    const anyAddress = fc.string({ maxLength: 12 }).map((t) => parseEgdAddress(t));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.array(fc.oneof(anyAddress, fc.constantFrom('real:0', 'bit:33.7', 'lreal:40').map(parseEgdAddress)), { maxLength: 8 }), (bytes, results) => {
        const list = results.flatMap((r) => (r.ok ? [r.value] : []));
        const f = decodeProduction(bytes);
        const out = f.ok ? consumePacket(f.value, list, 0, now) : consumeDamaged({ producer: '0.0.0.0', exchange: 0 }, f.error.message, list, now);
        expect(out.samples).toHaveLength(list.length);
      }),
      { numRuns: 10_000 },
    );
  });
});
