import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseModbusAddress, registerCount } from './address';
import type { ByteOrder, ModbusAddress } from './address';
import { decodeRegisters, encodeRegisters } from './codec';

function at(text: string): ModbusAddress {
  const result = parseModbusAddress(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const ORDERS: readonly ByteOrder[] = ['abcd', 'cdab', 'badc', 'dcba'];

describe('known vectors', () => {
  // Big-endian bytes of each value, then the registers each byte order puts on the wire.
  const vectors: { type: string; value: number; words: Record<ByteOrder, number[]> }[] = [
    {
      type: 'float32',
      value: Math.fround(123.456), // 0x42F6E979
      words: { abcd: [0x42f6, 0xe979], cdab: [0xe979, 0x42f6], badc: [0xf642, 0x79e9], dcba: [0x79e9, 0xf642] },
    },
    {
      type: 'int32',
      value: -2, // 0xFFFFFFFE
      words: { abcd: [0xffff, 0xfffe], cdab: [0xfffe, 0xffff], badc: [0xffff, 0xfeff], dcba: [0xfeff, 0xffff] },
    },
    {
      type: 'uint32',
      value: 0xdeadbeef,
      words: { abcd: [0xdead, 0xbeef], cdab: [0xbeef, 0xdead], badc: [0xadde, 0xefbe], dcba: [0xefbe, 0xadde] },
    },
    {
      type: 'float64',
      value: 123.456, // 0x405EDD2F1A9FBE77
      words: {
        abcd: [0x405e, 0xdd2f, 0x1a9f, 0xbe77],
        cdab: [0xbe77, 0x1a9f, 0xdd2f, 0x405e],
        badc: [0x5e40, 0x2fdd, 0x9f1a, 0x77be],
        dcba: [0x77be, 0x9f1a, 0x2fdd, 0x5e40],
      },
    },
  ];

  for (const { type, value, words } of vectors) {
    for (const order of ORDERS) {
      it(`${type} ${value} in ${order}`, () => {
        const a = at(`hr:0:${type}:${order}`);
        expect(encodeRegisters(value, a)).toEqual(words[order]);
        expect(decodeRegisters(words[order], a)).toBe(value);
      });
    }
  }

  it('16-bit values', () => {
    expect(encodeRegisters(-1, at('hr:0:int16'))).toEqual([0xffff]);
    expect(decodeRegisters([0xffff], at('hr:0:int16'))).toBe(-1);
    expect(decodeRegisters([0xffff], at('hr:0:uint16'))).toBe(65535);
    expect(encodeRegisters(0x1234, at('hr:0:uint16:badc'))).toEqual([0x3412]);
    expect(decodeRegisters([0x3412], at('hr:0:uint16:badc'))).toBe(0x1234);
    expect(decodeRegisters([0x0080], at('hr:0:int16:badc'))).toBe(-32768);
  });

  it('rounds and clamps integers to the type', () => {
    expect(encodeRegisters(40000, at('hr:0:int16'))).toEqual([0x7fff]);
    expect(encodeRegisters(-40000, at('hr:0:int16'))).toEqual([0x8000]);
    expect(encodeRegisters(-5, at('hr:0:uint16'))).toEqual([0]);
    expect(encodeRegisters(1e12, at('hr:0:uint32'))).toEqual([0xffff, 0xffff]);
    expect(encodeRegisters(Number.POSITIVE_INFINITY, at('hr:0:int32'))).toEqual([0x7fff, 0xffff]);
    expect(encodeRegisters(Number.NaN, at('hr:0:int32'))).toEqual([0, 0]);
    expect(decodeRegisters(encodeRegisters(2.6, at('hr:0:int32')), at('hr:0:int32'))).toBe(3);
    expect(decodeRegisters(encodeRegisters(-0.2, at('hr:0:int16')), at('hr:0:int16'))).toBe(0);
  });

  it('strings: two ASCII characters per register, NULs trimmed', () => {
    const abcd = at('hr:20:string:4');
    const badc = at('hr:20:string:4:badc');
    expect(encodeRegisters('ParX-01', abcd)).toEqual([0x5061, 0x7258, 0x2d30, 0x3100]);
    expect(encodeRegisters('ParX-01', badc)).toEqual([0x6150, 0x5872, 0x302d, 0x0031]);
    expect(decodeRegisters([0x5061, 0x7258, 0x2d30, 0x3100], abcd)).toBe('ParX-01');
    expect(decodeRegisters([0x6150, 0x5872, 0x302d, 0x0031], badc)).toBe('ParX-01');
    expect(encodeRegisters('too long for four registers', abcd)).toHaveLength(4);
    expect(decodeRegisters(encodeRegisters('Grüße', abcd), abcd)).toBe('Gr??e');
    expect(decodeRegisters([0, 0, 0, 0], abcd)).toBe('');
  });

  it('bits and coils read as 0/1', () => {
    expect(decodeRegisters([0b1000], at('hr:5.3'))).toBe(1);
    expect(decodeRegisters([0b0111], at('hr:5.3'))).toBe(0);
    expect(decodeRegisters([0x8000], at('hr:5.15'))).toBe(1);
    expect(encodeRegisters(1, at('hr:5.15'))).toEqual([0x8000]);
    expect(encodeRegisters(0, at('hr:5.15'))).toEqual([0]);
    expect(decodeRegisters([0, 1], at('co:7'), 1)).toBe(1);
    expect(decodeRegisters([5], at('di:7'))).toBe(1);
    expect(encodeRegisters(1, at('co:0'))).toEqual([1]);
  });

  it('reads from an index inside a larger image', () => {
    const image = new Uint16Array(100);
    image.set(encodeRegisters(-123.5, at('hr:40:float32:cdab')), 40);
    expect(decodeRegisters(image, at('hr:40:float32:cdab'), 40)).toBe(-123.5);
  });

  it('gives NaN, not an exception, when registers are missing', () => {
    expect(decodeRegisters([0x4000], at('hr:0:float32'))).toBeNaN();
    expect(decodeRegisters([], at('hr:0:int16'))).toBeNaN();
    expect(decodeRegisters([], at('co:0'))).toBeNaN();
    expect(decodeRegisters([0x4142], at('hr:0:string:4'))).toBe('AB');
  });
});

// fc.record builds null-prototype objects; spreading keeps the shapes plain.
const plain = <T extends object>(arb: fc.Arbitrary<T>): fc.Arbitrary<T> => arb.map((x) => ({ ...x }));
const anyOrder = fc.constantFrom<ByteOrder>(...ORDERS);
const wordOrder = fc.constantFrom<ByteOrder>('abcd', 'badc');
const hrOrIr = fc.constantFrom('hr' as const, 'ir' as const);

/** An address together with a value it can carry exactly. */
const addressAndValue: fc.Arbitrary<[ModbusAddress, number | string]> = fc.oneof(
  fc.tuple(plain(fc.record({ area: hrOrIr, offset: fc.constant(0), type: fc.constant('int16' as const), order: wordOrder })), fc.integer({ min: -0x8000, max: 0x7fff })),
  fc.tuple(plain(fc.record({ area: hrOrIr, offset: fc.constant(0), type: fc.constant('uint16' as const), order: wordOrder })), fc.integer({ min: 0, max: 0xffff })),
  fc.tuple(plain(fc.record({ area: hrOrIr, offset: fc.constant(0), type: fc.constant('int32' as const), order: anyOrder })), fc.integer()),
  fc.tuple(plain(fc.record({ area: hrOrIr, offset: fc.constant(0), type: fc.constant('uint32' as const), order: anyOrder })), fc.nat({ max: 0xffffffff })),
  fc.tuple(plain(fc.record({ area: hrOrIr, offset: fc.constant(0), type: fc.constant('float32' as const), order: anyOrder })), fc.double()),
  fc.tuple(plain(fc.record({ area: hrOrIr, offset: fc.constant(0), type: fc.constant('float64' as const), order: anyOrder })), fc.double()),
  fc.tuple(plain(fc.record({ area: hrOrIr, offset: fc.constant(0), type: fc.constant('bit' as const), order: fc.constant('abcd' as const), bit: fc.integer({ min: 0, max: 15 }) })), fc.constantFrom(0, 1)),
  fc.tuple(plain(fc.record({ area: fc.constantFrom('co' as const, 'di' as const), offset: fc.constant(0), type: fc.constant('bool' as const), order: fc.constant('abcd' as const) })), fc.constantFrom(0, 1)),
  fc
    .record({ length: fc.integer({ min: 1, max: 16 }), order: wordOrder, area: hrOrIr })
    .chain(({ length, order, area }) =>
      fc.tuple(
        fc.constant<ModbusAddress>({ area, offset: 0, type: 'string', order, length }),
        fc.string({ unit: 'binary-ascii', maxLength: length * 2 }).filter((s) => !s.endsWith('\0')),
      ),
    ),
);

describe('properties', () => {
  it('decode(encode(x)) gives x back for every type and byte order', () => {
    fc.assert(
      // Plain boolean checks: 40,000 runs of expect() would take seconds; fast-check still reports the counterexample.
      fc.property(addressAndValue, ([a, value]) => {
        const words = encodeRegisters(value, a);
        const wellFormed = words.length === registerCount(a) && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff);
        const expected = a.type === 'float32' ? Math.fround(value as number) : value;
        return wellFormed && Object.is(decodeRegisters(words, a), expected);
      }),
      { numRuns: 40_000 },
    );
  });

  it('decoding arbitrary registers never throws', () => {
    const anyAddress = plain(
      fc.record({
        area: hrOrIr,
        offset: fc.constant(0),
        type: fc.constantFrom('int16' as const, 'uint16' as const, 'int32' as const, 'uint32' as const, 'float32' as const, 'float64' as const, 'string' as const, 'bit' as const, 'bool' as const),
        order: anyOrder,
        bit: fc.integer({ min: 0, max: 15 }),
        length: fc.integer({ min: 1, max: 8 }),
      }),
    );
    const words = fc.array(fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer(), fc.double()), { minLength: 8, maxLength: 12 });
    fc.assert(
      fc.property(anyAddress, words, fc.nat({ max: 4 }), (a, w, start) => {
        const value = decodeRegisters(w, a, start);
        if (a.type === 'string') expect(typeof value).toBe('string');
        else expect(typeof value).toBe('number');
      }),
      { numRuns: 30_000 },
    );
  });
});
