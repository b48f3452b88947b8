import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_ADDRESS_LENGTH, formatOpcUaAddress, parseOpcUaAddress, type OpcUaAddress } from './address';

function parsed(text: string): OpcUaAddress {
  const r = parseOpcUaAddress(text);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${r.error.message}`);
  return r.value;
}

function rejected(text: string): string {
  const r = parseOpcUaAddress(text);
  if (r.ok) throw new Error(`expected ${text} to be rejected, got ${JSON.stringify(r.value)}`);
  expect(r.error.kind).toBe('invalid-request');
  return r.error.message;
}

describe('parseOpcUaAddress', () => {
  it('reads the NodeId forms PLC tools print', () => {
    expect(parsed('ns=1;s=Line.LineSpeed')).toStrictEqual({ nodeId: 'ns=1;s=Line.LineSpeed' });
    expect(parsed('ns=2;i=1001')).toStrictEqual({ nodeId: 'ns=2;i=1001' });
    expect(parsed('i=2258')).toStrictEqual({ nodeId: 'ns=0;i=2258' });
    expect(parsed('  ns=1;s=Has spaces and ; semicolons ')).toStrictEqual({ nodeId: 'ns=1;s=Has spaces and ; semicolons' });
    expect(parsed('ns=1;g=09087e75-8e5e-499b-954f-f2a9603db28a').nodeId).toBe('ns=1;g=09087E75-8E5E-499B-954F-F2A9603DB28A');
    expect(parsed('ns=1;b=AQID').nodeId).toBe('ns=1;b=AQID');
    expect(parsed('Server_ServerStatus_CurrentTime').nodeId).toBe('ns=0;i=2258');
  });

  it('takes a trailing [n] as the array index', () => {
    expect(parsed('ns=1;s=Types.DoubleArray[3]')).toStrictEqual({ nodeId: 'ns=1;s=Types.DoubleArray', index: 3 });
    expect(parsed('ns=2;i=7 [ 0 ]')).toStrictEqual({ nodeId: 'ns=2;i=7', index: 0 });
  });

  it('says what is wrong', () => {
    expect(rejected('')).toMatch(/empty/);
    expect(rejected('   ')).toMatch(/empty/);
    expect(rejected('ns=1;s=')).toMatch(/identifier after "=" is empty/);
    expect(rejected('ns=1;i=1;extra')).toMatch(/not a whole number/);
    expect(rejected('ns=1;i=99999999999')).toMatch(/above 4294967295/);
    expect(rejected('ns=70000;i=1')).toMatch(/above 65535/);
    expect(rejected('i=0')).toMatch(/null NodeId/);
    expect(rejected('ns=x;i=1')).toMatch(/expected ns=/);
    expect(rejected('nsu=http://plc/;s=A')).toMatch(/namespace URIs/);
    expect(rejected('hello world')).toMatch(/not an OPC UA NodeId/);
    expect(rejected('NoSuchStandardNode')).toMatch(/not an OPC UA NodeId/);
    expect(rejected('ns=1;s=A[99999999999]')).toMatch(/too large/);
    expect(rejected('x'.repeat(MAX_ADDRESS_LENGTH + 1))).toMatch(/longer than/);
  });

  it('prints back what it read', () => {
    for (const text of ['ns=1;s=Line.LineSpeed', 'i=2258', 'ns=1;s=Types.DoubleArray[3]', 'ns=3;i=17[0]']) {
      expect(formatOpcUaAddress(parsed(text))).toBe(text);
      expect(parsed(formatOpcUaAddress(parsed(text)))).toStrictEqual(parsed(text));
    }
  });

  it('never throws on arbitrary text (fuzz)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60, unit: 'binary' }), (text) => {
        const r = parseOpcUaAddress(text);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 25_000 },
    );
  });

  it('never throws on near-miss NodeIds, and what it accepts round-trips (fuzz)', () => {
    const part = fc.oneof(fc.constantFrom('ns=', 'i=', 's=', 'g=', 'b=', ';', '[', ']', '=', 'nsu=', ' '), fc.nat({ max: 70000 }).map(String), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(part, { maxLength: 8 }), (parts) => {
        const r = parseOpcUaAddress(parts.join(''));
        if (r.ok) expect(parseOpcUaAddress(formatOpcUaAddress(r.value))).toStrictEqual(r);
      }),
      { numRuns: 25_000 },
    );
  });
});
