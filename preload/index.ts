/** Runs in the sandboxed preload: exposes `window.parx` and nothing else. */
import { contextBridge, ipcRenderer } from 'electron';
import { buildBridge } from './bridge';

contextBridge.exposeInMainWorld('parx', buildBridge(ipcRenderer));
