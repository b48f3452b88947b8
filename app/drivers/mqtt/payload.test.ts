import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonValue, parseJsonPayload, plainValue, shorten, timestampOf } from './payload';

const value = (doc: unknown, path: (string | number)[], ts = false) => jsonValue(doc, path, ts);

describe('plain payloads', () => {
  it('reads numbers and true/false', () => {
    expect(plainValue('12.5')).toStrictEqual({ ok: true, value: { value: 12.5 } });
    expect(plainValue(' -3e2\n')).toStrictEqual({ ok: true, value: { value: -300 } });
    expect(plainValue('true')).toStrictEqual({ ok: true, value: { value: 1 } });
    expect(plainValue('FALSE')).toStrictEqual({ ok: true, value: { value: 0 } });
  });
  it('says why a payload is not a value', () => {
    expect(plainValue('')).toStrictEqual({ ok: false, error: 'payload is empty' });
    expect(plainValue('running')).toStrictEqual({ ok: false, error: 'payload is not a number: running' });
    expect(plainValue('1e999')).toMatchObject({ ok: false, error: expect.stringMatching(/out of range/) });
    expect(plainValue('0x10')).toMatchObject({ ok: false });
    expect(plainValue('NaN')).toMatchObject({ ok: false });
  });
});

describe('JSON payloads', () => {
  const doc = { ts: 1_700_000_000_000, line: { speed: 612.5, running: true, name: 'L1', ts: '2024-05-01T12:00:00.000Z' }, coil: { id: 250001 }, list: [1, null] };

  it('extracts the value at the path', () => {
    expect(value(doc, ['line', 'speed'])).toStrictEqual({ ok: true, value: { value: 612.5 } });
    expect(value(doc, ['line', 'running'])).toStrictEqual({ ok: true, value: { value: 1 } });
  });

  it('gives the reason when there is no number', () => {
    expect(parseJsonPayload('speed=12')).toMatchObject({ ok: false, error: expect.stringMatching(/^payload is not JSON: speed=12 \(/) });
    expect(value(doc, ['a', 'b'])).toStrictEqual({ ok: false, error: 'path $.a.b not found (no key "a" at $)' });
    expect(value(doc, ['line', 'name'])).toStrictEqual({ ok: false, error: 'value at $.line.name is a string, not a number' });
    expect(value(doc, ['list', 1])).toStrictEqual({ ok: false, error: 'value at $.list[1] is null, not a number' });
    expect(value(doc, ['coil'])).toStrictEqual({ ok: false, error: 'value at $.coil is an object, not a number' });
  });

  it('takes ts/timestamp from the object holding the value, else from the root', () => {
    expect(value(doc, ['line', 'speed'], true)).toStrictEqual({ ok: true, value: { value: 612.5, ts: Date.parse('2024-05-01T12:00:00.000Z') } });
    expect(value(doc, ['coil', 'id'], true)).toStrictEqual({ ok: true, value: { value: 250001, ts: 1_700_000_000_000 } });
    expect(value({ timestamp: 5, v: 1 }, ['v'], true)).toStrictEqual({ ok: true, value: { value: 1, ts: 5 } });
    expect(value({ ts: 'yesterday', v: 1 }, ['v'], true)).toStrictEqual({ ok: true, value: { value: 1 } });
    expect(value({ v: 1 }, ['v'], true)).toStrictEqual({ ok: true, value: { value: 1 } });
  });

  it('keeps what people read short and on one line', () => {
    expect(shorten('a\nb\u0000c')).toBe('a b c');
    expect(shorten('x'.repeat(100))).toHaveLength(41);
    expect(timestampOf(-1)).toBeUndefined();
    expect(timestampOf('2024-13-45T99:99')).toBeUndefined();
  });
});

describe('payload fuzz', () => {
  it('plain and JSON decoding never throw (30,000 inputs)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.double().map(String), fc.json({ maxDepth: 3 })), fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.nat(3)), { maxLength: 4 }), (text, path) => {
        const p = plainValue(text);
        if (p.ok) expect(Number.isFinite(p.value.value)).toBe(true);
        else expect(typeof p.error).toBe('string');
        const doc = parseJsonPayload(text);
        if (doc.ok) {
          const v = jsonValue(doc.value, path, true);
          if (v.ok) expect(Number.isFinite(v.value.value)).toBe(true);
          else expect(v.error).toMatch(/^(path|value at)/);
        } else expect(doc.error).toMatch(/^payload is not JSON/);
      }),
      { numRuns: 30_000 },
    );
  });
});
