/** Electron: the contract through the one typed API that preload exposes as `window.parx`. */
import type { EventName, EventPayload, MethodName, ParamsIn, ResultOf } from '../../../app/shared/contract';
import type { ParxError, Result } from '../../../app/shared/result';
import type { ParxBridge } from '../../../preload/bridge-types';
import { Listeners, type Disposable, type LinkState, type Transport } from './transport';

export class IpcTransport implements Transport {
  constructor(private readonly bridge: ParxBridge) {}

  call<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<Result<ResultOf<M>, ParxError>> {
    return this.bridge.call(method, params) as Promise<Result<ResultOf<M>, ParxError>>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Disposable {
    return { dispose: this.bridge.on(event, listener as (p: unknown) => void) };
  }

  onLink(listener: (state: LinkState) => void): Disposable {
    listener('open');
    return new Listeners<LinkState>().add(listener);
  }

  onReconnect(): Disposable {
    return { dispose: () => undefined };
  }
}
