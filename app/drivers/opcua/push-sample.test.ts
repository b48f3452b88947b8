import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DataType, StatusCodes, VariantArrayType, type DataValue } from 'node-opcua';
import { Quality } from '../../shared/samples';
import { parseOpcUaAddress } from './address';
import { toPushedSample } from './opcua-session';
import { qualityOfStatus, sampleTime, variantToNumber } from './values';

/** Shaped like what node-opcua's decoder hands the subscription; only the fields the driver reads. */
function dataValue(dataType: number, arrayType: number, value: unknown, status: number, source?: Date, server?: Date): DataValue {
  return { value: { dataType, arrayType, value }, statusCode: { value: status }, sourceTimestamp: source ?? null, serverTimestamp: server ?? null } as unknown as DataValue;
}

const scalar = parseOpcUaAddress('ns=1;s=Bulk.V1');
const indexed = parseOpcUaAddress('ns=1;s=Types.DoubleArray[3]');

describe('toPushedSample', () => {
  it('maps a good Double with its source timestamp', () => {
    if (!scalar.ok) throw new Error(scalar.error.message);
    const s = toPushedSample(7, scalar.value, dataValue(DataType.Double, VariantArrayType.Scalar, 2.5, 0, new Date(1_700_000_000_000)), 5);
    expect(s).toEqual({ index: 7, ts: 1_700_000_000_000, value: 2.5, quality: Quality.good });
  });

  it('names the address and status of a bad value', () => {
    if (!scalar.ok) throw new Error(scalar.error.message);
    const s = toPushedSample(0, scalar.value, dataValue(DataType.Double, VariantArrayType.Scalar, 1, StatusCodes.BadNodeIdUnknown.value), 42);
    expect(s.quality).toBe(Quality.bad);
    expect(s.value).toBeNaN();
    expect(s.ts).toBe(42);
    expect(s.error).toMatch(/Bulk\.V1.*BadNodeIdUnknown/);
  });

  // The fast path for plain numbers must give what the general conversion gives, for every type and shape.
  it('agrees with variantToNumber, qualityOfStatus and sampleTime on any input', () => {
    if (!scalar.ok || !indexed.ok) throw new Error('bad test address');
    const types = [DataType.Null, DataType.Boolean, DataType.SByte, DataType.Byte, DataType.Int16, DataType.UInt16, DataType.Int32, DataType.UInt32, DataType.Int64, DataType.UInt64, DataType.Float, DataType.Double, DataType.String, DataType.DateTime, DataType.StatusCode];
    const values = fc.oneof(fc.double(), fc.integer(), fc.boolean(), fc.string(), fc.constant(null), fc.date({ noInvalidDate: true }), fc.array(fc.double(), { maxLength: 5 }), fc.tuple(fc.nat(), fc.nat()));
    const statuses = fc.constantFrom(0, StatusCodes.GoodClamped.value, StatusCodes.UncertainLastUsableValue.value, StatusCodes.BadCommunicationError.value);
    fc.assert(
      fc.property(
        fc.constantFrom(...types),
        fc.constantFrom(VariantArrayType.Scalar, VariantArrayType.Array),
        values,
        statuses,
        fc.option(fc.date({ noInvalidDate: true })),
        fc.boolean(),
        (dataType, arrayType, value, status, source, useIndex) => {
          const address = useIndex ? indexed.value : scalar.value;
          const s = toPushedSample(3, address, dataValue(dataType, arrayType, value, status, source ?? undefined), 99);
          expect(s.index).toBe(3);
          expect(s.ts).toBe(sampleTime(source ?? undefined, undefined, 99));
          const expected = variantToNumber(dataType, arrayType, value, address.index === undefined ? undefined : 0);
          if (qualityOfStatus(status) === Quality.bad || !expected.ok) {
            expect(s.quality).toBe(Quality.bad);
            expect(s.value).toBeNaN();
            expect(s.error).toBeTruthy();
          } else {
            expect(s.quality).toBe(qualityOfStatus(status));
            expect(Object.is(s.value, expected.value)).toBe(true);
            expect(s.error).toBeUndefined();
          }
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
