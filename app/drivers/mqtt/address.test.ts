import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatMqttAddress, parseMqttAddress, topicFilter, type MqttAddress } from './address';

function parsed(text: string): MqttAddress {
  const r = parseMqttAddress(text);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${r.error.message}`);
  return r.value;
}

function failure(text: string): string {
  const r = parseMqttAddress(text);
  if (r.ok) throw new Error(`expected ${text} to be rejected`);
  return r.error.message;
}

describe('parseMqttAddress', () => {
  it('reads plain, JSON-path and Sparkplug B addresses', () => {
    expect(parsed('plant/line1/speed')).toStrictEqual({ kind: 'plain', topic: 'plant/line1/speed' });
    expect(parsed(' plant/line1/json@$.line.speed ')).toStrictEqual({ kind: 'json', topic: 'plant/line1/json', path: ['line', 'speed'], pathText: '$.line.speed' });
    expect(parsed("plant/x@$['a b'][0]")).toMatchObject({ kind: 'json', topic: 'plant/x', path: ['a b', 0] });
    expect(parsed('spb:Plant/Line1:Line Speed')).toStrictEqual({ kind: 'spb', group: 'Plant', node: 'Line1', metric: 'Line Speed' });
    expect(parsed('spb:Plant/Line1/PLC:Drives/Main/Current')).toStrictEqual({ kind: 'spb', group: 'Plant', node: 'Line1', device: 'PLC', metric: 'Drives/Main/Current' });
    expect(parsed('user@site/temp')).toStrictEqual({ kind: 'plain', topic: 'user@site/temp' });
  });

  it('subscribes a Sparkplug metric to all of its edge node, where the sequence numbers live', () => {
    expect(topicFilter(parsed('spb:G/N/D:m'))).toBe('spBv1.0/G/+/N/#');
    expect(topicFilter(parsed('a/b@$.c'))).toBe('a/b');
  });

  it('refuses wildcards and malformed addresses with a clear message', () => {
    expect(failure('plant/+/speed')).toMatch(/wildcards \+ and # are for browsing; a signal is one value/);
    expect(failure('plant/#')).toMatch(/wildcards/);
    expect(failure('')).toMatch(/empty/);
    expect(failure('@$.a')).toMatch(/topic is empty/);
    expect(failure('t@$.a[')).toMatch(/JSON path/);
    expect(failure('spb:G:m')).toMatch(/GROUP\/NODE/);
    expect(failure('spb:G/N')).toMatch(/":" before the metric name is missing/);
    expect(failure('spb:G/N:')).toMatch(/metric name after ":" is empty/);
    expect(failure('spb:G/+:m')).toMatch(/must not contain \+ or #/);
    expect(failure('spb:G//D:m')).toMatch(/edge node id is empty/);
    expect(failure('spBv1.0/G/DDATA/N/D')).toMatch(/Sparkplug B topic: address one metric as spb:/);
  });
});

describe('MQTT address fuzz', () => {
  it('never throws on any text (30,000 inputs)', () => {
    const addressish = fc.stringMatching(/^(spb:)?[a-zA-Z0-9/+#:@$.[\]' ]{0,30}$/);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), addressish), (text) => {
        const r = parseMqttAddress(text);
        if (!r.ok) expect(r.error.kind).toBe('invalid-request');
        else expect(parseMqttAddress(formatMqttAddress(r.value))).toStrictEqual(r);
      }),
      { numRuns: 30_000 },
    );
  });
});
