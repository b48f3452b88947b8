/**
 * The Electron main process: starts the engine (collector in its worker), opens the window,
 * wires IPC. Thin on purpose — everything else lives in app/ and runs in plain Node too.
 */
import path from 'node:path';
import { app, BrowserWindow, ipcMain, session as electronSession } from 'electron';
import collectorWorker from '../app/collector/collector.worker?modulePath';
import recorderWorker from '../app/recorder/recorder.worker?modulePath';
import triggerWorker from '../app/recorder/triggers/trigger.worker?modulePath';
import analysisWorker from '../app/analysis/analysis.worker?modulePath';
import catalogWorker from '../app/recorder/catalog.worker?modulePath';
import { setAnalysisWorkerEntry } from '../app/analysis/engine-analysis';
import { Engine } from '../app/engine/engine';
import { pointWorkspaceAtDemo, startDemo } from '../app/engine/demo';
import { defaultWorkspaceDir } from '../app/workspace/paths';
import { createMainWindow, hardenSession } from './window';
import { registerIpc } from './ipc';

const rendererFile = path.join(__dirname, '../renderer/index.html');

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession(electronSession.defaultSession);
  const workspace = process.env.PARX_WORKSPACE ?? defaultWorkspaceDir();
  setAnalysisWorkerEntry(analysisWorker);
  const engine = await Engine.start({ workspace, mode: 'electron', collectorEntry: collectorWorker, recorderEntry: recorderWorker, triggerEntry: triggerWorker, catalogEntry: catalogWorker });
  engine.on('log', (l) => console.log(`[${l.level}] ${l.message}`));
  // `npm start` runs the built-in demo line inside the app.
  const demo = process.env.PARX_DEMO ? await startDemo() : undefined;
  if (demo) await pointWorkspaceAtDemo(engine, demo.modbus.host, demo.modbus.port);
  const appUrl = process.env.ELECTRON_RENDERER_URL ?? `file://${rendererFile}`;
  const win = createMainWindow(BrowserWindow, {
    preloadPath: path.join(__dirname, '../preload/index.js'),
    appUrl,
    load: (w) => (process.env.ELECTRON_RENDERER_URL ? w.loadURL(appUrl) : w.loadFile(rendererFile)),
  });
  const unregister = registerIpc(ipcMain, engine, win.webContents);
  win.on('closed', () => unregister());
  app.on('window-all-closed', () => {
    void engine
      .stop()
      .then(() => demo?.stop())
      .then(() => app.quit());
  });
}

void start();
