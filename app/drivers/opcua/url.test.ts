import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { opcUaConnectionFromUrl, opcUaEndpointLabel } from './url';
import { subscriptionPlan } from './subscription-plan';

describe('opcUaConnectionFromUrl', () => {
  it('reads endpoint, security and login from the URL', () => {
    const r = opcUaConnectionFromUrl('opc.tcp://plc.local:4840/UA/Line?security=SignAndEncrypt&user=op&password=s%20cret');
    expect(r).toMatchObject({
      ok: true,
      value: { protocol: 'opcua', endpointUrl: 'opc.tcp://plc.local:4840/UA/Line', securityMode: 'SignAndEncrypt', securityPolicy: 'Basic256Sha256', auth: { type: 'username', username: 'op', password: 's cret' } },
    });
    expect(opcUaConnectionFromUrl('opc.tcp://10.0.0.5')).toMatchObject({ ok: true, value: { endpointUrl: 'opc.tcp://10.0.0.5:4840', securityMode: 'None', securityPolicy: 'None', auth: { type: 'anonymous' } } });
    expect(opcUaConnectionFromUrl('opc.tcp://h:1/p?security=sign&policy=Aes256_Sha256_RsaPss&timeout=500')).toMatchObject({ ok: true, value: { securityMode: 'Sign', securityPolicy: 'Aes256_Sha256_RsaPss', timeoutMs: 500 } });
  });

  it('refuses what it cannot use, saying why', () => {
    expect(opcUaConnectionFromUrl('http://h:1')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/not an opc.tcp:\/\/ URL/) } });
    expect(opcUaConnectionFromUrl('not a url')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/not a URL/) } });
    expect(opcUaConnectionFromUrl('opc.tcp://h:1?security=Encrypt')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/security=Encrypt is not one of/) } });
    expect(opcUaConnectionFromUrl('opc.tcp://h:1?security=None&policy=Basic256Sha256')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/goes with security policy None/) } });
    expect(opcUaConnectionFromUrl('opc.tcp://h:1?security=Sign&policy=None')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/needs a security policy/) } });
    expect(opcUaConnectionFromUrl('opc.tcp://h:1?policy=Basic128')).toMatchObject({ ok: false });
    expect(opcUaConnectionFromUrl('opc.tcp://h:1?usr=x')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/unknown option "usr"/) } });
  });

  it('never shows the password in the endpoint label', () => {
    const r = opcUaConnectionFromUrl('opc.tcp://h:1/p?security=Sign&user=op&password=topsecret');
    if (!r.ok) throw new Error(r.error.message);
    expect(opcUaEndpointLabel(r.value)).toBe('opc.tcp://h:1/p (Basic256Sha256, Sign, user op)');
    expect(opcUaEndpointLabel(r.value)).not.toMatch(/topsecret/);
  });

  it('never throws on arbitrary input (fuzz)', () => {
    const query = fc.array(fc.tuple(fc.constantFrom('security', 'policy', 'user', 'password', 'timeout', 'x'), fc.string({ maxLength: 12 })), { maxLength: 4 });
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 8 }), query).map(([h, p, q]) => `opc.tcp://${h}/${p}?${q.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`)), (text) => {
        const r = opcUaConnectionFromUrl(text);
        if (r.ok) expect(r.value.endpointUrl.startsWith('opc.tcp://')).toBe(true);
        else expect(r.error.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 15_000 },
    );
  });
});

describe('subscriptionPlan', () => {
  it('samples at the timebase and publishes no faster than 50 ms without losing samples', () => {
    expect(subscriptionPlan(100)).toMatchObject({ samplingIntervalMs: 100, publishingIntervalMs: 100, queueSize: 2 });
    expect(subscriptionPlan(10)).toMatchObject({ samplingIntervalMs: 10, publishingIntervalMs: 50, queueSize: 6 });
  });

  it('gives sane settings for any timebase (fuzz)', () => {
    fc.assert(
      fc.property(fc.double(), (tb) => {
        const p = subscriptionPlan(tb);
        expect(p.samplingIntervalMs).toBeGreaterThan(0);
        expect(p.publishingIntervalMs).toBeGreaterThanOrEqual(p.samplingIntervalMs);
        expect(p.queueSize * p.samplingIntervalMs).toBeGreaterThanOrEqual(Math.min(p.publishingIntervalMs, 100 * p.samplingIntervalMs));
        expect(p.lifetimeCount).toBeGreaterThanOrEqual(3 * p.maxKeepAliveCount);
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('trust= in OPC UA URLs', () => {
  it('trust=auto sets autoTrust; ask or nothing leaves it unset; anything else is refused', () => {
    expect(opcUaConnectionFromUrl('opc.tcp://h:1?security=Sign&trust=auto')).toMatchObject({ ok: true, value: { autoTrust: true } });
    const ask = opcUaConnectionFromUrl('opc.tcp://h:1?security=Sign&trust=ask');
    expect(ask.ok && ask.value.autoTrust).toBeUndefined();
    expect(opcUaConnectionFromUrl('opc.tcp://h:1?security=Sign&trust=yes')).toMatchObject({ ok: false, error: { message: 'trust=yes is not one of auto, ask' } });
  });
});
