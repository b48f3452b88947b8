/**
 * From an OPC UA DataValue to a ParX sample: the number a trend can draw, the quality the
 * StatusCode means, and the time the value was taken. Pure, so it is fuzzed on its own;
 * nothing here throws, whatever a server sends.
 */
import { DataType, VariantArrayType, getStatusCodeFromCode } from 'node-opcua';
import { Quality, type QualityCode } from '../../shared/samples';
import { err, ok, parxError, type Result } from '../../shared/result';

const TWO_32 = 2 ** 32;

/** The StatusCode's severity bits (Part 4, 7.39): 00 good, 01 uncertain, 10/11 bad. */
export function qualityOfStatus(code: number): QualityCode {
  if (!Number.isFinite(code)) return Quality.bad;
  const severity = Math.floor(code / 2 ** 30) & 3;
  if (severity === 0) return Quality.good;
  if (severity === 1) return Quality.uncertain;
  return Quality.bad;
}

/** "BadNodeIdUnknown (0x80340000): The node id refers to …" — what the server said, readable. */
export function describeStatus(code: number): string {
  const hex = `0x${(Number.isFinite(code) ? Math.trunc(code) >>> 0 : 0).toString(16).padStart(8, '0')}`;
  try {
    const s = getStatusCodeFromCode(Math.trunc(code) >>> 0);
    return s.description ? `${s.name} (${hex}): ${s.description}` : `${s.name} (${hex})`;
  } catch {
    return `status ${hex}`;
  }
}

function dataTypeName(dataType: number): string {
  return (DataType as unknown as Record<number, string | undefined>)[dataType] ?? `data type ${dataType}`;
}

/** 64-bit integers arrive as [high, low] words (or a bigint from newer stacks); beyond 2^53 they lose precision. */
function int64(value: unknown, signed: boolean): number | undefined {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [hi, lo] = value as unknown[];
  if (typeof hi !== 'number' || typeof lo !== 'number' || !Number.isFinite(hi) || !Number.isFinite(lo)) return undefined;
  const high = signed ? hi | 0 : hi >>> 0;
  return high * TWO_32 + (lo >>> 0);
}

function scalar(dataType: number, value: unknown): Result<number> {
  switch (dataType) {
    case DataType.Boolean:
      return typeof value === 'boolean' || typeof value === 'number' ? ok(value ? 1 : 0) : notNumeric(dataType, value);
    case DataType.SByte:
    case DataType.Byte:
    case DataType.Int16:
    case DataType.UInt16:
    case DataType.Int32:
    case DataType.UInt32:
    case DataType.Float:
    case DataType.Double:
    case DataType.StatusCode:
      return typeof value === 'number' ? ok(value) : notNumeric(dataType, value);
    case DataType.Int64:
    case DataType.UInt64: {
      const n = int64(value, dataType === DataType.Int64);
      return n === undefined ? notNumeric(dataType, value) : ok(n);
    }
    case DataType.DateTime: {
      const ms = value instanceof Date ? value.getTime() : NaN;
      return Number.isFinite(ms) ? ok(ms) : err(parxError('protocol', 'DateTime value is not a valid date'));
    }
    case DataType.Null:
      return err(parxError('protocol', 'the server sent no value (Null)'));
    default:
      return notNumeric(dataType, value);
  }
}

function notNumeric(dataType: number, value: unknown): Result<never> {
  const what = value === null || value === undefined ? 'empty' : typeof value;
  return err(parxError('protocol', `not numeric: ${dataTypeName(dataType)} (${what})`));
}

function isIndexable(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/**
 * The number a Variant stands for. Boolean → 0/1, DateTime → ms since the epoch,
 * 64-bit integers → nearest double, strings and structures → error "not numeric".
 * Arrays need `pick`, the element to take (0 when the server already applied an index range).
 */
export function variantToNumber(dataType: number, arrayType: number, value: unknown, pick?: number): Result<number> {
  if (arrayType === VariantArrayType.Scalar) {
    if (pick !== undefined && pick !== 0) return err(parxError('protocol', `has an index [${pick}] but the value is not an array`));
    return scalar(dataType, value);
  }
  if (arrayType !== VariantArrayType.Array && arrayType !== VariantArrayType.Matrix) return err(parxError('protocol', `unknown array type ${String(arrayType)}`));
  if (!isIndexable(value)) return notNumeric(dataType, value);
  if (pick === undefined) return err(parxError('protocol', `is an array of ${value.length} ${dataTypeName(dataType)}; add an index like [0]`));
  if (!Number.isInteger(pick) || pick < 0 || pick >= value.length) return err(parxError('protocol', `index [${pick}] is outside the array of ${value.length}`));
  return scalar(dataType, value[pick]);
}

function validMs(d: unknown): number | undefined {
  if (!(d instanceof Date)) return undefined;
  const ms = d.getTime();
  // OPC UA's "no time" is 1601-01-01 (negative ms); anything before 1970 is no timestamp.
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** When the value was taken: the source timestamp, else the server's, else when it arrived. */
export function sampleTime(source: unknown, server: unknown, receivedMs: number): number {
  return validMs(source) ?? validMs(server) ?? receivedMs;
}
