/**
 * Electron IPC for one window: one handler per contract method, each on its own channel,
 * each passing the payload through the engine's validation. Events go back on the
 * contract's event channels. Requests from any other frame than the window's own are refused.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { METHOD_LIST, ipcChannel } from '../app/shared/contract/names';
import type { Engine } from '../app/engine/engine';
import { parxError } from '../app/shared/result';

export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, engine: Engine, contents: WebContents): () => void {
  const session = engine.connect({
    emit: (event, payload) => {
      if (!contents.isDestroyed()) contents.send(ipcChannel.event(event), payload);
    },
    busy: () => false,
  });
  for (const method of METHOD_LIST) {
    ipcMain.handle(ipcChannel.call(method), async (event: IpcMainInvokeEvent, payload: unknown) => {
      if (event.sender !== contents) return { ok: false, error: parxError('unauthorized', 'this frame may not call the ParX engine') };
      return session.call(method, payload);
    });
  }
  return () => {
    for (const method of METHOD_LIST) ipcMain.removeHandler(ipcChannel.call(method));
    session.dispose();
  };
}
