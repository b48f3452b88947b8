import { describe, expect, it, vi } from 'vitest';
import { EVENT_LIST, METHOD_LIST, events, ipcChannel, methods } from '../app/shared/contract';
import { buildBridge } from './bridge';

function fakeIpc() {
  const listeners = new Map<string, ((e: unknown, p: unknown) => void)[]>();
  return {
    listeners,
    invoke: vi.fn(async (channel: string, payload: unknown) => ({ ok: true, value: { channel, payload } })),
    on: (c: string, l: (e: unknown, p: unknown) => void) => listeners.set(c, [...(listeners.get(c) ?? []), l]),
    removeListener: (c: string, l: (e: unknown, p: unknown) => void) => listeners.set(c, (listeners.get(c) ?? []).filter((x) => x !== l)),
  };
}

describe('the preload bridge', () => {
  it('lists exactly the contract (names.ts is kept equal to the schemas)', () => {
    expect([...METHOD_LIST].sort()).toEqual(Object.keys(methods).sort());
    expect([...EVENT_LIST].sort()).toEqual(Object.keys(events).sort());
  });

  it('exposes one function per contract method, each on its own channel, and nothing else', async () => {
    const ipc = fakeIpc();
    const bridge = buildBridge(ipc);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'methods', 'on']);
    expect(Object.keys(bridge.methods).sort()).toEqual([...METHOD_LIST].sort());
    expect(Object.isFrozen(bridge.methods)).toBe(true);
    for (const m of METHOD_LIST) {
      await bridge.methods[m]?.({});
      expect(ipc.invoke).toHaveBeenLastCalledWith(ipcChannel.call(m), {});
    }
    const unknown = await bridge.call('shell.exec', {});
    expect(unknown).toMatchObject({ ok: false, error: { kind: 'unknown-method' } });
    expect(ipc.invoke).toHaveBeenCalledTimes(METHOD_LIST.length);
  });

  it('listens to contract events only, and can stop listening', () => {
    const ipc = fakeIpc();
    const bridge = buildBridge(ipc);
    const got: unknown[] = [];
    const off = bridge.on('config.changed', (p) => got.push(p));
    ipc.listeners.get(ipcChannel.event('config.changed'))?.forEach((l) => l({ sender: 'x' }, { file: 'a' }));
    expect(got).toEqual([{ file: 'a' }]);
    off();
    expect(ipc.listeners.get(ipcChannel.event('config.changed'))).toEqual([]);
    expect(() => bridge.on('ipc:anything', () => undefined)).toThrow(/unknown event/);
  });
});
