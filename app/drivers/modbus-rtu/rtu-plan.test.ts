import { describe, expect, it } from 'vitest';
import { planAcquisition } from '../../collector/planner';
import { CONFIG_VERSION, type WorkspaceConfig } from '../../shared/contract';
import { bitsPerCharacter, interFrameMs } from './modbus-rtu-driver';

function config(baudRate: number, registers: number, timebaseMs: number): WorkspaceConfig {
  return {
    version: CONFIG_VERSION,
    connections: [{ name: 'Bus', protocol: 'modbus-rtu', path: '/dev/ttyUSB0', baudRate, parity: 'even', dataBits: 8, stopBits: 1, unitId: 1, timeoutMs: 1000, enabled: true }],
    signals: Array.from({ length: registers }, (_, i) => ({ name: `R${i}`, unit: '', description: '', connection: 'Bus', address: `hr:${i}:uint16`, scale: 1, offset: 0, timebaseMs })),
  };
}

describe('the planner on a serial line', () => {
  it('counts 11 bits per character for 8E1 and 10 for 8N1, and the 3.5-character silence', () => {
    expect(bitsPerCharacter({ dataBits: 8, parity: 'even', stopBits: 1 })).toBe(11);
    expect(bitsPerCharacter({ dataBits: 8, parity: 'none', stopBits: 1 })).toBe(10);
    expect(interFrameMs({ baudRate: 9600, dataBits: 8, parity: 'even', stopBits: 1 })).toBeCloseTo(4.01, 2);
    expect(interFrameMs({ baudRate: 115200, dataBits: 8, parity: 'even', stopBits: 1 })).toBe(1.75);
  });

  it('costs the bytes at the baud rate: 100 registers at 9600 baud cannot keep a 100 ms timebase, at 115200 they can', () => {
    const [slow] = planAcquisition(config(9600, 100, 100));
    // One request; 8 + 5 + 200 bytes at 11 bits = 244 ms on the line, plus two silences and the device's turnaround.
    expect(slow).toMatchObject({ protocol: 'modbus-rtu', requests: 1, bytesPerCycle: 213, verdict: 'overrun' });
    expect(slow?.predictedCycleMs).toBeGreaterThan(244);
    const [fast] = planAcquisition(config(115200, 100, 100));
    expect(fast?.verdict).toBe('ok');
    expect(fast?.predictedCycleMs).toBeCloseTo((213 * 11 * 1000) / 115200 + 3.5 + 3, 1);
  });

  it('judges the timebases of one serial line together: each fits alone, together they overrun', () => {
    const fast = (i: number) => ({ name: `F${i}`, unit: '', description: '', connection: 'Bus', address: `ir:${i}:uint16`, scale: 1, offset: 0, timebaseMs: 50 });
    const cfg = config(19200, 10, 100);
    cfg.signals.push(...Array.from({ length: 10 }, (_, i) => fast(i)));
    const groups = planAcquisition(cfg);
    expect(groups).toHaveLength(2);
    // Each group ≈ 26 ms: alone 52 % of 50 ms and 26 % of 100 ms (both fine); together 78 % of the line.
    expect(groups.map((g) => g.load < 0.6)).toEqual([true, true]);
    expect(groups.map((g) => g.verdict)).toEqual(['tight', 'tight']);
    expect(groups[0]?.note).toMatch(/2 timebases share this serial line: together they need 7\d %/);
    const slower = config(9600, 10, 100);
    slower.signals.push(...Array.from({ length: 10 }, (_, i) => fast(i)));
    expect(planAcquisition(slower).map((g) => g.verdict)).toEqual(['overrun', 'overrun']);
  });
});
