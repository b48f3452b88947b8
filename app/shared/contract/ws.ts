/**
 * Browser-mode messages. Client → server: JSON text `{id, method, params}`.
 * Server → client: binary frames (../wire.ts) holding a reply or an event, so typed
 * arrays stay typed arrays.
 */
import { z } from 'zod';
import type { ParxError, Result } from '../result';
import type { EventName, EventPayload } from './events';

export const ClientRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string(),
  params: z.unknown().optional(),
});
export type ClientRequest = z.infer<typeof ClientRequestSchema>;

export type ServerMessage =
  | { readonly type: 'reply'; readonly id: number | null; readonly result: Result<unknown, ParxError> }
  | { readonly [E in EventName]: { readonly type: 'event'; readonly event: E; readonly payload: EventPayload<E> } }[EventName];

/** The WebSocket path the renderer connects to, beside the page. */
export const WS_PATH = '/ws';
