/**
 * Browser mode: the contract over one WebSocket to `parx serve`. Requests are JSON text,
 * replies and events arrive as binary frames (typed arrays intact). The link reconnects with
 * backoff; listeners of onReconnect renew their subscriptions.
 */
import { WS_PATH, type EventName, type EventPayload, type MethodName, type ParamsIn, type ResultOf, type ServerMessage } from '../../../app/shared/contract';
import type { ParxError, Result } from '../../../app/shared/result';
import { decodeFrame } from '../../../app/shared/wire';
import { Listeners, type Disposable, type LinkState, type Transport } from './transport';

type Pending = (r: Result<unknown, ParxError>) => void;

export class WebSocketTransport implements Transport {
  private ws: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly events = new Map<EventName, Listeners<unknown>>();
  private readonly link = new Listeners<LinkState>();
  private readonly reconnect = new Listeners<void>();
  private queue: string[] = [];
  private attempt = 0;
  private everOpened = false;

  constructor(private readonly url: string) {
    this.open();
  }

  static fromLocation(loc: Location): WebSocketTransport {
    const token = new URLSearchParams(loc.search).get('token') ?? sessionStorage.getItem('parx.token') ?? '';
    if (token) sessionStorage.setItem('parx.token', token);
    const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
    return new WebSocketTransport(`${scheme}://${loc.host}${WS_PATH}?token=${encodeURIComponent(token)}`);
  }

  private open(): void {
    this.link.fire('connecting');
    const ws = new WebSocket(this.url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      for (const m of this.queue) ws.send(m);
      this.queue = [];
      this.link.fire('open');
      if (this.everOpened) this.reconnect.fire();
      this.everOpened = true;
    };
    ws.onmessage = (e) => this.receive(e.data);
    ws.onclose = () => {
      this.link.fire('closed');
      for (const p of this.pending.values()) p({ ok: false, error: { kind: 'connection', message: 'the link to the ParX engine was lost; retrying' } });
      this.pending.clear();
      const delay = Math.min(5000, 250 * 2 ** this.attempt++);
      setTimeout(() => this.open(), delay);
    };
  }

  private receive(data: unknown): void {
    if (!(data instanceof ArrayBuffer)) return;
    let message: ServerMessage;
    try {
      message = decodeFrame(data) as ServerMessage;
    } catch (e) {
      console.error('ParX: undecodable frame from the engine', e);
      return;
    }
    if (message.type === 'reply') {
      if (message.id === null) {
        console.error('ParX: the engine rejected a message', message.result);
        return;
      }
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
    } else {
      this.events.get(message.event)?.fire(message.payload);
    }
  }

  call<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<Result<ResultOf<M>, ParxError>> {
    const id = this.nextId++;
    const text = JSON.stringify({ id, method, params });
    return new Promise((resolve) => {
      this.pending.set(id, resolve as Pending);
      if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(text);
      else this.queue.push(text);
    });
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Disposable {
    let list = this.events.get(event);
    if (!list) this.events.set(event, (list = new Listeners()));
    return list.add(listener as (v: unknown) => void);
  }

  onLink(listener: (state: LinkState) => void): Disposable {
    return this.link.add(listener);
  }

  onReconnect(listener: () => void): Disposable {
    return this.reconnect.add(listener);
  }
}
