import { err, ok, parxError } from '../../shared/result';
import type { Result } from '../../shared/result';

/** hr = holding register, ir = input register, co = coil, di = discrete input. */
export type ModbusArea = 'hr' | 'ir' | 'co' | 'di';
export type ModbusType = 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64' | 'bit' | 'bool' | 'string';
/** Named after where the big-endian bytes A B C D of a 32-bit value land in the registers. */
export type ByteOrder = 'abcd' | 'cdab' | 'badc' | 'dcba';

export interface ModbusAddress {
  area: ModbusArea;
  /** 0-based protocol offset, as on the wire (40001 in conventional numbering is hr:0). */
  offset: number;
  type: ModbusType;
  order: ByteOrder;
  /** Bit 0..15 of a register, only for type 'bit'. */
  bit?: number;
  /** Registers, only for type 'string' (2 characters each). */
  length?: number;
}

export const MAX_OFFSET = 65535;
/** One read request carries at most 125 registers, so a longer string could never be read in one piece. */
export const MAX_STRING_REGISTERS = 125;

const AREAS: readonly ModbusArea[] = ['hr', 'ir', 'co', 'di'];
const WORD_TYPES = ['int16', 'uint16', 'int32', 'uint32', 'float32', 'float64', 'string'] as const;
const ORDERS: readonly ByteOrder[] = ['abcd', 'cdab', 'badc', 'dcba'];

const AREA_WORDS: Record<ModbusArea, string> = { hr: 'register', ir: 'register', co: 'coil', di: 'discrete input' };

export function isBitArea(area: ModbusArea): boolean {
  return area === 'co' || area === 'di';
}

/** Registers (hr/ir) or bits (co/di) a value occupies. */
export function registerCount(a: ModbusAddress): number {
  switch (a.type) {
    case 'int32':
    case 'uint32':
    case 'float32':
      return 2;
    case 'float64':
      return 4;
    case 'string':
      return a.length ?? 1;
    case 'int16':
    case 'uint16':
    case 'bit':
    case 'bool':
      return 1;
  }
}

/** Canonical text. The byte order is always spelled out for multi-register numbers, where guessing it wrong is the classic fault. */
export function formatModbusAddress(a: ModbusAddress): string {
  if (isBitArea(a.area)) return `${a.area}:${a.offset}`;
  if (a.type === 'bit') return `${a.area}:${a.offset}.${a.bit ?? 0}`;
  const swapped = a.order === 'badc' ? ':badc' : '';
  if (a.type === 'string') return `${a.area}:${a.offset}:string:${a.length ?? 1}${swapped}`;
  if (a.type === 'int16' || a.type === 'uint16') return `${a.area}:${a.offset}:${a.type}${swapped}`;
  return `${a.area}:${a.offset}:${a.type}:${a.order}`;
}

interface Field {
  text: string;
  position: number;
}

function splitFields(text: string, lead: number): Field[] {
  const fields: Field[] = [];
  let position = lead;
  for (const part of text.split(':')) {
    fields.push({ text: part, position });
    position += part.length + 1;
  }
  return fields;
}

function fail(message: string, position: number): Result<never> {
  return err(parxError('invalid-config', message, { position }));
}

export function parseModbusAddress(text: string): Result<ModbusAddress> {
  const body = text.trim();
  const lead = text.length - text.trimStart().length;
  const quoted = JSON.stringify(body);
  if (body === '') return fail('empty Modbus address (expected e.g. "hr:0:uint16")', 0);

  const fields = splitFields(body, lead);
  const [areaField, offsetField, ...rest] = fields as [Field, ...Field[]];
  const area = areaField.text.toLowerCase() as ModbusArea;
  if (!AREAS.includes(area)) {
    return fail(`unknown area ${JSON.stringify(areaField.text)} in ${quoted} (expected hr, ir, co or di)`, areaField.position);
  }
  if (offsetField === undefined || offsetField.text === '') {
    return fail(`missing offset in ${quoted} (expected e.g. "${area}:0")`, lead + body.length);
  }

  const match = /^(\d+)(?:\.(\d+))?$/.exec(offsetField.text);
  if (!match) return fail(`offset ${JSON.stringify(offsetField.text)} is not a number in ${quoted}`, offsetField.position);
  const offset = Number(match[1]);
  if (offset > MAX_OFFSET) {
    return fail(`${AREA_WORDS[area]} offset ${match[1]} is beyond ${MAX_OFFSET} in ${quoted}`, offsetField.position);
  }

  if (isBitArea(area)) return parseBitArea(area, offset, match[2], rest, quoted, offsetField);
  if (match[2] !== undefined) return parseRegisterBit(area, offset, match[2], rest, quoted, offsetField);
  return parseWordValue(area, offset, rest, quoted, lead + body.length);
}

