/** A Node client of a running `parx serve`, over the same WebSocket contract the browser uses. */
import WebSocket from 'ws';
import { WS_PATH, type MethodName, type ParamsIn, type ResultOf, type ServerMessage } from '../shared/contract';
import type { ParxError, Result } from '../shared/result';
import { decodeFrame } from '../shared/wire';

export class RemoteClient {
  private nextId = 1;
  private readonly pending = new Map<number, (r: Result<unknown, ParxError>) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const m = decodeFrame(new Uint8Array(data)) as ServerMessage;
      if (m.type === 'reply' && m.id !== null) {
        this.pending.get(m.id)?.(m.result);
        this.pending.delete(m.id);
      }
    });
    // An engine that goes away must not leave a command waiting forever.
    ws.on('close', () => {
      for (const p of this.pending.values()) p({ ok: false, error: { kind: 'connection', message: 'the engine closed the connection before answering' } });
      this.pending.clear();
    });
  }

  /** `url` is what `parx serve` printed: http://host:port/?token=… */
  static async connect(url: string, timeoutMs = 5000): Promise<RemoteClient> {
    const u = new URL(url);
    const token = u.searchParams.get('token');
    if (!token) throw new Error(`${url} has no ?token=… (use the URL parx serve printed)`);
    const ws = new WebSocket(`${u.protocol === 'https:' ? 'wss' : 'ws'}://${u.host}${WS_PATH}?token=${encodeURIComponent(token)}`);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no answer from ${u.host} within ${timeoutMs} ms`)), timeoutMs);
      ws.once('open', () => (clearTimeout(t), resolve()));
      ws.once('error', (e) => (clearTimeout(t), reject(e)));
      ws.once('unexpected-response', (_req, res) => (clearTimeout(t), reject(new Error(`${u.host} answered ${res.statusCode}: is the token right?`))));
    });
    return new RemoteClient(ws);
  }

  call<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<Result<ResultOf<M>, ParxError>> {
    const id = this.nextId++;
    if (this.ws.readyState !== WebSocket.OPEN) return Promise.resolve({ ok: false, error: { kind: 'connection', message: 'not connected to the engine' } });
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (r: Result<unknown, ParxError>) => void);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.ws.close();
  }
}
