import { afterEach, describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { METHOD_LIST, ipcChannel, methods } from '../app/shared/contract';
import { Engine } from '../app/engine/engine';
import { tempDir } from '../app/testing/helpers';
import { registerIpc } from './ipc';

type Handler = (event: IpcMainInvokeEvent, payload: unknown) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: (channel: string, h: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, h);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  };
}

function fakeContents() {
  const sent: [string, unknown][] = [];
  return { sent, contents: { send: (c: string, p: unknown) => sent.push([c, p]), isDestroyed: () => false } as unknown as WebContents };
}

describe('Electron IPC wiring', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.stop();
  });

  it('registers exactly one handler per contract method, validates payloads, refuses foreign frames', async () => {
    engine = await Engine.start({ workspace: await tempDir(), mode: 'electron' });
    const ipc = fakeIpcMain();
    const { contents, sent } = fakeContents();
    const unregister = registerIpc(ipc, engine, contents);
    expect([...ipc.handlers.keys()].sort()).toEqual(Object.keys(methods).map(ipcChannel.call).sort());
    expect(METHOD_LIST.length).toBe(Object.keys(methods).length);

    const own = { sender: contents } as IpcMainInvokeEvent;
    const info = await ipc.handlers.get(ipcChannel.call('engine.info'))?.(own, {});
    expect(info).toMatchObject({ ok: true, value: { mode: 'electron' } });

    const bad = await ipc.handlers.get(ipcChannel.call('live.subscribe'))?.(own, { signals: 42 });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid-request', path: 'signals' } });

    const foreign = { sender: {} } as IpcMainInvokeEvent;
    const refused = await ipc.handlers.get(ipcChannel.call('engine.info'))?.(foreign, {});
    expect(refused).toMatchObject({ ok: false, error: { kind: 'unauthorized' } });

    const badConfig = await ipc.handlers.get(ipcChannel.call('config.save'))?.(own, { config: { version: 1, connections: [{ name: 'x', protocol: 'modbus', host: 'h', port: 70000 }] } });
    expect(badConfig).toMatchObject({ ok: false, error: { kind: 'invalid-config', path: 'connections[0].port' } });

    engine.broadcast('config.changed', { file: 'f' });
    expect(sent).toContainEqual([ipcChannel.event('config.changed'), { file: 'f' }]);

    unregister();
    expect(ipc.handlers.size).toBe(0);
  });
});
