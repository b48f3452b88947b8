/**
 * The renderer's only way to the engine. The UI does not know whether it runs in Electron
 * (IPC through preload) or in a browser (WebSocket to `parx serve`).
 */
import type { EventName, EventPayload, MethodName, ParamsIn, ResultOf } from '../../../app/shared/contract';
import type { ParxError, Result } from '../../../app/shared/result';

export type LinkState = 'connecting' | 'open' | 'closed';

export interface Disposable {
  dispose(): void;
}

export interface Transport {
  call<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<Result<ResultOf<M>, ParxError>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Disposable;
  /** The link itself (browser mode can lose and regain it; IPC is always open). */
  onLink(listener: (state: LinkState) => void): Disposable;
  /** Called after the link came back, so owners of subscriptions can renew them. */
  onReconnect(listener: () => void): Disposable;
}

/** A tiny typed listener list shared by the transports. */
export class Listeners<T> {
  private readonly set = new Set<(v: T) => void>();
  add(l: (v: T) => void): Disposable {
    this.set.add(l);
    return { dispose: () => this.set.delete(l) };
  }
  fire(v: T): void {
    for (const l of [...this.set]) l(v);
  }
}
