import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CipType, decodeAtomic, decodeTagData, encodeAtomic, type AtomicType } from './atomic';
import { decodeMultiple, decodeReply, decodeRequest, decodeUnconnectedSend, encodeMultiple, encodeReply, encodeRequest, encodeUnconnectedSend, statusText } from './cip';
import { decodePath, encodePath, pathText, type PathSegment } from './epath';
import { Command, decodeCpf, decodeIdentityAttributes, decodeListIdentity, decodeRRData, encodeCpf, encodeFrame, encodeIdentityAttributes, encodeListIdentityItem, encodeRRData, splitFrames } from './encap';
import { decodeSymbolList, describeSymbolType, encodeSymbolList, symbolListRequest } from './symbols';

const symbol = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_:]{0,39}$/).map((name): PathSegment => ({ kind: 'symbol', name }));
const logical = fc
  .tuple(fc.constantFrom('class', 'instance', 'element', 'attribute', 'connection-point' as const), fc.nat({ max: 0xffffffff }))
  .map(([kind, value]): PathSegment => ({ kind, value }));
const port = fc.tuple(fc.integer({ min: 1, max: 14 }), fc.nat({ max: 255 })).map(([p, link]): PathSegment => ({ kind: 'port', port: p, link }));
const path = fc.array(fc.oneof(symbol, logical, port), { maxLength: 8 });

describe('atomic values', () => {
  it('round-trips every type at its limits', () => {
    const cases: [AtomicType, number[]][] = [
      ['BOOL', [0, 1]],
      ['SINT', [-128, 127, 0]],
      ['INT', [-32768, 32767]],
      ['DINT', [-2147483648, 2147483647]],
      ['LINT', [-(2 ** 53) + 1, 2 ** 53 - 1, 1234567890123]],
      ['REAL', [3.25, -0.5, 2 ** 100]],
    ];
    for (const [type, values] of cases) {
      const r = decodeAtomic(CipType[type], encodeAtomic(type, values), 0, values.length);
      expect(r).toEqual({ ok: true, value: values });
    }
  });

  it('sends BOOL true as 0xFF and wraps integers like the PLC', () => {
    expect([...encodeAtomic('BOOL', [1])]).toEqual([0xff]);
    expect(decodeAtomic(CipType.SINT, encodeAtomic('SINT', [200]), 0, 1)).toEqual({ ok: true, value: [-56] });
  });

  it('refuses structures, unknown types and short data with a reason', () => {
    const udt = Buffer.from([0xa0, 0x02, 0x12, 0x34]);
    expect(decodeTagData(udt)).toMatchObject({ ok: false, error: { kind: 'protocol', message: expect.stringContaining('structure') } });
    expect(decodeTagData(Buffer.from([0xc4, 0x00, 1]))).toMatchObject({ ok: false, error: { message: expect.stringContaining('DINT') } });
    expect(decodeTagData(Buffer.from([0xc4]))).toMatchObject({ ok: false });
  });

  it('round-trips random REAL and DINT arrays', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 20 }), (values) => {
        expect(decodeAtomic(CipType.DINT, encodeAtomic('DINT', values), 0, values.length)).toEqual({ ok: true, value: values });
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { maxLength: 20 }), (values) => {
        const r = decodeAtomic(CipType.REAL, encodeAtomic('REAL', values), 0, values.length);
        expect(r).toEqual({ ok: true, value: values.map((v) => Math.fround(v)) });
      }),
    );
  });
});

describe('EPATH', () => {
  it('encodes Program:Main.Count and Arr[2] as Logix does', () => {
    const b = encodePath([{ kind: 'symbol', name: 'Program:Main' }, { kind: 'symbol', name: 'Count' }]);
    expect(b.toString('hex')).toBe(`910c${Buffer.from('Program:Main').toString('hex')}9105${Buffer.from('Count').toString('hex')}00`);
    expect(encodePath([{ kind: 'symbol', name: 'Arr' }, { kind: 'element', value: 2 }]).toString('hex')).toBe('9103417272002802');
    expect(encodePath([{ kind: 'element', value: 300 }]).toString('hex')).toBe('29002c01');
  });

  it('round-trips any path and always pads to words', () => {
    fc.assert(
      fc.property(path, (segments) => {
        const b = encodePath(segments);
        expect(b.length % 2).toBe(0);
        expect(decodePath(b)).toEqual({ ok: true, value: segments });
      }),
    );
  });

  it('names a path the way the engineer wrote it', () => {
    expect(pathText([{ kind: 'symbol', name: 'Program:Main' }, { kind: 'symbol', name: 'Arr' }, { kind: 'element', value: 2 }])).toBe('Program:Main.Arr[2]');
  });

  it('rejects unknown and truncated segments', () => {
    expect(decodePath(Buffer.from([0x91, 0x05, 0x41]))).toMatchObject({ ok: false, error: { kind: 'protocol' } });
    expect(decodePath(Buffer.from([0x80, 0x01]))).toMatchObject({ ok: false, error: { message: expect.stringContaining('0x80') } });
  });
});

