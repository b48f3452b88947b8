/**
 * Safety: whatever bytes arrive, every decoder returns a Result and never throws.
 * 120,000 inputs in total: raw random bytes and mutations of valid messages (which reach
 * deeper into the decoders than noise does).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTagData } from './atomic';
import { decodeMultiple, decodeReply, decodeRequest, decodeUnconnectedSend, encodeMultiple, encodeReply, encodeRequest, encodeUnconnectedSend } from './cip';
import { decodePath } from './epath';
import { decodeCpf, decodeIdentityAttributes, decodeListIdentity, decodeRRData, splitFrames } from './encap';
import { parseEnipAddress } from './address';
import { decodeAttributeIds, decodeSymbolList } from './symbols';

type Decoder = (b: Buffer) => { ok: boolean };

const DECODERS: Record<string, Decoder> = {
  path: (b) => decodePath(b),
  request: decodeRequest,
  reply: decodeReply,
  unconnectedSend: decodeUnconnectedSend,
  multiple: decodeMultiple,
  cpf: (b) => decodeCpf(b),
  rrData: decodeRRData,
  identity: (b) => decodeIdentityAttributes(b),
  listIdentity: decodeListIdentity,
  tagData: (b) => decodeTagData(b, 1 + (b[0] ?? 0) % 4),
  symbols: decodeSymbolList,
  attributeIds: decodeAttributeIds,
};

const ENTRIES = Object.entries(DECODERS);

/** Plain checks, not expect(): 100,000 inputs × 12 decoders must stay fast. A throw fails the property with its input. */
function assertClean(b: Buffer): void {
  for (const [name, decode] of ENTRIES) {
    const r = decode(b) as { ok: boolean; error?: { kind: string } };
    if (typeof r.ok !== 'boolean' || (!r.ok && r.error?.kind !== 'protocol')) throw new Error(`${name} returned ${JSON.stringify(r)}`);
  }
  const s = splitFrames(b);
  if (s.frames.reduce((n, f) => n + 24 + f.data.length, 0) + s.rest.length !== b.length) throw new Error('splitFrames lost bytes');
}

const seeds = [
  encodeUnconnectedSend(encodeRequest({ service: 0x4c, path: [{ kind: 'symbol', name: 'Program:Main' }, { kind: 'symbol', name: 'Arr' }, { kind: 'element', value: 2 }], data: Buffer.from([1, 0]) }), [{ kind: 'port', port: 1, link: 0 }]),
  encodeReply({ service: 0x0a, status: 0x1e, extended: [], data: encodeMultiple([encodeReply({ service: 0x4c, status: 0, extended: [], data: Buffer.from([0xc4, 0, 1, 2, 3, 4]) }), encodeReply({ service: 0x4c, status: 5, extended: [], data: Buffer.alloc(0) })]) }),
];

const mutated = fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 6 }), fc.nat()).map(([seed, flips, cut]) => {
  const b = Buffer.from(seed);
  for (const [at, v] of flips) b[at % b.length] = v;
  return b.subarray(0, cut % (b.length + 1));
});

describe('codec fuzz', () => {
  it('never throws on random bytes (60,000 inputs)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (a) => assertClean(Buffer.from(a))), { numRuns: 60_000 });
  });

  it('never throws on mutated valid messages (40,000 inputs)', () => {
    fc.assert(fc.property(mutated, (b) => assertClean(b)), { numRuns: 40_000 });
  });

  it('parses or refuses any address text without throwing (20,000 inputs)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.stringMatching(/^(Program:[A-Za-z_]{1,5}\.)?[A-Za-z_0-9[\],.:]{0,20}$/)), (text) => {
        const r = parseEnipAddress(text);
        if (!r.ok) expect(r.error.kind).toBe('invalid-request');
      }),
      { numRuns: 20_000 },
    );
  });
});
