import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'dockview-react/dist/styles/dockview.css';
import './styles.css';
import type { ParxBridge } from '../../preload/bridge-types';
import { App } from './App';
import { WindowSession } from './session';
import { SessionContext } from './session-context';
import { IpcTransport } from './transport/ipc-transport';
import { WebSocketTransport } from './transport/ws-transport';
import type { Transport } from './transport/transport';

declare global {
  interface Window {
    parx?: ParxBridge;
  }
}

/** Electron gives us window.parx through preload; anywhere else we are in browser mode. */
function pickTransport(): Transport {
  return window.parx ? new IpcTransport(window.parx) : WebSocketTransport.fromLocation(window.location);
}

const session = new WindowSession(pickTransport());
session.start();
if (window.location.search.includes('token=')) history.replaceState(null, '', window.location.pathname);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <SessionContext.Provider value={session}>
      <App />
    </SessionContext.Provider>
  </StrictMode>,
);
