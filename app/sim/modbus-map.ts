import { parseModbusAddress } from '../drivers/modbus/address';
import type { ModbusAddress } from '../drivers/modbus/address';
import { encodeRegisters } from '../drivers/modbus/codec';
import { DEMO_SIGNALS } from './demo-signals';
import type { DemoSignal } from './demo-signals';
import type { LineState } from './line-model';

/** Engineering value = raw × scale + offset. */
export interface DemoModbusPoint {
  signal: string;
  address: string;
  scale: number;
  offset: number;
  note?: string;
}

const ANALOGUE = [
  'Line Speed',
  'Entry Tension',
  'Exit Tension',
  'Thickness Deviation',
  'Strip Width',
  'Furnace Zone 1 Temp',
  'Furnace Zone 2 Temp',
  'Main Drive Current',
  'Coil Length',
] as const;

/** The same analogue values as float32 in consecutive register pairs, so a tool can read a whole block at once. */
function floatBlock(start: number, order: 'abcd' | 'cdab', note: string): DemoModbusPoint[] {
  return ANALOGUE.map((signal, i) => ({ signal, address: `hr:${start + 2 * i}:float32:${order}`, scale: 1, offset: 0, note }));
}

/**
 * The demo line as a PLC would publish it: scaled integers the way older controllers do, float
 * blocks in both common word orders, a float64, odd byte orders to test a tool's settings against,
 * status bits in a word, and coils / discrete inputs. resources/demo-line/modbus-map.md documents
 * it for people; a test keeps the two identical.
 */
export const DEMO_MODBUS_MAP: readonly DemoModbusPoint[] = [
  { signal: 'Line Speed', address: 'hr:0:uint16', scale: 0.1, offset: 0 },
  { signal: 'Thickness Deviation', address: 'hr:1:int16', scale: 0.1, offset: 0 },
  { signal: 'Coil ID', address: 'hr:2:uint32:abcd', scale: 1, offset: 0 },
  { signal: 'Coil Length', address: 'hr:4:int32:cdab', scale: 0.01, offset: 0, note: 'low word first' },
  { signal: 'Entry Tension', address: 'hr:6:uint16', scale: 0.01, offset: 0 },
  { signal: 'Exit Tension', address: 'hr:7:uint16', scale: 0.01, offset: 0 },
  { signal: 'Strip Width', address: 'hr:8:uint16', scale: 0.1, offset: 0 },
  { signal: 'Main Drive Current', address: 'hr:9:int16', scale: 0.1, offset: 0 },
  ...floatBlock(10, 'abcd', 'float block, high word first'),
  { signal: 'Furnace Zone 1 Temp', address: 'hr:30:int16', scale: 0.1, offset: 0 },
  { signal: 'Furnace Zone 2 Temp', address: 'hr:31:int16', scale: 0.1, offset: 0 },
  ...floatBlock(40, 'cdab', 'float block, low word first'),
  { signal: 'Coil Length', address: 'hr:60:float64:abcd', scale: 1, offset: 0 },
  { signal: 'Line Speed', address: 'hr:64:float32:badc', scale: 1, offset: 0, note: 'bytes swapped in each word' },
  { signal: 'Line Speed', address: 'hr:66:float32:dcba', scale: 1, offset: 0, note: 'fully little-endian' },
  { signal: 'Weld Seam', address: 'hr:100.0', scale: 1, offset: 0, note: 'status word bit 0' },
  { signal: 'Tension High', address: 'hr:100.1', scale: 1, offset: 0, note: 'status word bit 1' },
  { signal: 'Line Speed', address: 'ir:0:int16', scale: 0.1, offset: 0 },
  { signal: 'Entry Tension', address: 'ir:1:int16', scale: 0.01, offset: 0 },
  { signal: 'Exit Tension', address: 'ir:2:int16', scale: 0.01, offset: 0 },
  { signal: 'Thickness Deviation', address: 'ir:3:int16', scale: 0.1, offset: 0 },
  { signal: 'Furnace Zone 1 Temp', address: 'ir:4:int16', scale: 0.01, offset: 700, note: 'raw 0 = 700 °C' },
  { signal: 'Furnace Zone 2 Temp', address: 'ir:5:int16', scale: 0.01, offset: 800, note: 'raw 0 = 800 °C' },
  { signal: 'Main Drive Current', address: 'ir:6:int16', scale: 1, offset: 0 },
  { signal: 'Strip Width', address: 'ir:7:uint16', scale: 1, offset: 0 },
  { signal: 'Weld Seam', address: 'co:0', scale: 1, offset: 0 },
  { signal: 'Tension High', address: 'co:1', scale: 1, offset: 0 },
  { signal: 'Weld Seam', address: 'di:0', scale: 1, offset: 0 },
  { signal: 'Tension High', address: 'di:1', scale: 1, offset: 0 },
];

export interface RegisterImage {
  hr: Uint16Array;
  ir: Uint16Array;
  co: Uint8Array;
  di: Uint8Array;
}

export function createRegisterImage(): RegisterImage {
  return { hr: new Uint16Array(65536), ir: new Uint16Array(65536), co: new Uint8Array(65536), di: new Uint8Array(65536) };
}

interface ResolvedPoint {
  address: ModbusAddress;
  signal: DemoSignal;
  scale: number;
  offset: number;
}

/** Resolved once: the map is a constant, so a bad entry is a programming error and must fail loudly at load. */
const RESOLVED: readonly ResolvedPoint[] = DEMO_MODBUS_MAP.map((point) => {
  const parsed = parseModbusAddress(point.address);
  if (!parsed.ok) throw new Error(`DEMO_MODBUS_MAP: ${parsed.error.message}`);
  const signal = DEMO_SIGNALS.find((s) => s.name === point.signal);
  if (signal === undefined) throw new Error(`DEMO_MODBUS_MAP: no demo signal named "${point.signal}"`);
  return { address: parsed.value, signal, scale: point.scale, offset: point.offset };
});

export function writeLineState(image: RegisterImage, s: LineState): void {
  for (const { address, signal, scale, offset } of RESOLVED) {
    const value = s[signal.key];
    const engineering = typeof value === 'boolean' ? (value ? 1 : 0) : typeof value === 'number' ? value : Number.NaN;
    const raw = (engineering - offset) / scale;
    const words = encodeRegisters(raw, address);
    switch (address.area) {
      case 'co':
      case 'di':
        image[address.area][address.offset] = words[0] ?? 0;
        break;
      case 'hr':
      case 'ir': {
        const registers = image[address.area];
        if (address.type === 'bit') {
          // Other bits of the status word belong to other signals: change only this one.
          const mask = 1 << (address.bit ?? 0);
          registers[address.offset] = ((registers[address.offset] ?? 0) & ~mask) | (words[0] ?? 0);
        } else {
          registers.set(words, address.offset);
        }
        break;
      }
    }
  }
}