describe('CIP messages', () => {
  it('round-trips requests and replies', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7f }), path, fc.uint8Array({ maxLength: 40 }), (service, p, data) => {
        const req = { service, path: p, data: Buffer.from(data) };
        expect(decodeRequest(encodeRequest(req))).toEqual({ ok: true, value: req });
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7f }), fc.nat({ max: 255 }), fc.array(fc.nat({ max: 0xffff }), { maxLength: 4 }), fc.uint8Array({ maxLength: 40 }), (service, status, extended, data) => {
        const reply = { service, status, extended, data: Buffer.from(data) };
        expect(decodeReply(encodeReply(reply))).toEqual({ ok: true, value: reply });
      }),
    );
  });

  it('wraps a request in Unconnected Send to the slot and unwraps it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 2, maxLength: 60 }), fc.nat({ max: 16 }), (msg, slot) => {
        const us = decodeRequest(encodeUnconnectedSend(Buffer.from(msg), [{ kind: 'port', port: 1, link: slot }]));
        expect(us.ok && us.value.service).toBe(0x52);
        const inner = us.ok ? decodeUnconnectedSend(us.value.data) : undefined;
        expect(inner).toEqual({ ok: true, value: { message: Buffer.from(msg), route: [{ kind: 'port', port: 1, link: slot }] } });
      }),
    );
  });

  it('round-trips Multiple Service Packets and rejects offsets outside the data', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 20 }), { maxLength: 10 }), (parts) => {
        const bufs = parts.map((p) => Buffer.from(p));
        expect(decodeMultiple(encodeMultiple(bufs))).toEqual({ ok: true, value: bufs });
      }),
    );
    expect(decodeMultiple(Buffer.from([1, 0, 0x40, 0]))).toMatchObject({ ok: false, error: { kind: 'protocol' } });
  });

  it('words statuses for the engineer', () => {
    expect(statusText(0x05)).toBe('CIP status 0x05 path destination unknown (no such tag)');
    expect(statusText(0xff, [0x2105])).toContain('index beyond the end of the array');
  });
});

describe('encapsulation', () => {
  it('splits a stream at frame boundaries wherever the chunks break', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 30 }), { minLength: 1, maxLength: 5 }), fc.nat(), (datas, cut) => {
        const stream = Buffer.concat(datas.map((d, i) => encodeFrame(Command.SendRRData, i + 1, Buffer.from(d))));
        const at = cut % (stream.length + 1);
        const first = splitFrames(stream.subarray(0, at));
        const second = splitFrames(Buffer.concat([first.rest, stream.subarray(at)]));
        const frames = [...first.frames, ...second.frames];
        expect(second.rest.length).toBe(0);
        expect(frames.map((f) => [f.header.session, [...f.data]])).toEqual(datas.map((d, i) => [i + 1, [...d]]));
      }),
    );
  });

  it('round-trips CPF, SendRRData, identity and ListIdentity', () => {
    const items = [{ type: 0, data: Buffer.alloc(0) }, { type: 0xb2, data: Buffer.from([0xcc, 0, 0, 0]) }];
    expect(decodeCpf(encodeCpf(items))).toEqual({ ok: true, value: items });
    expect(decodeRRData(encodeRRData(items, 10))).toEqual({ ok: true, value: { timeoutS: 10, message: Buffer.from([0xcc, 0, 0, 0]) } });
    const id = { vendorId: 1, deviceType: 14, productCode: 166, revision: [33, 11] as [number, number], status: 0x3060, serial: 0xc0ffee, productName: '1756-L83E' };
    expect(decodeIdentityAttributes(encodeIdentityAttributes(id))).toEqual({ ok: true, value: id });
    expect(decodeListIdentity(encodeCpf([{ type: 0x0c, data: encodeListIdentityItem(id, { ip: '127.0.0.1', port: 44818 }) }]))).toEqual({ ok: true, value: [id] });
    expect(decodeRRData(encodeRRData([{ type: 0, data: Buffer.alloc(0) }]))).toMatchObject({ ok: false, error: { message: expect.stringContaining('unconnected data item') } });
  });
});

describe('tag list', () => {
  it('round-trips symbol entries and describes their types', () => {
    const entries = [
      { instance: 1, name: 'LineSpeed', type: 0xca, dims: [0, 0, 0] as [number, number, number] },
      { instance: 7, name: 'Arr', type: 0x20ca, dims: [10, 0, 0] as [number, number, number] },
      { instance: 9, name: 'Program:Main', type: 0x1068, dims: [0, 0, 0] as [number, number, number] },
    ];
    expect(decodeSymbolList(encodeSymbolList(entries))).toEqual({ ok: true, value: entries });
    expect(entries.map(describeSymbolType)).toEqual(['REAL', 'REAL[10]', 'program']);
    expect(encodeRequest(symbolListRequest(0)).toString('hex')).toBe('550220 6b2400 0300010002000800'.replace(/ /g, ''));
  });
});