function parseBitArea(area: ModbusArea, offset: number, bit: string | undefined, rest: Field[], quoted: string, offsetField: Field): Result<ModbusAddress> {
  const name = area === 'co' ? 'a coil' : 'a discrete input';
  if (bit !== undefined) {
    return fail(`${name} is a single bit already; remove ".${bit}" from ${quoted}`, offsetField.position);
  }
  const [typeField, extra] = rest;
  if (typeField !== undefined && typeField.text.toLowerCase() !== 'bool') {
    return fail(`${name} carries one bit, so type ${JSON.stringify(typeField.text)} is not possible in ${quoted} (write "${area}:${offset}")`, typeField.position);
  }
  if (extra !== undefined) return fail(`unexpected ":${extra.text}" in ${quoted}`, extra.position - 1);
  return ok({ area, offset, type: 'bool', order: 'abcd' });
}

function parseRegisterBit(area: ModbusArea, offset: number, bitText: string, rest: Field[], quoted: string, offsetField: Field): Result<ModbusAddress> {
  const bit = Number(bitText);
  if (bit > 15) {
    return fail(`bit ${bitText} is beyond 15 in ${quoted} (a register has bits 0..15)`, offsetField.position + offsetField.text.indexOf('.') + 1);
  }
  const [extra] = rest;
  if (extra !== undefined) {
    return fail(`unexpected ":${extra.text}" in ${quoted}; a bit in a register is written "${area}:${offset}.${bit}"`, extra.position - 1);
  }
  return ok({ area, offset, type: 'bit', order: 'abcd', bit });
}

function parseWordValue(area: ModbusArea, offset: number, rest: Field[], quoted: string, end: number): Result<ModbusAddress> {
  const [typeField, ...more] = rest;
  const typeText = typeField === undefined ? 'uint16' : typeField.text.toLowerCase();
  if (typeText === 'bit' || typeText === 'bool') {
    return fail(`type "${typeText}" is not written out for registers in ${quoted}; address a bit as "${area}:${offset}.3"`, typeField?.position ?? end);
  }
  if (!(WORD_TYPES as readonly string[]).includes(typeText)) {
    return fail(
      `unknown type ${JSON.stringify(typeField?.text ?? '')} in ${quoted} (expected int16, uint16, int32, uint32, float32, float64 or string)`,
      typeField?.position ?? end,
    );
  }
  const type = typeText as (typeof WORD_TYPES)[number];

  let length: number | undefined;
  let orderFields = more;
  if (type === 'string') {
    const [lengthField, ...after] = more;
    if (lengthField === undefined || !/^\d+$/.test(lengthField.text)) {
      const got = lengthField === undefined ? 'none' : JSON.stringify(lengthField.text);
      return fail(`a string needs its length in registers, e.g. "${area}:${offset}:string:8", got ${got} in ${quoted}`, lengthField?.position ?? end);
    }
    length = Number(lengthField.text);
    if (length < 1 || length > MAX_STRING_REGISTERS) {
      return fail(`string length ${lengthField.text} must be 1..${MAX_STRING_REGISTERS} registers in ${quoted}`, lengthField.position);
    }
    orderFields = after;
  }

  const [orderField, extra] = orderFields;
  if (extra !== undefined) return fail(`unexpected ":${extra.text}" in ${quoted}`, extra.position - 1);
  const order = (orderField?.text.toLowerCase() ?? 'abcd') as ByteOrder;
  if (orderField !== undefined && !ORDERS.includes(order)) {
    return fail(`unknown byte order ${JSON.stringify(orderField.text)} in ${quoted} (expected abcd, cdab, badc or dcba)`, orderField.position);
  }
  const singleWord = type === 'int16' || type === 'uint16' || type === 'string';
  if (singleWord && (order === 'cdab' || order === 'dcba')) {
    const what = type === 'string' ? 'string characters are packed per register' : `${type} is a single register`;
    return fail(`byte order "${order}" swaps words, but ${what}; use abcd or badc in ${quoted}`, orderField?.position ?? end);
  }

  const address: ModbusAddress = length === undefined ? { area, offset, type, order } : { area, offset, type, order, length };
  const count = registerCount(address);
  if (offset + count - 1 > MAX_OFFSET) {
    return fail(`${type} at offset ${offset} needs ${count} registers and would end at ${offset + count - 1}, beyond ${MAX_OFFSET}, in ${quoted}`, end);
  }
  return ok(address);
}
