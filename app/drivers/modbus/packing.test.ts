import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseModbusAddress, registerCount } from './address';
import type { ModbusAddress } from './address';
import { packRequests } from './packing';

function at(text: string): ModbusAddress {
  const result = parseModbusAddress(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const contiguous = (n: number, from = 0) => Array.from({ length: n }, (_, i) => at(`hr:${from + i}:uint16`));

describe('packRequests', () => {
  it('reads 100 contiguous registers in one request', () => {
    expect(packRequests(contiguous(100))).toEqual([{ area: 'hr', start: 0, count: 100, items: Array.from({ length: 100 }, (_, i) => i) }]);
  });

  it('splits 300 contiguous registers 125 + 125 + 50', () => {
    const requests = packRequests(contiguous(300));
    expect(requests.map((r) => [r.start, r.count])).toEqual([
      [0, 125],
      [125, 125],
      [250, 50],
    ]);
  });

  it('bridges a gap up to maxGap and splits beyond it', () => {
    expect(packRequests([at('hr:0'), at('hr:17')])).toHaveLength(1); // 16 unused registers
    expect(packRequests([at('hr:0'), at('hr:18')])).toHaveLength(2);
    expect(packRequests([at('hr:0'), at('hr:5')], { maxGap: 0 })).toHaveLength(2);
    expect(packRequests([at('hr:0'), at('hr:1')], { maxGap: 0 })).toHaveLength(1);
  });

  it('never splits a multi-register value', () => {
    const requests = packRequests([...contiguous(124), at('hr:124:float32')]);
    expect(requests.map((r) => [r.start, r.count])).toEqual([
      [0, 124],
      [124, 2],
    ]);
  });

  it('lets duplicates and bits of one register share a request', () => {
    const requests = packRequests([at('hr:100.0'), at('hr:100.1'), at('hr:100:uint16'), at('hr:100.0')]);
    expect(requests).toEqual([{ area: 'hr', start: 100, count: 1, items: [0, 1, 2, 3] }]);
  });

  it('reads up to 2000 coils per request, and keeps areas apart', () => {
    const coils = Array.from({ length: 2500 }, (_, i) => at(`co:${i}`));
    const requests = packRequests([...coils, at('di:0'), at('hr:0'), at('ir:0')]);
    expect(requests.map((r) => [r.area, r.start, r.count])).toEqual([
      ['hr', 0, 1],
      ['ir', 0, 1],
      ['co', 0, 2000],
      ['co', 2000, 500],
      ['di', 0, 1],
    ]);
  });

  it('holds limits to what the protocol allows', () => {
    expect(packRequests(contiguous(300), { maxRegisters: 500 })).toHaveLength(3);
    expect(packRequests(contiguous(10), { maxRegisters: 0 })).toHaveLength(10);
  });

  it('gives an oversized value a read of its own rather than tearing it', () => {
    const requests = packRequests([at('hr:0'), at('hr:1:string:20'), at('hr:5'), at('hr:21')], { maxRegisters: 8 });
    expect(requests.map((r) => [r.start, r.count, r.items])).toEqual([
      [0, 1, [0]],
      [1, 20, [1, 2]],
      [21, 1, [3]],
    ]);
  });

  it('covers each item exactly once, wholly, within the limits', () => {
    const address = fc.oneof(
      fc.record({ area: fc.constantFrom('hr' as const, 'ir' as const), offset: fc.integer({ min: 0, max: 400 }), type: fc.constantFrom('uint16' as const, 'float32' as const, 'float64' as const), order: fc.constant('abcd' as const) }),
      fc.record({ area: fc.constantFrom('hr' as const, 'ir' as const), offset: fc.integer({ min: 0, max: 400 }), type: fc.constant('string' as const), order: fc.constant('abcd' as const), length: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ area: fc.constantFrom('hr' as const, 'ir' as const), offset: fc.integer({ min: 0, max: 400 }), type: fc.constant('bit' as const), order: fc.constant('abcd' as const), bit: fc.integer({ min: 0, max: 15 }) }),
      fc.record({ area: fc.constantFrom('co' as const, 'di' as const), offset: fc.integer({ min: 0, max: 5000 }), type: fc.constant('bool' as const), order: fc.constant('abcd' as const) }),
    );
    const limits = fc.record({ maxRegisters: fc.integer({ min: 4, max: 125 }), maxBits: fc.integer({ min: 1, max: 2000 }), maxGap: fc.integer({ min: 0, max: 40 }) });
    fc.assert(
      fc.property(fc.array(address, { maxLength: 120 }), limits, (addresses, lim) => {
        const requests = packRequests(addresses, lim);
        const servedBy = new Map<number, number>();
        requests.forEach((r, ri) => {
          const max = r.area === 'co' || r.area === 'di' ? lim.maxBits : lim.maxRegisters;
          expect(r.count).toBeLessThanOrEqual(max);
          expect(r.count).toBeGreaterThan(0);
          for (const i of r.items) {
            expect(servedBy.has(i)).toBe(false);
            servedBy.set(i, ri);
            const a = addresses[i]!;
            expect(a.area).toBe(r.area);
            expect(a.offset).toBeGreaterThanOrEqual(r.start);
            expect(a.offset + registerCount(a)).toBeLessThanOrEqual(r.start + r.count);
          }
        });
        expect(servedBy.size).toBe(addresses.length);
      }),
      { numRuns: 3_000 },
    );
  });
});
