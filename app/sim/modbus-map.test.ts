import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseModbusAddress, registerCount } from '../drivers/modbus/address';
import type { ModbusAddress } from '../drivers/modbus/address';
import { decodeRegisters } from '../drivers/modbus/codec';
import { DEMO_SIGNALS } from './demo-signals';
import { StripLine } from './line-model';
import type { LineState } from './line-model';
import { createRegisterImage, DEMO_MODBUS_MAP, writeLineState } from './modbus-map';
import type { RegisterImage } from './modbus-map';

function at(text: string): ModbusAddress {
  const result = parseModbusAddress(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const signalNamed = (name: string) => {
  const signal = DEMO_SIGNALS.find((s) => s.name === name);
  if (!signal) throw new Error(`no signal ${name}`);
  return signal;
};

function readPoint(image: RegisterImage, a: ModbusAddress): number {
  const raw = decodeRegisters(image[a.area], a, a.offset);
  if (typeof raw !== 'number') throw new Error('no strings in the demo map');
  return raw;
}

describe('DEMO_MODBUS_MAP', () => {
  it('uses valid addresses and demo signal names', () => {
    for (const point of DEMO_MODBUS_MAP) {
      expect(parseModbusAddress(point.address).ok, point.address).toBe(true);
      expect(DEMO_SIGNALS.map((s) => s.name)).toContain(point.signal);
      expect(point.scale).not.toBe(0);
    }
  });

  it('publishes every signal, and every analogue signal in both float32 word orders', () => {
    for (const signal of DEMO_SIGNALS) expect(DEMO_MODBUS_MAP.some((p) => p.signal === signal.name), signal.name).toBe(true);
    const analogue = DEMO_SIGNALS.filter((s) => !['coilId', 'weldSeam', 'tensionHighAlarm'].includes(s.key));
    for (const signal of analogue) {
      for (const order of ['abcd', 'cdab']) {
        const found = DEMO_MODBUS_MAP.some((p) => p.signal === signal.name && at(p.address).type === 'float32' && at(p.address).order === order);
        expect(found, `${signal.name} float32 ${order}`).toBe(true);
      }
    }
  });

  it('covers every type and layout a tool has to handle', () => {
    const shapes = new Set(DEMO_MODBUS_MAP.map((p) => at(p.address)).map((a) => `${a.area}:${a.type}:${a.order}`));
    for (const shape of ['hr:int16:abcd', 'hr:uint16:abcd', 'hr:int32:cdab', 'hr:uint32:abcd', 'hr:float32:abcd', 'hr:float32:cdab', 'hr:float64:abcd', 'hr:bit:abcd', 'ir:int16:abcd', 'co:bool:abcd', 'di:bool:abcd']) {
      expect(shapes, shape).toContain(shape);
    }
  });

  it('never lets two points share a register, except bits of one status word', () => {
    const owner = new Map<string, string>();
    for (const point of DEMO_MODBUS_MAP) {
      const a = at(point.address);
      for (let i = 0; i < registerCount(a); i++) {
        const key = a.type === 'bit' ? `${a.area}:${a.offset + i}.${a.bit}` : `${a.area}:${a.offset + i}`;
        const clash = owner.get(key) ?? (a.type === 'bit' ? owner.get(`${a.area}:${a.offset}`) : undefined);
        expect(clash, `${point.address} overlaps ${clash}`).toBeUndefined();
        owner.set(key, point.address);
      }
    }
  });
});

describe('resources/demo-line/modbus-map.md', () => {
  const markdown = readFileSync(new URL('../../resources/demo-line/modbus-map.md', import.meta.url), 'utf8');
  const mapSection = markdown.slice(markdown.indexOf('## Map'));
  const rows = mapSection
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) => line.slice(1, -1).split('|').map((cell) => cell.trim()));
  const [header, , ...body] = rows;

  it('lists exactly the points of DEMO_MODBUS_MAP, in the same order', () => {
    expect(header).toEqual(['Signal', 'Address', 'Area', 'Offset', 'Number', 'Type', 'Order', 'Scale', 'Value offset', 'Unit', 'Description', 'Note']);
    expect(body.map((cells) => [cells[0], cells[1]?.replaceAll('`', ''), Number(cells[7]), Number(cells[8]), cells[11]])).toEqual(
      DEMO_MODBUS_MAP.map((p) => [p.signal, p.address, p.scale, p.offset, p.note ?? '']),
    );
  });

  it('spells out area, offsets, conventional numbers, type and order consistently', () => {
    const areaNames = { hr: 'holding register', ir: 'input register', co: 'coil', di: 'discrete input' };
    const firstNumber = { hr: 40001, ir: 30001, co: 1, di: 10001 };
    for (const cells of body) {
      const [signalName = '', address = '', area, offset, number, type, order, , , unit, description] = cells;
      const a = at(address.replaceAll('`', ''));
      const signal = signalNamed(signalName);
      expect(area, address).toBe(areaNames[a.area]);
      expect(Number(offset), address).toBe(a.offset);
      const conventional = String(firstNumber[a.area] + a.offset).padStart(5, '0');
      expect(number, address).toBe(a.type === 'bit' ? `${conventional}.${a.bit}` : conventional);
      expect(type, address).toBe(a.type === 'bit' ? `bit ${a.bit}` : a.type);
      expect(order, address).toBe(a.type === 'bit' || a.type === 'bool' ? '—' : a.order);
      expect(unit, address).toBe(signal.unit === '' ? '—' : signal.unit);
      expect(description, address).toBe(signal.description);
    }
  });
});

