import fc from 'fast-check';
import { Tag } from 'ethernet-ip';
import { describe, expect, it } from 'vitest';
import { parseEnipAddress } from './address';
import { enipDriver } from './enip-driver';

describe('Logix tag addresses', () => {
  it('parses controller, program-scoped, array, member and bit addresses', () => {
    expect(parseEnipAddress('Temp')).toEqual({ ok: true, value: { tag: 'Temp', program: null, path: [{ kind: 'symbol', name: 'Temp' }], bit: null } });
    expect(parseEnipAddress('Program:Main.Count')).toMatchObject({
      ok: true,
      value: { program: 'Main', path: [{ kind: 'symbol', name: 'Program:Main' }, { kind: 'symbol', name: 'Count' }] },
    });
    expect(parseEnipAddress('Arr[2]')).toMatchObject({ ok: true, value: { path: [{ kind: 'symbol', name: 'Arr' }, { kind: 'element', value: 2 }] } });
    expect(parseEnipAddress('Grid[1,2,3]')).toMatchObject({ ok: true, value: { path: [{ name: 'Grid' }, { value: 1 }, { value: 2 }, { value: 3 }] } });
    expect(parseEnipAddress('Motor[3].Speed')).toMatchObject({ ok: true, value: { path: [{ name: 'Motor' }, { value: 3 }, { name: 'Speed' }] } });
    expect(parseEnipAddress('Status.31')).toMatchObject({ ok: true, value: { bit: 31, path: [{ name: 'Status' }] } });
  });

  it('refuses what a controller would refuse, saying why', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['1Temp', /must start with a letter/],
      ['Temp__x', /single underscores/],
      ['Temp_', /not end in _/],
      ['Arr[x]', /index "x"/],
      ['Arr[1', /misplaced/],
      ['Program:.Count', /empty/],
      ['Program:Main', /Program:<program>\.<tag>/],
      ['Status.32', /beyond 31/],
      ['A'.repeat(41), /longer than 40/],
      ['Motor.Axis[1,2]', /one index/],
      ['Temp..X', /empty/],
    ];
    for (const [text, why] of cases) {
      const r = parseEnipAddress(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.error.message, text).toMatch(why);
    }
  });

  it('accepts only names the ethernet-ip client can send', () => {
    const piece = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}(\[\d{1,3}\])?$/);
    const text = fc.tuple(fc.option(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,5}$/)), fc.array(piece, { minLength: 1, maxLength: 3 }), fc.option(fc.nat({ max: 40 })));
    fc.assert(
      fc.property(text, ([program, parts, bit]) => {
        const s = `${program ? `Program:${program}.` : ''}${parts.join('.')}${bit === null ? '' : `.${bit}`}`;
        const r = parseEnipAddress(s);
        if (r.ok) expect(Tag.isValidTagname(r.value.tag), s).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('builds a connection from an enip:// URL with the configured port and slot', () => {
    expect(enipDriver.connectionFromUrl('enip://10.0.0.5:2222?slot=3&timeout=500')).toEqual({
      ok: true,
      value: { name: 'probe', protocol: 'enip', host: '10.0.0.5', port: 2222, slot: 3, timeoutMs: 500, enabled: true },
    });
    expect(enipDriver.connectionFromUrl('enip://plc')).toMatchObject({ ok: true, value: { port: 44818, slot: 0 } });
    expect(enipDriver.connectionFromUrl('modbus://plc')).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    expect(enipDriver.connectionFromUrl('enip://plc?slot=999')).toMatchObject({ ok: false, error: { message: expect.stringContaining('slot') } });
    expect(enipDriver.endpoint({ name: 'x', protocol: 'enip', host: 'plc', port: 44818, slot: 1, timeoutMs: 1000, enabled: true })).toBe('enip://plc:44818?slot=1');
  });
});
