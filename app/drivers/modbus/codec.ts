import { registerCount } from './address';
import type { ByteOrder, ModbusAddress, ModbusType } from './address';

/*
 * Values are laid out big-endian in a scratch buffer (bytes A B C D …, A most significant),
 * then mapped to registers: a word-swapping order reverses which buffer word lands in which
 * register, a byte-swapping order reads each buffer word little-endian. That one rule covers
 * all four orders for 16-, 32- and 64-bit values.
 */

const scratch = new DataView(new ArrayBuffer(8));

const RANGES: Partial<Record<ModbusType, readonly [number, number]>> = {
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
};

function swapsWords(order: ByteOrder): boolean {
  return order === 'cdab' || order === 'dcba';
}

function swapsBytes(order: ByteOrder): boolean {
  return order === 'badc' || order === 'dcba';
}

/** Rounds and clamps; NaN becomes 0 because an integer register has no way to say "no value". */
function toIntegerInRange(value: number, type: ModbusType): number {
  const [low, high] = RANGES[type] ?? [0, 0];
  if (Number.isNaN(value)) return 0;
  const rounded = Math.round(value);
  // `+ 0` turns -0 into 0 so a round trip of a tiny negative number reads back as plain 0.
  return Math.min(high, Math.max(low, rounded)) + 0;
}

function writeNumber(value: number, type: ModbusType): void {
  switch (type) {
    case 'int16':
      scratch.setInt16(0, toIntegerInRange(value, type));
      return;
    case 'uint16':
      scratch.setUint16(0, toIntegerInRange(value, type));
      return;
    case 'int32':
      scratch.setInt32(0, toIntegerInRange(value, type));
      return;
    case 'uint32':
      scratch.setUint32(0, toIntegerInRange(value, type));
      return;
    case 'float32':
      scratch.setFloat32(0, value);
      return;
    case 'float64':
      scratch.setFloat64(0, value);
      return;
    case 'bit':
    case 'bool':
    case 'string':
      return;
  }
}

function readNumber(type: ModbusType): number {
  switch (type) {
    case 'int16':
      return scratch.getInt16(0);
    case 'uint16':
      return scratch.getUint16(0);
    case 'int32':
      return scratch.getInt32(0);
    case 'uint32':
      return scratch.getUint32(0);
    case 'float32':
      return scratch.getFloat32(0);
    case 'float64':
      return scratch.getFloat64(0);
    case 'bit':
    case 'bool':
    case 'string':
      return Number.NaN;
  }
}

function numberToWords(count: number, order: ByteOrder): number[] {
  const words: number[] = [];
  for (let i = 0; i < count; i++) {
    const source = swapsWords(order) ? count - 1 - i : i;
    words.push(scratch.getUint16(source * 2, swapsBytes(order)));
  }
  return words;
}

function wordsToNumber(words: ArrayLike<number>, start: number, count: number, order: ByteOrder): boolean {
  for (let i = 0; i < count; i++) {
    const word = words[start + i];
    if (word === undefined) return false;
    const target = swapsWords(order) ? count - 1 - i : i;
    // DataView wraps anything outside 0..65535 modulo 2^16, so garbage input cannot throw.
    scratch.setUint16(target * 2, word, swapsBytes(order));
  }
  return true;
}

function decodeString(words: ArrayLike<number>, start: number, a: ModbusAddress): string {
  const count = Math.min(registerCount(a), Math.max(0, words.length - start));
  let text = '';
  for (let i = 0; i < count; i++) {
    const word = (words[start + i] ?? 0) & 0xffff;
    const high = word >> 8;
    const low = word & 0xff;
    text += a.order === 'badc' ? String.fromCharCode(low, high) : String.fromCharCode(high, low);
  }
  return text.replace(/\0+$/, '');
}

/** Non-ASCII characters become '?': a register holds bytes, and the devices that use strings speak ASCII. */
function encodeString(value: string, a: ModbusAddress): number[] {
  const count = registerCount(a);
  const bytes = new Uint8Array(count * 2);
  for (let i = 0; i < bytes.length && i < value.length; i++) {
    const code = value.charCodeAt(i);
    bytes[i] = code < 0x80 ? code : 0x3f;
  }
  const words: number[] = [];
  for (let i = 0; i < count; i++) {
    const first = bytes[i * 2] ?? 0;
    const second = bytes[i * 2 + 1] ?? 0;
    words.push(a.order === 'badc' ? (second << 8) | first : (first << 8) | second);
  }
  return words;
}

/**
 * Reads the value of `a` from register values (or 0/1 bits for coils and discrete inputs).
 * `start` is the index in `words` of the value's first register; default 0, i.e. `words[0]`
 * is the register at `a.offset`. Never throws: missing registers give NaN (or a shorter
 * string), garbage floats give whatever the bits say, NaN included.
 */
export function decodeRegisters(words: ArrayLike<number>, a: ModbusAddress, start = 0): number | string {
  if (a.type === 'string') return decodeString(words, start, a);
  if (a.type === 'bool') {
    const bit = words[start];
    return bit === undefined ? Number.NaN : bit ? 1 : 0;
  }
  if (a.type === 'bit') {
    const word = words[start];
    return word === undefined ? Number.NaN : (word >> (a.bit ?? 0)) & 1;
  }
  const count = registerCount(a);
  if (!wordsToNumber(words, start, count, a.order)) return Number.NaN;
  return readNumber(a.type);
}

/**
 * The inverse of decodeRegisters, for the simulator and tests. Integers are rounded and clamped
 * to the type's range. A 'bit' gives the register with only that bit set (or 0): merging it into
 * the rest of the register is the caller's business, since only the caller knows the other bits.
 */
export function encodeRegisters(value: number | string, a: ModbusAddress): number[] {
  if (a.type === 'string') return encodeString(String(value), a);
  const numeric = typeof value === 'number' ? value : Number(value);
  if (a.type === 'bool') return [numeric !== 0 && !Number.isNaN(numeric) ? 1 : 0];
  if (a.type === 'bit') return [numeric !== 0 && !Number.isNaN(numeric) ? 1 << (a.bit ?? 0) : 0];
  writeNumber(numeric, a.type);
  return numberToWords(registerCount(a), a.order);
}
