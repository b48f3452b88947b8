import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { get } from 'sparkplug-payload';
import type { UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { Quality } from '../../shared/samples';
import { BrowseCollector, browseFilter } from './browse';
import { decodeSpbPayload, parseSpbTopic } from './sparkplug';
import { SparkplugTracker } from './sparkplug-state';

// Payloads come from Eclipse Tahu's encoder, never from ParX's own idea of the format.
const tahu = get('spBv1.0');
const encode = (p: UPayload): Uint8Array => {
  if (!tahu) throw new Error('no spBv1.0 codec');
  return tahu.encodePayload(p);
};
const topic = (t: string) => {
  const parsed = parseSpbTopic(t);
  if (!parsed) throw new Error(`not a Sparkplug topic: ${t}`);
  return parsed;
};

describe('Sparkplug B topics and payloads', () => {
  it('parses node and device topics, and nothing else', () => {
    expect(parseSpbTopic('spBv1.0/Plant/NDATA/Line1')).toStrictEqual({ group: 'Plant', type: 'NDATA', node: 'Line1' });
    expect(parseSpbTopic('spBv1.0/Plant/DDATA/Line1/PLC')).toStrictEqual({ group: 'Plant', type: 'DDATA', node: 'Line1', device: 'PLC' });
    expect(parseSpbTopic('spBv1.0/Plant/DDATA/Line1')).toBeUndefined();
    expect(parseSpbTopic('spBv1.0/Plant/NDATA/Line1/PLC')).toBeUndefined();
    expect(parseSpbTopic('spBv1.0/STATE/host')).toBeUndefined();
    expect(parseSpbTopic('plant/line1')).toBeUndefined();
  });

  it('decodes every numeric type, signed ones as signed, and says why others are not numbers', () => {
    const r = decodeSpbPayload(
      encode({
        timestamp: 1_700_000_000_000,
        seq: 7,
        metrics: [
          { name: 'i32', type: 'Int32', value: -5 },
          { name: 'i64', type: 'Int64', value: -5, timestamp: 1_700_000_000_123 },
          { name: 'u64', type: 'UInt64', value: 4_000_000_000 },
          { name: 'f', type: 'Float', value: 1.5 },
          { name: 'b', type: 'Boolean', value: true },
          { name: 's', type: 'String', value: 'text' },
          { alias: 3, type: 'Double', value: 2.25 },
        ],
      }),
    );
    expect(r).toStrictEqual({
      ok: true,
      value: {
        seq: 7,
        ts: 1_700_000_000_000,
        metrics: [
          { name: 'i32', type: 'Int32', value: -5 },
          { name: 'i64', type: 'Int64', value: -5, ts: 1_700_000_000_123 },
          { name: 'u64', type: 'UInt64', value: 4_000_000_000 },
          { name: 'f', type: 'Float', value: 1.5 },
          { name: 'b', type: 'Boolean', value: 1 },
          { name: 's', type: 'String', reason: 'is a String, not a number' },
          { alias: 3, type: 'Double', value: 2.25 },
        ],
      },
    });
    expect(decodeSpbPayload(new Uint8Array([1, 2, 3, 255]))).toMatchObject({ ok: false, error: expect.stringMatching(/^payload is not Sparkplug B/) });
  });
});

describe('SparkplugTracker', () => {
  const births = (t: SparkplugTracker) => {
    t.handle(topic('spBv1.0/G/NBIRTH/N'), encode({ seq: 0, metrics: [{ name: 'bdSeq', type: 'UInt64', value: 0 }, { name: 'Uptime', alias: 1, type: 'Int32', value: 10 }] }));
    return t.handle(topic('spBv1.0/G/DBIRTH/N/D'), encode({ seq: 1, metrics: [{ name: 'Line Speed', alias: 1, type: 'Double', value: 600 }] }));
  };

  it('resolves aliases from the births, per device', () => {
    const t = new SparkplugTracker();
    expect(births(t)).toMatchObject({ device: 'D', values: [{ name: 'Line Speed', value: 600 }], quality: Quality.good, errors: [] });
    const data = t.handle(topic('spBv1.0/G/DDATA/N/D'), encode({ seq: 2, timestamp: 5, metrics: [{ alias: 1, type: 'Double', value: 601 }] }));
    expect(data).toStrictEqual({ group: 'G', node: 'N', device: 'D', values: [{ name: 'Line Speed', value: 601, ts: 5 }], quality: Quality.good, errors: [] });
    const node = t.handle(topic('spBv1.0/G/NDATA/N'), encode({ seq: 3, metrics: [{ alias: 1, type: 'Int32', value: 11 }] }));
    expect(node.values).toStrictEqual([{ name: 'Uptime', value: 11 }]);
  });

  it('marks values uncertain after a sequence gap, until the next NBIRTH', () => {
    const t = new SparkplugTracker();
    births(t);
    const gap = t.handle(topic('spBv1.0/G/DDATA/N/D'), encode({ seq: 5, metrics: [{ alias: 1, type: 'Double', value: 1 }] }));
    expect(gap.quality).toBe(Quality.uncertain);
    expect(gap.errors).toStrictEqual([expect.stringMatching(/sequence gap on G\/N \(expected 2, got 5\)/)]);
    const after = t.handle(topic('spBv1.0/G/DDATA/N/D'), encode({ seq: 6, metrics: [{ alias: 1, type: 'Double', value: 2 }] }));
    expect(after).toMatchObject({ quality: Quality.uncertain, errors: [] });
    births(t);
    expect(t.handle(topic('spBv1.0/G/DDATA/N/D'), encode({ seq: 2, metrics: [{ alias: 1, type: 'Double', value: 3 }] })).quality).toBe(Quality.good);
  });

  it('wraps the sequence at 255 without calling it a gap', () => {
    const t = new SparkplugTracker();
    births(t);
    let last;
    for (let i = 0; i < 300; i++) last = t.handle(topic('spBv1.0/G/DDATA/N/D'), encode({ seq: (2 + i) % 256, metrics: [{ alias: 1, type: 'Double', value: i }] }));
    expect(last).toMatchObject({ quality: Quality.good, errors: [] });
  });

  it('reports deaths and unknown aliases (once)', () => {
    const t = new SparkplugTracker();
    const unknown = () => t.handle(topic('spBv1.0/G/DDATA/N/D'), encode({ seq: 9, metrics: [{ alias: 4, type: 'Double', value: 1 }] }));
    expect(unknown()).toMatchObject({ values: [], errors: [expect.stringMatching(/alias 4 is unknown — no birth seen .* new DBIRTH/)] });
    expect(unknown().errors.filter((e) => /alias/.test(e))).toHaveLength(0);
    expect(t.handle(topic('spBv1.0/G/DDEATH/N/D'), encode({ seq: 11 }))).toMatchObject({ death: 'device', quality: Quality.stale });
    expect(t.handle(topic('spBv1.0/G/NDEATH/N'), encode({ metrics: [{ name: 'bdSeq', type: 'UInt64', value: 0 }] }))).toMatchObject({ death: 'node' });
    expect(t.handle(topic('spBv1.0/G/NDATA/N'), new Uint8Array([0xff, 0xff]))).toMatchObject({ values: [], errors: [expect.stringMatching(/spBv1.0\/G\/NDATA\/N: payload is not Sparkplug B/)] });
  });
});

describe('browsing', () => {
  it('lists topics, JSON leaves and named Sparkplug metrics', () => {
    const b = new BrowseCollector();
    const text = (s: string) => new TextEncoder().encode(s);
    b.add('plant/speed', text('12.5'));
    b.add('plant/doc', text('{"line":{"speed":3,"name":"x"},"ok":true}'));
    b.add('spBv1.0/G/NBIRTH/N', encode({ seq: 0, metrics: [{ name: 'Temp', alias: 1, type: 'Float', value: 20.5 }] }));
    b.add('spBv1.0/G/NDATA/N', encode({ seq: 1, metrics: [{ alias: 1, type: 'Float', value: 21.5 }] }));
    const items = b.items();
    expect(items.map((i) => i.id)).toStrictEqual(['plant/doc', 'plant/doc@$.line.speed', 'plant/doc@$.ok', 'plant/speed', 'spBv1.0/G/NBIRTH/N', 'spBv1.0/G/NDATA/N', 'spb:G/N:Temp']);
    expect(items.find((i) => i.id === 'spb:G/N:Temp')?.sample).toBe('21.5');
    expect(items.find((i) => i.id === 'plant/speed')).toMatchObject({ kind: 'topic', sample: '12.5' });
    expect(browseFilter(null)).toBe('#');
    expect(browseFilter('plant/')).toBe('plant/#');
    expect(browseFilter('plant/+/speed')).toBe('plant/+/speed');
  });
});

describe('Sparkplug fuzz', () => {
  it('decoding random bytes and random topics never throws (15,000 inputs)', () => {
    const t = new SparkplugTracker();
    const b = new BrowseCollector();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom('NBIRTH', 'NDATA', 'DBIRTH', 'DDATA', 'DDEATH', 'NDEATH'), (bytes, type) => {
        const r = decodeSpbPayload(bytes);
        if (!r.ok) expect(r.error).toMatch(/^payload is not Sparkplug B/);
        const tp = topic(type.startsWith('D') ? `spBv1.0/G/${type}/N/D` : `spBv1.0/G/${type}/N`);
        const u = t.handle(tp, bytes);
        expect(Array.isArray(u.values)).toBe(true);
        b.add(`spBv1.0/G/${type}/N${type.startsWith('D') ? '/D' : ''}`, bytes);
        b.add('x/y', bytes);
      }),
      { numRuns: 15_000 },
    );
    expect(b.items().length).toBeGreaterThan(0);
  });
});
