import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRegisterMap } from './register-map';

describe('Modbus register map from CSV', () => {
  it('reads ParX addresses with unit, description, scale and value offset', () => {
    const csv = ['name,address,unit,description,scale,offset', 'Line Speed,hr:10:float32:abcd,m/min,Process speed,1,0', 'Tension,hr:0:int16,kN,"Entry tension, raw",0.1,-5', 'Weld,co:2,,,,'].join('\n');
    const map = parseRegisterMap(csv);
    expect(map.problems).toEqual([]);
    expect(map.registers).toEqual([
      { line: 2, name: 'Line Speed', address: 'hr:10:float32:abcd', unit: 'm/min', description: 'Process speed', scale: 1, offset: 0 },
      { line: 3, name: 'Tension', address: 'hr:0:int16', unit: 'kN', description: 'Entry tension, raw', scale: 0.1, offset: -5 },
      { line: 4, name: 'Weld', address: 'co:2', unit: '', description: '', scale: 1, offset: 0 },
    ]);
  });

  it('reads separate area/offset/type/order columns and Modicon numbers, in their common spellings', () => {
    const csv = [
      'Tag;Register Type;Register;Data Type;Byte Order;Bit;Units;Scale',
      'Speed;holding;10;float32;cdab;;m/min;1',
      'Temp;input;3;int16;;;°C;0,1',
      'Alarm;holding;30;;;4;;',
      'Door;coil;7;;;;;',
    ].join('\r\n');
    const map = parseRegisterMap(csv);
    expect(map.problems).toEqual([]);
    expect(map.registers.map((r) => [r.name, r.address, r.scale, r.unit])).toEqual([
      ['Speed', 'hr:10:float32:cdab', 1, 'm/min'],
      ['Temp', 'ir:3:int16', 0.1, '°C'],
      ['Alarm', 'hr:30.4', 1, ''],
      ['Door', 'co:7', 1, ''],
    ]);
    const classic = parseRegisterMap('name,address,type,order\nA,40011,float32,dcba\nB,30004,int16,\nC,00003,,\nD,10002,,');
    expect(classic.problems).toEqual([]);
    expect(classic.registers.map((r) => r.address)).toEqual(['hr:10:float32:dcba', 'ir:3:int16', 'co:2', 'di:1']);
  });

  it('reports every bad row with its line number and keeps the good ones', () => {
    const csv = [
      'name,address,unit,scale', // 1
      'Good,hr:0,,', // 2
      ',hr:1,,', // 3 no name
      'BadArea,xx:1,,', // 4
      'BadType,hr:2:float33,,', // 5
      '', // 6 blank: skipped, not a problem
      'BadScale,hr:3,,fast', // 7
      'Good,hr:4,,', // 8 duplicate
      '"Multi', // 9..10: a quoted name over two lines
      'line",hr:99999,,', // 10
      'Late,hr:5,,1', // 11
      'Modicon,50001,,', // 12
    ].join('\n');
    const map = parseRegisterMap(csv);
    expect(map.registers.map((r) => [r.line, r.name])).toEqual([
      [2, 'Good'],
      [11, 'Late'],
    ]);
    expect(map.problems.map((p) => p.line)).toEqual([3, 4, 5, 7, 8, 9, 12]);
    const text = map.problems.map((p) => `${p.line}: ${p.message}`).join('\n');
    expect(text).toMatch(/^3: no name$/m);
    expect(text).toMatch(/^4: BadArea: unknown area "xx"/m);
    expect(text).toMatch(/^5: BadType: unknown type "float33"/m);
    expect(text).toMatch(/^7: BadScale: scale "fast" is not a number$/m);
    expect(text).toMatch(/^8: Good: the name is already used on line 2$/m);
    expect(text).toMatch(/^9: Multi\nline: .*beyond 65535/m);
    expect(text).toMatch(/^12: Modicon: address "50001" is neither ParX syntax/m);
  });

  it('says what is wrong with the header', () => {
    expect(parseRegisterMap('').problems).toEqual([{ line: 1, message: expect.stringMatching(/the file is empty/) }]);
    const noName = parseRegisterMap('label,where\nx,hr:0');
    expect(noName.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/no "name" column/),
      expect.stringMatching(/no "address" column/),
      expect.stringMatching(/^no name$/),
      expect.stringMatching(/ignored column\(s\): label, where/),
    ]);
  });

  it('never throws and accounts for every data row (fuzz)', () => {
    const cell = fc.oneof(fc.constantFrom('hr:0', 'hr:1:float32:cdab', 'co:3', '40001', 'x', '', '1.5', 'ir:2.3'), fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell, cell), { maxLength: 20 }), (rows) => {
        const csv = ['name,address,scale', ...rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))].join('\n');
        const map = parseRegisterMap(csv);
        const dataRows = rows.filter((r) => r.some((c) => c.trim() !== '')).length;
        // Each non-blank data row is either a register or a problem, never both, never lost.
        expect(map.registers.length + map.problems.filter((p) => p.line > 1).length).toBe(dataRows);
      }),
      { numRuns: 2000 },
    );
  });
});
