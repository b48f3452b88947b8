/**
 * UI state that React renders: the link, the engine, signals, connections. Live sample data
 * are not here (see live/live-data.ts): they change too often to go through React.
 */
import { create } from 'zustand';
import type { ConnectionStatus, SignalInfo } from '../../app/shared/contract';
import type { LinkState } from './transport/transport';

export interface EngineInfo {
  version: string;
  mode: string;
  workspace: string;
  /** Browser mode: the read-only token share links carry. */
  viewerToken?: string | null;
  /** 'viewer' on a read-only share link. */
  role?: 'operator' | 'viewer';
}

export interface ParxState {
  link: LinkState;
  engine: EngineInfo | null;
  signals: SignalInfo[];
  connections: Record<string, ConnectionStatus>;
  error: string | null;
  setLink(link: LinkState): void;
  setEngine(engine: EngineInfo): void;
  setSignals(signals: SignalInfo[]): void;
  setConnection(status: ConnectionStatus): void;
  setConnections(list: ConnectionStatus[]): void;
  setError(error: string | null): void;
}

export const useParx = create<ParxState>()((set) => ({
  link: 'connecting',
  engine: null,
  signals: [],
  connections: {},
  error: null,
  setLink: (link) => set({ link }),
  setEngine: (engine) => set({ engine }),
  setSignals: (signals) => set({ signals }),
  setConnection: (status) => set((s) => ({ connections: { ...s.connections, [status.name]: status } })),
  setConnections: (list) => set({ connections: Object.fromEntries(list.map((c) => [c.name, c])) }),
  setError: (error) => set({ error }),
}));

/** True on a read-only share link: the server refuses every change, so the page does not offer them. */
export const useReadOnly = (): boolean => useParx((s) => s.engine?.role === 'viewer');
