/**
 * One UDP socket per (local address, port), shared by every EGD session of the process and
 * refcounted. A PLC sends all its exchanges to the same port, so several connections
 * (one per exchange) must listen on one socket; the listener routes each packet by
 * (producer, exchange) to the sessions that want it.
 *
 * The socket is bound exclusively, without SO_REUSEADDR: with it, a second program on the
 * same port would silently steal unicast packets; without it, that program gets a clear
 * "port in use" instead.
 */
import dgram from 'node:dgram';
import { decodeProduction, peekExchange, type ProductionFrame } from './frame';
import type { ExchangeKey } from './consume';
import type { Result } from '../../shared/result';

export type PacketHandler = (frame: Result<ProductionFrame>, key: ExchangeKey, receivedMs: number) => void;

export interface ListenerLease {
  /** The bound port (differs from the requested one only when 0 was asked for). */
  readonly port: number;
  route(key: ExchangeKey, handler: PacketHandler): () => void;
  /** Called once if the socket fails after it was bound. */
  onError(listener: (reason: string) => void): void;
  release(): Promise<void>;
}

interface Listener {
  /** host:port — for port 0, the port the OS picked, once bound, so others can share it. */
  id: string;
  readonly socket: dgram.Socket;
  readonly ready: Promise<void>;
  readonly routes: Map<string, Set<PacketHandler>>;
  readonly errorListeners: Set<(reason: string) => void>;
  refs: number;
  /** Packets no session asked for, or too damaged to tell whose they are. */
  unrouted: number;
  dead: boolean;
}

const listeners = new Map<string, Listener>();
let anonymous = 0;
/** Room for bursts: a PLC produces all its exchanges in the same millisecond. Capped by the OS (net.core.rmem_max). */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

const routeKey = (k: ExchangeKey): string => `${k.producer}/${k.exchange}`;

export function bindProblem(e: unknown, host: string, port: number): string {
  const code = (e as { code?: unknown } | null)?.code;
  switch (code) {
    case 'EADDRINUSE':
      return `UDP port ${port} on ${host} is already in use by another program (another EGD consumer or ParX?)`;
    case 'EACCES':
      return `no permission to listen on UDP port ${port} on ${host} (ports below 1024 need administrator rights)`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this computer, so nothing can be received on it`;
    default:
      return `cannot listen on UDP ${host}:${port}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function dispatch(l: Listener, packet: Buffer): void {
  const receivedMs = Date.now();
  const key = peekExchange(packet);
  const handlers = key && l.routes.get(routeKey(key));
  if (!key || !handlers) {
    l.unrouted++;
    return;
  }
  const frame = decodeProduction(packet);
  for (const h of handlers) h(frame, key, receivedMs);
}

function create(host: string, port: number): Listener {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });
  const l: Listener = {
    id: port === 0 ? `${host}:0#${++anonymous}` : `${host}:${port}`,
    socket,
    routes: new Map(),
    errorListeners: new Set(),
    refs: 0,
    unrouted: 0,
    dead: false,
    ready: new Promise<void>((resolve, reject) => {
      const failed = (e: unknown): void => reject(new Error(bindProblem(e, host, port)));
      socket.once('error', failed);
      socket.bind({ address: host, port, exclusive: true }, () => {
        socket.off('error', failed);
        if (port === 0) {
          listeners.delete(l.id);
          l.id = `${host}:${socket.address().port}`;
          listeners.set(l.id, l);
        }
        try {
          socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
        } catch {
          // The OS keeps its default; bursts may then drop packets, which the stale check shows.
        }
        resolve();
      });
    }),
  };
  socket.on('message', (packet) => dispatch(l, packet));
  l.ready.then(
    () =>
      socket.on('error', (e) => {
        kill(l);
        for (const notify of l.errorListeners) notify(`UDP ${l.id}: ${e.message}`);
      }),
    () => kill(l),
  );
  return l;
}

function kill(l: Listener): void {
  if (l.dead) return;
  l.dead = true;
  if (listeners.get(l.id) === l) listeners.delete(l.id);
  try {
    l.socket.close();
  } catch {
    // Already closed (a failed bind closes the socket itself).
  }
}

/** Shares the socket for (host, port), binding it on first use. Port 0 always gets a socket of its own. */
export async function acquireListener(host: string, port: number): Promise<ListenerLease> {
  let l = port === 0 ? undefined : listeners.get(`${host}:${port}`);
  if (!l) {
    l = create(host, port);
    listeners.set(l.id, l);
  }
  const listener = l;
  listener.refs++;
  try {
    await listener.ready;
  } catch (e) {
    listener.refs--;
    throw e;
  }
  let released = false;
  const mine = new Set<() => void>();
  let myErrorListener: ((reason: string) => void) | undefined;
  return {
    port: listener.socket.address().port,
    route(key, handler) {
      const k = routeKey(key);
      const set = listener.routes.get(k) ?? new Set<PacketHandler>();
      set.add(handler);
      listener.routes.set(k, set);
      const remove = (): void => {
        mine.delete(remove);
        set.delete(handler);
        if (set.size === 0 && listener.routes.get(k) === set) listener.routes.delete(k);
      };
      mine.add(remove);
      return remove;
    },
    onError(notify) {
      if (myErrorListener) listener.errorListeners.delete(myErrorListener);
      myErrorListener = notify;
      listener.errorListeners.add(notify);
    },
    async release() {
      if (released) return;
      released = true;
      for (const remove of [...mine]) remove();
      if (myErrorListener) listener.errorListeners.delete(myErrorListener);
      if (--listener.refs > 0 || listener.dead) return;
      listener.dead = true;
      if (listeners.get(listener.id) === listener) listeners.delete(listener.id);
      await new Promise<void>((resolve) => listener.socket.close(() => resolve()));
    },
  };
}

/** For tests and diagnostics: the sockets currently open. */
export function openListeners(): { id: string; refs: number; unrouted: number }[] {
  return [...listeners.values()].map((l) => ({ id: l.id, refs: l.refs, unrouted: l.unrouted }));
}