describe('writeLineState', () => {
  function expectImageMatches(image: RegisterImage, s: LineState): void {
    for (const point of DEMO_MODBUS_MAP) {
      const a = at(point.address);
      const value = s[signalNamed(point.signal).key];
      const expected = typeof value === 'boolean' ? Number(value) : (value as number);
      const decoded = readPoint(image, a) * point.scale + point.offset;
      const integer = a.type !== 'float32' && a.type !== 'float64';
      // Integers are good to half a count; float32 to its 24-bit mantissa; float64 exactly.
      const tolerance = integer ? point.scale / 2 + 1e-9 : a.type === 'float32' ? Math.abs(expected) * 2 ** -23 : 0;
      expect(Math.abs(decoded - expected), `${point.address} ${point.signal}: ${decoded} vs ${expected}`).toBeLessThanOrEqual(tolerance);
    }
  }

  it('puts LineState into the registers so that decoding the map gives it back', () => {
    const line = new StripLine({ seed: 9 });
    const image = createRegisterImage();
    let sawWeld = false;
    let sawAlarm = false;
    let sawNegativeGauge = false;
    for (let t = 0; t <= 300_000; t += 250) {
      const s = line.step(t);
      writeLineState(image, s);
      expectImageMatches(image, s);
      sawWeld ||= s.weldSeam;
      sawAlarm ||= s.tensionHighAlarm;
      sawNegativeGauge ||= s.thicknessDeviation < 0;
    }
    expect([sawWeld, sawAlarm, sawNegativeGauge]).toEqual([true, true, true]);
  });

  it('sets and clears status bits without touching the rest of the word', () => {
    const image = createRegisterImage();
    const s = new StripLine({ seed: 1 }).step(0);
    image.hr[100] = 0b1111_0000_0000_0000;
    writeLineState(image, { ...s, weldSeam: true, tensionHighAlarm: true });
    expect(image.hr[100]).toBe(0b1111_0000_0000_0011);
    expect([image.co[0], image.co[1], image.di[0], image.di[1]]).toEqual([1, 1, 1, 1]);
    writeLineState(image, { ...s, weldSeam: false, tensionHighAlarm: true });
    expect(image.hr[100]).toBe(0b1111_0000_0000_0010);
    expect([image.co[0], image.co[1], image.di[0], image.di[1]]).toEqual([0, 1, 0, 1]);
  });

  it('writes the documented raw values', () => {
    const image = createRegisterImage();
    const s = new StripLine({ seed: 1 }).step(0);
    writeLineState(image, { ...s, lineSpeed: 600.04, thicknessDeviation: -3.2, coilId: 250007, coilLength: 1234.567, furnaceZone1Temp: 780 });
    expect(image.hr[0]).toBe(6000);
    expect(image.hr[1]).toBe(0x10000 - 32);
    expect([image.hr[2], image.hr[3]]).toEqual([0x0003, 0xd097]); // 250007 = 0x0003D097
    expect([image.hr[4], image.hr[5]]).toEqual([123457 & 0xffff, 123457 >>> 16]); // low word first
    expect(image.ir[4]).toBe(8000);
  });
});
