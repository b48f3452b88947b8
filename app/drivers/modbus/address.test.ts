import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatModbusAddress, parseModbusAddress, registerCount } from './address';
import type { ByteOrder, ModbusAddress } from './address';

function parsed(text: string): ModbusAddress {
  const result = parseModbusAddress(text);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.error.message}`);
  return result.value;
}

function failure(text: string): { message: string; position?: number; kind: string } {
  const result = parseModbusAddress(text);
  if (result.ok) throw new Error(`expected ${text} to be rejected`);
  return result.error;
}

describe('parseModbusAddress', () => {
  it('reads the documented forms', () => {
    expect(parsed('hr:0:uint16')).toStrictEqual({ area: 'hr', offset: 0, type: 'uint16', order: 'abcd' });
    expect(parsed('hr:0')).toStrictEqual({ area: 'hr', offset: 0, type: 'uint16', order: 'abcd' });
    expect(parsed('hr:10:float32:abcd')).toStrictEqual({ area: 'hr', offset: 10, type: 'float32', order: 'abcd' });
    expect(parsed('hr:12:float32:cdab')).toStrictEqual({ area: 'hr', offset: 12, type: 'float32', order: 'cdab' });
    expect(parsed('hr:12:float32')).toStrictEqual({ area: 'hr', offset: 12, type: 'float32', order: 'abcd' });
    expect(parsed('ir:3:int16')).toStrictEqual({ area: 'ir', offset: 3, type: 'int16', order: 'abcd' });
    expect(parsed('co:2')).toStrictEqual({ area: 'co', offset: 2, type: 'bool', order: 'abcd' });
    expect(parsed('di:1')).toStrictEqual({ area: 'di', offset: 1, type: 'bool', order: 'abcd' });
    expect(parsed('co:2:bool')).toStrictEqual({ area: 'co', offset: 2, type: 'bool', order: 'abcd' });
    expect(parsed('hr:5.3')).toStrictEqual({ area: 'hr', offset: 5, type: 'bit', order: 'abcd', bit: 3 });
    expect(parsed('hr:20:string:8')).toStrictEqual({ area: 'hr', offset: 20, type: 'string', order: 'abcd', length: 8 });
    expect(parsed('hr:20:string:8:badc')).toStrictEqual({ area: 'hr', offset: 20, type: 'string', order: 'badc', length: 8 });
    expect(parsed('hr:7:int16:badc')).toStrictEqual({ area: 'hr', offset: 7, type: 'int16', order: 'badc' });
    expect(parsed('hr:30:float64:dcba')).toStrictEqual({ area: 'hr', offset: 30, type: 'float64', order: 'dcba' });
  });

  it('forgives case and surrounding blanks', () => {
    expect(parsed('  HR:10:Float32:CDAB ')).toStrictEqual({ area: 'hr', offset: 10, type: 'float32', order: 'cdab' });
  });

  it('says exactly what is wrong, and where', () => {
    expect(failure('hr:70000')).toMatchObject({
      kind: 'invalid-config',
      message: 'register offset 70000 is beyond 65535 in "hr:70000"',
      position: 3,
    });
    expect(failure('xx:1')).toMatchObject({ message: 'unknown area "xx" in "xx:1" (expected hr, ir, co or di)', position: 0 });
    expect(failure('hr:1:flaot32').message).toBe(
      'unknown type "flaot32" in "hr:1:flaot32" (expected int16, uint16, int32, uint32, float32, float64 or string)',
    );
    expect(failure('hr:1:flaot32').position).toBe(5);
    expect(failure('hr:1:float32:abdc').message).toContain('unknown byte order "abdc"');
    expect(failure('hr:1:uint16:cdab').message).toBe('byte order "cdab" swaps words, but uint16 is a single register; use abcd or badc in "hr:1:uint16:cdab"');
    expect(failure('hr:1:int16:dcba').message).toContain('use abcd or badc');
    expect(failure('hr:1:string:4:cdab').message).toContain('use abcd or badc');
    expect(failure('hr:5.16').message).toBe('bit 16 is beyond 15 in "hr:5.16" (a register has bits 0..15)');
    expect(failure('hr:5.16').position).toBe(5);
    expect(failure('co:70000').message).toBe('coil offset 70000 is beyond 65535 in "co:70000"');
    expect(failure('di:1.2').message).toContain('a discrete input is a single bit already');
    expect(failure('co:1:float32').message).toContain('a coil carries one bit');
    expect(failure('hr:5:bit').message).toContain('address a bit as "hr:5.3"');
    expect(failure('hr:abc').message).toBe('offset "abc" is not a number in "hr:abc"');
    expect(failure('hr:-1').message).toContain('is not a number');
    expect(failure('hr').message).toContain('missing offset');
    expect(failure('').message).toContain('empty Modbus address');
    expect(failure('hr:1:float32:abcd:x').message).toContain('unexpected ":x"');
    expect(failure('hr:20:string').message).toContain('a string needs its length in registers');
    expect(failure('hr:20:string:0').message).toContain('string length 0 must be 1..125');
  });

  it('rejects a value whose last register is beyond 65535', () => {
    expect(parsed('hr:65535:uint16').offset).toBe(65535);
    expect(parsed('hr:65534:float32').offset).toBe(65534);
    expect(failure('hr:65535:float32').message).toBe(
      'float32 at offset 65535 needs 2 registers and would end at 65536, beyond 65535, in "hr:65535:float32"',
    );
    expect(failure('ir:65533:float64').message).toContain('would end at 65536');
    expect(failure('hr:65530:string:8').message).toContain('would end at 65537');
  });

  it('never throws, whatever it is given', () => {
    const addressLike = fc
      .array(fc.oneof(fc.constantFrom('hr', 'ir', 'co', 'di', 'float32', 'cdab', 'string', '5.3', '65535', '.', ''), fc.string()), {
        maxLength: 6,
      })
      .map((parts) => parts.join(':'));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), addressLike), (text) => {
        const result = parseModbusAddress(text);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) expect(result.error.kind).toBe('invalid-config');
      }),
      { numRuns: 30_000 },
    );
  });
});

const wordOrders = fc.constantFrom<ByteOrder>('abcd', 'badc');
const anyOrder = fc.constantFrom<ByteOrder>('abcd', 'cdab', 'badc', 'dcba');
const offset = (span: number) => fc.integer({ min: 0, max: 65536 - span });

/** Every valid address, in the shape the parser builds (no undefined keys). */
const validAddress: fc.Arbitrary<ModbusAddress> = fc.oneof(
  fc.record({ area: fc.constantFrom('co' as const, 'di' as const), offset: offset(1), type: fc.constant('bool' as const), order: fc.constant('abcd' as const) }),
  fc.record({ area: fc.constantFrom('hr' as const, 'ir' as const), offset: offset(1), type: fc.constant('bit' as const), order: fc.constant('abcd' as const), bit: fc.integer({ min: 0, max: 15 }) }),
  fc.record({ area: fc.constantFrom('hr' as const, 'ir' as const), offset: offset(1), type: fc.constantFrom('int16' as const, 'uint16' as const), order: wordOrders }),
  fc.record({ area: fc.constantFrom('hr' as const, 'ir' as const), offset: offset(2), type: fc.constantFrom('int32' as const, 'uint32' as const, 'float32' as const), order: anyOrder }),
  fc.record({ area: fc.constantFrom('hr' as const, 'ir' as const), offset: offset(4), type: fc.constant('float64' as const), order: anyOrder }),
  fc
    .record({ area: fc.constantFrom('hr' as const, 'ir' as const), length: fc.integer({ min: 1, max: 125 }), type: fc.constant('string' as const), order: wordOrders })
    .chain((a) => offset(a.length).map((o) => ({ area: a.area, offset: o, type: a.type, order: a.order, length: a.length }))),
).map((a) => ({ ...a })); // fc.record builds null-prototype objects; toStrictEqual would see that

describe('formatModbusAddress', () => {
  it('writes canonical text', () => {
    expect(formatModbusAddress(parsed('hr:0'))).toBe('hr:0:uint16');
    expect(formatModbusAddress(parsed('hr:10:float32'))).toBe('hr:10:float32:abcd');
    expect(formatModbusAddress(parsed('HR:12:FLOAT32:CDAB'))).toBe('hr:12:float32:cdab');
    expect(formatModbusAddress(parsed('hr:7:int16:badc'))).toBe('hr:7:int16:badc');
    expect(formatModbusAddress(parsed('co:2:bool'))).toBe('co:2');
    expect(formatModbusAddress(parsed('hr:5.3'))).toBe('hr:5.3');
    expect(formatModbusAddress(parsed('hr:20:string:8'))).toBe('hr:20:string:8');
  });

  it('round-trips through the parser', () => {
    fc.assert(
      fc.property(validAddress, (a) => {
        expect(parseModbusAddress(formatModbusAddress(a))).toStrictEqual({ ok: true, value: a });
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('registerCount', () => {
  it('counts registers per type, one bit for coils', () => {
    expect(registerCount(parsed('hr:0:int16'))).toBe(1);
    expect(registerCount(parsed('hr:0:uint32'))).toBe(2);
    expect(registerCount(parsed('hr:0:float32:cdab'))).toBe(2);
    expect(registerCount(parsed('hr:0:float64'))).toBe(4);
    expect(registerCount(parsed('hr:0:string:8'))).toBe(8);
    expect(registerCount(parsed('hr:0.4'))).toBe(1);
    expect(registerCount(parsed('co:0'))).toBe(1);
    expect(registerCount(parsed('di:9'))).toBe(1);
  });
});
