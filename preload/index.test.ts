import { describe, expect, it, vi } from 'vitest';
import { METHOD_LIST } from '../app/shared/contract';

const exposed: [string, unknown][] = [];
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]) },
  ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn(), send: vi.fn(), sendSync: vi.fn() },
}));

describe('preload entry', () => {
  it('exposes one API, window.parx, with exactly the contract methods and no raw ipcRenderer', async () => {
    await import('./index');
    expect(exposed.map(([k]) => k)).toEqual(['parx']);
    const api = exposed[0]?.[1] as Record<string, unknown>;
    expect(Object.keys(api.methods as object).sort()).toEqual([...METHOD_LIST].sort());
    const values = JSON.stringify(Object.keys(api));
    expect(values).not.toMatch(/ipcRenderer|send|invoke/);
  });
});
