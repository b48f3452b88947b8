import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DataType, StatusCodes, VariantArrayType } from 'node-opcua';
import { Quality } from '../../shared/samples';
import { describeStatus, qualityOfStatus, sampleTime, variantToNumber } from './values';

const S = VariantArrayType.Scalar;
const A = VariantArrayType.Array;

function num(dataType: DataType, value: unknown, arrayType: number = S, pick?: number): number {
  const r = variantToNumber(dataType, arrayType, value, pick);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function fails(dataType: DataType, value: unknown, arrayType: number = S, pick?: number): string {
  const r = variantToNumber(dataType, arrayType, value, pick);
  if (r.ok) throw new Error(`expected an error, got ${r.value}`);
  return r.error.message;
}

describe('quality from the StatusCode', () => {
  it('follows the severity bits', () => {
    expect(qualityOfStatus(StatusCodes.Good.value)).toBe(Quality.good);
    expect(qualityOfStatus(StatusCodes.GoodClamped.value)).toBe(Quality.good);
    expect(qualityOfStatus(StatusCodes.UncertainLastUsableValue.value)).toBe(Quality.uncertain);
    expect(qualityOfStatus(StatusCodes.UncertainSensorNotAccurate.value)).toBe(Quality.uncertain);
    expect(qualityOfStatus(StatusCodes.BadNodeIdUnknown.value)).toBe(Quality.bad);
    expect(qualityOfStatus(StatusCodes.BadCommunicationError.value)).toBe(Quality.bad);
    expect(qualityOfStatus(0xc0000000)).toBe(Quality.bad);
    expect(qualityOfStatus(NaN)).toBe(Quality.bad);
  });

  it('names the status for the engineer', () => {
    expect(describeStatus(StatusCodes.BadNodeIdUnknown.value)).toMatch(/^BadNodeIdUnknown \(0x80340000\): The node id/);
    expect(describeStatus(0x12345)).toMatch(/0x00012345/);
  });
});

describe('variantToNumber', () => {
  it('turns every numeric scalar type into a number', () => {
    expect(num(DataType.Boolean, true)).toBe(1);
    expect(num(DataType.Boolean, false)).toBe(0);
    expect(num(DataType.SByte, -100)).toBe(-100);
    expect(num(DataType.Byte, 200)).toBe(200);
    expect(num(DataType.Int16, -30000)).toBe(-30000);
    expect(num(DataType.UInt16, 60000)).toBe(60000);
    expect(num(DataType.Int32, -2e9)).toBe(-2e9);
    expect(num(DataType.UInt32, 4e9)).toBe(4e9);
    expect(num(DataType.Float, 3.25)).toBe(3.25);
    expect(num(DataType.Double, Math.PI)).toBe(Math.PI);
    expect(num(DataType.DateTime, new Date(Date.UTC(2024, 0, 15)))).toBe(Date.UTC(2024, 0, 15));
  });

  it('reads 64-bit integers from their [high, low] words', () => {
    expect(num(DataType.Int64, [0xfffffeff, 4294967291])).toBe(-(2 ** 40 + 5));
    expect(num(DataType.Int64, [0xffffffff, 0xffffffff])).toBe(-1);
    expect(num(DataType.Int64, [0, 42])).toBe(42);
    expect(num(DataType.UInt64, [0xffffffff, 0xffffffff])).toBe(2 ** 64 - 1);
    expect(num(DataType.UInt64, [1048576, 7])).toBe(2 ** 52 + 7);
    expect(num(DataType.Int64, -5n)).toBe(-5);
    expect(fails(DataType.Int64, [1, 2, 3])).toMatch(/not numeric/);
  });

  it('refuses what is not a number, saying which type it was', () => {
    expect(fails(DataType.String, 'Coil 250001')).toBe('not numeric: String (string)');
    expect(fails(DataType.LocalizedText, { text: 'x' })).toMatch(/not numeric: LocalizedText/);
    expect(fails(DataType.Null, null)).toMatch(/no value/);
    expect(fails(DataType.DateTime, new Date(NaN))).toMatch(/not a valid date/);
    expect(fails(DataType.Double, '1.5')).toMatch(/not numeric: Double/);
  });

  it('takes one element of an array, and asks for an index when there is none', () => {
    const arr = new Float64Array([0, 1.5, 3]);
    expect(num(DataType.Double, arr, A, 1)).toBe(1.5);
    expect(num(DataType.Boolean, [false, true], A, 1)).toBe(1);
    expect(num(DataType.Int64, [[0, 1], [0, 2]], A, 1)).toBe(2);
    expect(fails(DataType.Double, arr, A)).toMatch(/array of 3 Double; add an index like \[0\]/);
    expect(fails(DataType.Double, arr, A, 3)).toMatch(/index \[3\] is outside the array of 3/);
    expect(fails(DataType.Double, 1, S, 2)).toMatch(/not an array/);
  });

  it('never throws, whatever the server sends (fuzz)', () => {
    const value = fc.oneof(
      fc.anything(),
      fc.double(),
      fc.boolean(),
      fc.bigInt(),
      fc.date({ noInvalidDate: false }),
      fc.tuple(fc.double(), fc.double()),
      fc.float64Array({ maxLength: 5 }),
      fc.array(fc.anything(), { maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.integer({ min: -2, max: 30 }), fc.integer({ min: -1, max: 4 }), value, fc.option(fc.integer({ min: -3, max: 6 }), { nil: undefined }), (dt, at, v, pick) => {
        const r = variantToNumber(dt, at, v, pick);
        if (r.ok) expect(typeof r.value).toBe('number');
        else expect(r.error.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 30_000 },
    );
  });
});

describe('sample time', () => {
  it('prefers the source timestamp, then the server timestamp, then arrival', () => {
    expect(sampleTime(new Date(1000), new Date(2000), 3000)).toBe(1000);
    expect(sampleTime(null, new Date(2000), 3000)).toBe(2000);
    expect(sampleTime(new Date(Date.UTC(1601, 0, 1)), undefined, 3000)).toBe(3000);
    expect(sampleTime(new Date(NaN), 'x', 3000)).toBe(3000);
  });

  it('always gives a finite time (fuzz)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.date({ noInvalidDate: false }), fc.anything()), fc.oneof(fc.date({ noInvalidDate: false }), fc.anything()), (a, b) => {
        expect(Number.isFinite(sampleTime(a, b, 5))).toBe(true);
      }),
      { numRuns: 10_000 },
    );
    fc.assert(
      fc.property(fc.double(), (code) => {
        expect([Quality.good, Quality.uncertain, Quality.bad]).toContain(qualityOfStatus(code));
        expect(typeof describeStatus(code)).toBe('string');
      }),
      { numRuns: 10_000 },
    );
  });
});
