/**
 * The envelope every boundary speaks (renderer↔engine, main↔worker, CLI↔engine).
 * Errors carry a `kind` a program can branch on and a `message` a person can act on.
 */
export type ErrorKind =
  | 'invalid-request'
  | 'unknown-method'
  | 'invalid-config'
  | 'not-found'
  | 'unauthorized'
  | 'forbidden'
  | 'connection'
  | 'timeout'
  | 'protocol'
  | 'io'
  | 'formula'
  | 'internal';

export interface ParxError {
  readonly kind: ErrorKind;
  readonly message: string;
  /** Where the problem is: a field path (`connections[0].port`), a file, a character offset. */
  readonly path?: string;
  readonly file?: string;
  readonly position?: number;
}

export type Result<T, E = ParxError> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E = ParxError>(error: E): Result<never, E> => ({ ok: false, error });

export function parxError(kind: ErrorKind, message: string, where: Omit<ParxError, 'kind' | 'message'> = {}): ParxError {
  return { kind, message, ...where };
}

/** Turns anything thrown into a ParxError without losing its message. */
export function toParxError(e: unknown, kind: ErrorKind = 'internal'): ParxError {
  if (isParxError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  return { kind, message };
}

export function isParxError(e: unknown): e is ParxError {
  return typeof e === 'object' && e !== null && typeof (e as ParxError).kind === 'string' && typeof (e as ParxError).message === 'string';
}
