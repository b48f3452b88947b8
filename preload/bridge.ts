/**
 * Builds the one API the renderer gets. Every function maps to exactly one contract method
 * and one IPC channel; an unknown method or event name is refused here, before IPC.
 */
import { EVENT_LIST, METHOD_LIST, ipcChannel } from '../app/shared/contract/names';

export interface IpcLike {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): void;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): void;
}

type Fn = (params: unknown) => Promise<unknown>;

export function buildBridge(ipc: IpcLike) {
  const methods: Record<string, Fn> = {};
  for (const m of METHOD_LIST) methods[m] = (params: unknown) => ipc.invoke(ipcChannel.call(m), params ?? {});
  Object.freeze(methods);
  return Object.freeze({
    methods,
    call(method: string, params: unknown): Promise<unknown> {
      const fn = methods[method];
      if (!fn) return Promise.resolve({ ok: false, error: { kind: 'unknown-method', message: `unknown method ${JSON.stringify(method)}` } });
      return fn(params);
    },
    on(event: string, listener: (payload: unknown) => void): () => void {
      if (!(EVENT_LIST as readonly string[]).includes(event)) throw new Error(`unknown event ${JSON.stringify(event)}`);
      const channel = ipcChannel.event(event);
      const wrapped = (_e: unknown, payload: unknown): void => listener(payload);
      ipc.on(channel, wrapped);
      return () => ipc.removeListener(channel, wrapped);
    },
  });
}
