import type { MethodName, Params, ResultOf } from '../shared/contract';
import type { Result } from '../shared/result';
import type { ClientSession } from './engine';

/** A handler gets validated parameters and returns the contract's result type, so drift fails to compile. */
export type Handler<M extends MethodName> = (params: Params<M>, session: ClientSession) => Promise<Result<ResultOf<M>>>;
export type HandlersFor<K extends MethodName> = { [M in K]: Handler<M> };
