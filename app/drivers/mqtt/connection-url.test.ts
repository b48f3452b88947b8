import { describe, expect, it } from 'vitest';
import { connectionFromUrl, endpointOf } from './connection-url';

describe('connectionFromUrl', () => {
  it('reads host, port, credentials, version and timestamp source', () => {
    const r = connectionFromUrl('mqtt://127.0.0.1:1884?user=op&password=s3cret&v=5&ts=payload&timeout=500');
    expect(r).toMatchObject({ ok: true, value: { protocol: 'mqtt', url: 'mqtt://127.0.0.1:1884', username: 'op', password: 's3cret', protocolVersion: 5, timestampSource: 'payload', timeoutMs: 500 } });
    if (r.ok) expect(endpointOf(r.value)).toBe('mqtt://127.0.0.1:1884 as op (MQTT 5)');
    expect(connectionFromUrl('mqtts://broker.plant:8883')).toMatchObject({ ok: true, value: { url: 'mqtts://broker.plant:8883', protocolVersion: 4, rejectUnauthorized: true } });
    expect(connectionFromUrl('mqtt://u:p%40ss@h')).toMatchObject({ ok: true, value: { url: 'mqtt://h:1883', username: 'u', password: 'p@ss' } });
    expect(connectionFromUrl('mqtts://h?insecure=1')).toMatchObject({ ok: true, value: { rejectUnauthorized: false } });
  });

  it('refuses what it cannot use, naming it', () => {
    expect(connectionFromUrl('not a url')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/is not a URL/) } });
    expect(connectionFromUrl('http://h')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/not an mqtt:\/\//) } });
    expect(connectionFromUrl('mqtt://h?v=3')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/v=3 is not an MQTT version/) } });
    expect(connectionFromUrl('mqtt://h?ts=plc')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/ts=payload or ts=receive/) } });
    const bad = connectionFromUrl('mqtt://h?timeout=1&password=x');
    expect(bad).toMatchObject({ ok: false });
    if (!bad.ok) expect(bad.error.message).not.toContain('password=x');
  });
});
