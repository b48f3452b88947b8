import type { EventName, EventPayload, MethodName, ParamsIn, ResultOf } from '../app/shared/contract';
import type { ParxError, Result } from '../app/shared/result';

/** What preload exposes as `window.parx`: one function per contract method, and event listening. */
export interface ParxBridge {
  readonly methods: { readonly [M in MethodName]: (params: ParamsIn<M>) => Promise<Result<ResultOf<M>, ParxError>> };
  call(method: MethodName, params: unknown): Promise<Result<unknown, ParxError>>;
  /** Returns the function that stops listening. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
