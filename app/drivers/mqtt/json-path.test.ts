import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatJsonPath, lookupPath, numericLeaves, parseJsonPath, type PathSegment } from './json-path';

function parsed(text: string): PathSegment[] {
  const r = parseJsonPath(text);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${r.error.message}`);
  return r.value;
}

function failure(text: string): string {
  const r = parseJsonPath(text);
  if (r.ok) throw new Error(`expected ${text} to be rejected`);
  return r.error.message;
}

describe('parseJsonPath', () => {
  it('reads the documented subset', () => {
    expect(parsed('$')).toStrictEqual([]);
    expect(parsed('$.line.speed')).toStrictEqual(['line', 'speed']);
    expect(parsed('$.a[0].b')).toStrictEqual(['a', 0, 'b']);
    expect(parsed("$['key with space']")).toStrictEqual(['key with space']);
    expect(parsed('$["x"][12]')).toStrictEqual(['x', 12]);
    expect(parsed("$['it\\'s']")).toStrictEqual(["it's"]);
    expect(parsed('$.drive-1.current_A')).toStrictEqual(['drive-1', 'current_A']);
  });

  it('says what is wrong and where', () => {
    expect(failure('line.speed')).toMatch(/must start with \$/);
    expect(failure('$.')).toMatch(/expected a key after "\." at character 3/);
    expect(failure('$.a[')).toMatch(/expected an index or a quoted key/);
    expect(failure('$.a[1')).toMatch(/expected "\]"/);
    expect(failure("$['open")).toMatch(/unterminated quoted key/);
    expect(failure('$.a b')).toMatch(/unexpected " "/);
    expect(failure('$[*]')).toMatch(/expected an index/);
    expect(failure(`$.${'a'.repeat(300)}`)).toMatch(/longer than 200/);
  });

  it('formats paths it can read back', () => {
    expect(formatJsonPath(['line', 'speed'])).toBe('$.line.speed');
    expect(formatJsonPath(['a', 0, 'key with space'])).toBe("$.a[0]['key with space']");
  });
});

describe('lookupPath', () => {
  const doc = { line: { speed: 12.5, list: [{ v: 1 }, { v: 2 }] }, 'key with space': true };
  it('finds values and their parent object', () => {
    expect(lookupPath(doc, ['line', 'speed'])).toStrictEqual({ found: true, value: 12.5, parent: doc.line });
    expect(lookupPath(doc, ['line', 'list', 1, 'v'])).toMatchObject({ found: true, value: 2 });
    expect(lookupPath(doc, ['key with space'])).toMatchObject({ found: true, value: true });
  });
  it('says where the path ends', () => {
    expect(lookupPath(doc, ['line', 'sped'])).toStrictEqual({ found: false, at: '$.line', missing: 'sped' });
    expect(lookupPath(doc, ['line', 'list', 5])).toStrictEqual({ found: false, at: '$.line.list', missing: 5 });
    expect(lookupPath(doc, ['line', 0])).toMatchObject({ found: false });
  });
  it('never walks into the prototype', () => {
    expect(lookupPath({}, ['constructor'])).toMatchObject({ found: false });
    expect(lookupPath({}, ['__proto__'])).toMatchObject({ found: false });
    expect(lookupPath(JSON.parse('{"__proto__":{"x":3}}'), ['__proto__', 'x'])).toMatchObject({ found: true, value: 3 });
  });
});

describe('numericLeaves', () => {
  it('lists numbers and booleans with their paths, bounded', () => {
    expect(numericLeaves({ a: 1, b: { c: [true, 'x', 2] }, 'd e': 3 })).toStrictEqual([
      { path: '$.a', value: 1 },
      { path: '$.b.c[0]', value: true },
      { path: '$.b.c[2]', value: 2 },
      { path: "$['d e']", value: 3 },
    ]);
    expect(numericLeaves({ a: Array.from({ length: 1000 }, (_, i) => i) })).toHaveLength(200);
  });
});

describe('JSON path fuzz', () => {
  it('never throws on any text (40,000 inputs)', () => {
    const pathish = fc.stringMatching(/^\$?[.[\]'"a-z0-9 \\$]{0,30}$/);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), pathish), (text) => {
        const r = parseJsonPath(text);
        if (r.ok) expect(Array.isArray(r.value)).toBe(true);
        else expect(r.error.message).toMatch(/JSON path/);
      }),
      { numRuns: 40_000 },
    );
  });

  it('reads back every path it formats, and looks up any path in any JSON without throwing (20,000 inputs)', () => {
    const segment = fc.oneof(fc.string({ maxLength: 8 }), fc.nat(20));
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), fc.jsonValue({ maxDepth: 4 }), (path, doc) => {
        const back = parseJsonPath(formatJsonPath(path));
        expect(back).toStrictEqual({ ok: true, value: path });
        const found = lookupPath(doc, path);
        expect(typeof found.found).toBe('boolean');
        numericLeaves(doc);
      }),
      { numRuns: 20_000 },
    );
  });
});
