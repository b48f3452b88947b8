import { describe, expect, it } from 'vitest';
import type { LiveSamples } from '../../../app/shared/contract';
import { Listeners, type LinkState } from '../transport/transport';
import { LiveSubscriptions, type LiveTransport } from './subscriptions';

/** A stand-in engine end: records subscribe/unsubscribe, numbers subscriptions, can fail for unknown signals. */
function fakeTransport(known = ['A', 'B', 'C']) {
  const samples = new Listeners<LiveSamples>();
  const link = new Listeners<LinkState>();
  const reconnect = new Listeners<void>();
  const open = new Map<string, { signals: string[]; maxRate: number }>();
  let next = 1;
  const calls: string[] = [];
  const t = {
    call: async (method: string, params: { signals: string[]; maxRate: number; subscription: string }) => {
      await Promise.resolve();
      calls.push(method);
      if (method === 'live.subscribe') {
        const bad = params.signals.find((s) => !known.includes(s));
        if (bad) return { ok: false, error: { kind: 'not-found', message: `no signal named "${bad}"` } };
        const id = `sub-${next++}`;
        open.set(id, { signals: params.signals, maxRate: params.maxRate });
        return { ok: true, value: { subscription: id, signals: params.signals.map((s) => ({ id: known.indexOf(s), name: s, unit: '', description: '', connection: '', address: '', timebaseMs: 100 })) } };
      }
      return { ok: true, value: { removed: open.delete(params.subscription) } };
    },
    on: (_e: string, l: (b: LiveSamples) => void) => samples.add(l),
    onLink: (l: (s: LinkState) => void) => link.add(l),
    onReconnect: (l: () => void) => reconnect.add(l),
  } as unknown as LiveTransport;
  return { t, open, calls, samples, reconnect, link };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

function batch(subscription: string, ids: number[], ts: number[], values: number[]): LiveSamples {
  return { subscription, signal: Uint32Array.from(ids), ts: Float64Array.from(ts), value: Float64Array.from(values), quality: new Uint8Array(ids.length), dropped: 0 };
}

describe('LiveSubscriptions', () => {
  it('50 widgets on one signal at one rate cost one live.subscribe; the last release unsubscribes', async () => {
    const f = fakeTransport();
    const m = new LiveSubscriptions(f.t);
    const handles = Array.from({ length: 50 }, () => m.acquire(['A'], 5));
    await settle();
    expect(m.subscribeCalls).toBe(1);
    expect(f.open.size).toBe(1);
    expect(m.stats()).toEqual({ subscriptions: 1, refs: 50 });
    for (const h of handles.slice(1)) h.dispose();
    handles[1]?.dispose(); // a second dispose of the same handle counts nothing
    await settle();
    expect(f.open.size).toBe(1);
    handles[0]?.dispose();
    await settle();
    expect(f.open.size).toBe(0);
    expect(m.stats()).toEqual({ subscriptions: 0, refs: 0 });
  });

  it('coalesces by (signal set, rate): order does not matter, rate does', async () => {
    const f = fakeTransport();
    const m = new LiveSubscriptions(f.t);
    m.acquire(['A', 'B'], 10);
    m.acquire(['B', 'A', 'A'], 10);
    m.acquire(['A', 'B'], 2);
    m.acquire(['A', 'B'], 99); // capped at 30 Hz
    await settle();
    expect(f.open.size).toBe(3);
    expect([...f.open.values()].map((o) => o.maxRate).sort((a, b) => a - b)).toEqual([2, 10, 30]);
  });

  it('a release before the reply arrives does not leak a subscription', async () => {
    const f = fakeTransport();
    const m = new LiveSubscriptions(f.t);
    m.acquire(['A'], 5).dispose();
    await settle();
    await settle();
    expect(f.open.size).toBe(0);
  });

  it('renews every subscription after a reconnect and keeps feeding the same traces', async () => {
    const f = fakeTransport();
    const m = new LiveSubscriptions(f.t);
    m.acquire(['A'], 5);
    m.acquire(['B'], 5);
    await settle();
    f.samples.fire(batch('sub-1', [0], [1000], [1]));
    f.open.clear(); // the engine lost the connection's subscriptions
    f.link.fire('closed');
    f.reconnect.fire();
    await settle();
    expect(f.open.size).toBe(2);
    f.samples.fire(batch('sub-1', [0], [2000], [2])); // the old id is no longer ours
    expect(m.data.trace('A')?.latest()?.ts).not.toBe(2000);
    const renewed = [...f.open.entries()].find(([, o]) => o.signals[0] === 'A')?.[0] as string;
    f.samples.fire(batch(renewed, [0], [3000], [3]));
    expect(m.data.trace('A')?.latest()).toMatchObject({ ts: 3000, value: 3 });
  });

  it('two subscriptions carrying the same signal add each sample once', async () => {
    const f = fakeTransport();
    const m = new LiveSubscriptions(f.t);
    m.acquire(['A'], 5);
    m.acquire(['A', 'B'], 10);
    await settle();
    f.samples.fire(batch('sub-2', [0, 1, 0], [1, 1, 2], [10, 20, 11]));
    f.samples.fire(batch('sub-1', [0, 0], [1, 2], [10, 11]));
    f.samples.fire(batch('sub-1', [0], [3], [12]));
    expect(m.data.trace('A')?.size).toBe(3);
  });

  it('says why a subscription failed', async () => {
    const f = fakeTransport();
    const m = new LiveSubscriptions(f.t);
    m.acquire(['Ghost'], 5);
    await settle();
    expect(m.problem(['Ghost'], 5)).toBe('no signal named "Ghost"');
  });
});
